// Storage admission on create, as Kubernetes' DefaultStorageClass and
// StorageObjectInUseProtection plugins: a claim that names no class (the field absent, not "")
// gets the default StorageClass, and claims and volumes get their protection finalizer.
import { DEFAULT_CLASS_ANNOTATION, KubeObject, PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from '@coxswain/api';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The default class: annotated "true"; with several, the newest, then by name (Kubernetes 1.26+). */
export function defaultStorageClass(classes: KubeObject[]): KubeObject | undefined {
  const defaults = classes.filter((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  return defaults.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
}

const withFinalizer = (obj: Obj, finalizer: string): void => {
  const finalizers: string[] = obj.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) obj.metadata.finalizers = [...finalizers, finalizer];
};

/** Whether admitting `obj` needs the StorageClasses (a claim naming no class). */
export const needsStorageClasses = (obj: KubeObject): boolean => obj.kind === 'PersistentVolumeClaim' && ((obj as Obj).spec?.storageClassName ?? undefined) === undefined;

/** Admits a PersistentVolume or PersistentVolumeClaim being created; other kinds pass through. */
export function admitStorageCreate(obj: KubeObject, classes: KubeObject[]): KubeObject {
  if (obj.kind !== 'PersistentVolumeClaim' && obj.kind !== 'PersistentVolume') return obj;
  const out = structuredClone(obj) as Obj;
  if (out.kind === 'PersistentVolume') {
    withFinalizer(out, PV_PROTECTION_FINALIZER);
    return out as KubeObject;
  }
  withFinalizer(out, PVC_PROTECTION_FINALIZER);
  out.spec ??= {};
  if (out.spec.storageClassName === undefined || out.spec.storageClassName === null) {
    const chosen = defaultStorageClass(classes);
    if (chosen) out.spec.storageClassName = chosen.metadata.name;
  }
  return out as KubeObject;
}

const withoutConditions = (obj: Obj): string => JSON.stringify({ ...obj, metadata: { ...obj.metadata, resourceVersion: undefined }, status: { ...(obj.status ?? {}), conditions: undefined } });

/**
 * NodeRestriction for a node writing a claim's status: only status.conditions may change (the
 * node agent reports a DataVolume import there); phase, capacity and access modes are the PV
 * controller's. Returns why not, or undefined.
 */
export function nodeClaimStatusRefusal(node: string, previous: KubeObject, next: KubeObject): string | undefined {
  return withoutConditions(previous as Obj) === withoutConditions(next as Obj) ? undefined : `node "${node}" is not allowed to update fields other than status.conditions`;
}
