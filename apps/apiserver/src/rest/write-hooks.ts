// Seams in the write path for kinds whose writes reserve something outside their own key
// (a Service's ClusterIP and node ports). Each hook wraps the store call so it can reserve
// before the write, give back on failure and release what the write made unused.
import { KubeObject, ResourceInfo } from '@coxswain/api';

export type Write = (obj: KubeObject) => Promise<KubeObject>;

export interface WriteHooks {
  /** Update, before defaulting: fill server-assigned fields the client left out. */
  carryOver(resource: ResourceInfo, previous: KubeObject, desired: KubeObject): KubeObject;
  /** Create of a validated, prepared object; dry runs reserve nothing and must not write. */
  create(resource: ResourceInfo, obj: KubeObject, dryRun: boolean, write: Write): Promise<KubeObject>;
  /** Update of the main resource (not status). */
  update(resource: ResourceInfo, previous: KubeObject, next: KubeObject, write: Write): Promise<KubeObject>;
  /** The key is removed (delete, or the last finalizer gone). */
  remove(resource: ResourceInfo, removeKey: () => Promise<KubeObject>): Promise<KubeObject>;
}

export const PLAIN_WRITES: WriteHooks = {
  carryOver: (_resource, _previous, desired) => desired,
  create: (_resource, obj, dryRun, write) => (dryRun ? Promise.resolve(obj) : write(obj)),
  update: (_resource, _previous, next, write) => write(next),
  remove: (_resource, removeKey) => removeKey(),
};

/** Dispatches to per-kind hooks; other kinds write plainly. */
export function hooksByKind(byKind: Record<string, WriteHooks>): WriteHooks {
  const of = (resource: ResourceInfo) => byKind[resource.kind] ?? PLAIN_WRITES;
  return {
    carryOver: (resource, previous, desired) => of(resource).carryOver(resource, previous, desired),
    create: (resource, obj, dryRun, write) => of(resource).create(resource, obj, dryRun, write),
    update: (resource, previous, next, write) => of(resource).update(resource, previous, next, write),
    remove: (resource, removeKey) => of(resource).remove(resource, removeKey),
  };
}
