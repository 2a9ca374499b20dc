// Namespace lifecycle: the built-in namespaces exist, and a deleted namespace first loses
// everything in it (Kubernetes' namespace controller), then disappears itself.
import { KubeObject, RESOURCES, resourceForKind, StatusError } from '@coxswain/api';
import { Logger } from 'pino';
import { ObjectStore } from '../storage/object-store';
import { prepareForCreate } from './object-rules';

const NAMESPACES = resourceForKind('Namespace')!;
export const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function ensureBuiltinNamespaces(store: ObjectStore, now = new Date()): Promise<void> {
  for (const name of BUILTIN_NAMESPACES) {
    if (await store.get(NAMESPACES, undefined, name)) continue;
    const ns = prepareForCreate(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } } as KubeObject, now);
    try {
      await store.create(NAMESPACES, ns);
    } catch (error) {
      if (!(error instanceof StatusError && error.code === 409)) throw error;
    }
  }
}

export class NamespaceCleaner {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly deleteObject: (resourceKind: string, namespace: string, name: string) => Promise<void>,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One pass: for each terminating namespace delete its content, or the namespace once empty. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const list = await this.store.list(NAMESPACES, {});
      for (const ns of list.items.filter((n) => n.metadata.deletionTimestamp)) await this.drain(ns);
    } catch (error) {
      this.logger.warn({ err: error }, 'namespace cleanup pass failed');
    } finally {
      this.running = false;
    }
  }

  private async drain(ns: KubeObject): Promise<void> {
    const name = ns.metadata.name!;
    let remaining = 0;
    for (const resource of RESOURCES.filter((r) => r.namespaced)) {
      const { items } = await this.store.list(resource, { namespace: name });
      remaining += items.length;
      for (const item of items) {
        if (item.metadata.deletionTimestamp && resource.kind !== 'Event') continue;
        await this.deleteObject(resource.kind, name, item.metadata.name!).catch((error) => {
          if (!(error instanceof StatusError && error.code === 404)) this.logger.warn({ err: error, namespace: name, kind: resource.kind }, 'namespace cleanup could not delete an object');
        });
      }
    }
    if (remaining > 0) return;
    const fresh = await this.store.get(NAMESPACES, undefined, name);
    if (!fresh) return;
    if ((fresh.metadata.finalizers ?? []).length > 0) return; // others (orphan/foreground) still hold it
    await this.store.delete(NAMESPACES, undefined, name, Number(fresh.metadata.resourceVersion)).catch(() => undefined);
    this.logger.info({ namespace: name }, 'namespace deleted');
  }
}
