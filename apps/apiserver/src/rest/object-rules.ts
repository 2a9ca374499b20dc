// Pure rules for what the server sets and keeps on create, update and delete (Kubernetes'
// "strategies"): identity fields, generation, status handling, graceful deletion.
import { randomBytes, randomUUID } from 'node:crypto';
import { generateJobSelector, KubeObject, podQosClass, ResourceInfo, rfc3339 } from '@coxswain/api';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export { rfc3339 };

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
export function generateNameSuffix(): string {
  const bytes = randomBytes(5);
  return Array.from(bytes, (b) => NAME_CHARS[b % NAME_CHARS.length]).join('');
}

/** Kinds whose status is written only through the status subresource. */
export const hasStatusSubresource = (resource: ResourceInfo): boolean => resource.subresources.includes('status');

/** Everything except metadata and status: a change here bumps generation. */
function specPart(obj: Obj): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;  
  return JSON.stringify(rest);
}

function initialStatus(resource: ResourceInfo, obj: Obj): unknown {
  switch (resource.kind) {
    case 'Pod':
      return { phase: 'Pending', qosClass: qosClass(obj.spec) };
    case 'VirtualMachineInstance':
    case 'PersistentVolume':
    case 'PersistentVolumeClaim':
      return { phase: 'Pending' };
    case 'Node':
    case 'Namespace':
      return obj.status;
    default:
      return hasStatusSubresource(resource) ? {} : obj.status;
  }
}

/** Kubernetes' ComputePodQOS (libs/api), written into status.qosClass on create. */
export function qosClass(spec: Obj | undefined): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  return podQosClass(spec);
}

/**
 * Server-owned fields on create. The input is left as it was; the result shares its nested
 * values (spec, labels …) except where it writes (a Job's spec is cloned for its selector):
 * callers hand over freshly defaulted objects, and a deep clone here cost a create ~1 %.
 */
export function prepareForCreate(resource: ResourceInfo, obj: KubeObject, now: Date): KubeObject {
  const out = (resource.kind === 'Job' ? structuredClone(obj) : { ...obj }) as Obj;
  out.metadata = { ...out.metadata };
  delete out.metadata.resourceVersion;
  delete out.metadata.deletionTimestamp;
  delete out.metadata.deletionGracePeriodSeconds;
  delete out.metadata.managedFields;
  delete out.metadata.selfLink;
  out.metadata.uid = randomUUID();
  out.metadata.creationTimestamp = rfc3339(now);
  out.metadata.generation = 1;
  if (resource.kind === 'Job') generateJobSelector(out);
  const status = initialStatus(resource, out);
  if (status === undefined) delete out.status;
  else out.status = status;
  return out as KubeObject;
}

/**
 * Server-owned fields on update of the main resource. The input is left as it was; the result
 * shares its nested values (metadata is copied before it is written), as prepareForCreate does.
 */
export function prepareForUpdate(resource: ResourceInfo, previous: KubeObject, next: KubeObject): KubeObject {
  const out = { ...next } as Obj;
  const old = previous as Obj;
  out.metadata = {
    ...out.metadata,
    uid: old.metadata.uid,
    creationTimestamp: old.metadata.creationTimestamp,
    deletionTimestamp: old.metadata.deletionTimestamp,
    deletionGracePeriodSeconds: old.metadata.deletionGracePeriodSeconds,
    generation: old.metadata.generation ?? 1,
  };
  for (const key of ['deletionTimestamp', 'deletionGracePeriodSeconds'] as const) if (out.metadata[key] === undefined) delete out.metadata[key];
  delete out.metadata.managedFields;
  if (hasStatusSubresource(resource)) {
    if (old.status === undefined) delete out.status;
    else out.status = old.status;
  }
  if (specPart(out) !== specPart(old)) out.metadata.generation = (old.metadata.generation ?? 1) + 1;
  return out as KubeObject;
}

/** Status subresource update: only status changes, everything else stays as stored. */
export function prepareForStatusUpdate(previous: KubeObject, next: KubeObject): KubeObject {
  const out = structuredClone(previous) as Obj;
  out.status = (next as Obj).status;
  if (out.status === undefined) delete out.status;
  return out as KubeObject;
}

/** True when two objects differ in anything but resourceVersion. */
export function changed(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return strip(a) !== strip(b);
}

export type DeletePlan =
  | { kind: 'remove' }
  | { kind: 'mark'; object: KubeObject }
  | { kind: 'unchanged' };

export interface DeleteRequest {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

/**
 * What a DELETE does: remove the key now, or mark the object (deletionTimestamp, finalizers
 * for foreground/orphan propagation, graceful termination of workloads running on a node).
 */
export function planDelete(resource: ResourceInfo, obj: KubeObject, request: DeleteRequest, now: Date): DeletePlan {
  const o = obj as Obj;
  const finalizers: string[] = [...(o.metadata.finalizers ?? [])];
  if (request.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
  if (request.propagationPolicy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
  if (resource.kind === 'Namespace' && !o.metadata.deletionTimestamp) {
    const marked = structuredClone(o);
    marked.metadata.deletionTimestamp = rfc3339(now);
    marked.metadata.finalizers = finalizers;
    marked.spec = { ...(marked.spec ?? {}), finalizers: marked.spec?.finalizers ?? ['kubernetes'] };
    marked.status = { ...(marked.status ?? {}), phase: 'Terminating' };
    return { kind: 'mark', object: marked as KubeObject };
  }
  const workload = resource.kind === 'Pod' || resource.kind === 'VirtualMachineInstance';
  const bound = workload && Boolean(o.spec?.nodeName) && !TERMINAL.has(o.status?.phase);
  const grace = request.gracePeriodSeconds ?? o.spec?.terminationGracePeriodSeconds ?? 30;
  const graceful = bound && grace > 0;
  if (!graceful && finalizers.length === 0) return { kind: 'remove' };
  const marked = structuredClone(o);
  marked.metadata.finalizers = finalizers.length ? finalizers : undefined;
  if (!marked.metadata.finalizers) delete marked.metadata.finalizers;
  if (graceful) {
    const previousGrace = o.metadata.deletionGracePeriodSeconds;
    if (o.metadata.deletionTimestamp && previousGrace !== undefined && previousGrace <= grace && finalizers.length === (o.metadata.finalizers ?? []).length) return { kind: 'unchanged' };
    marked.metadata.deletionGracePeriodSeconds = grace;
    marked.metadata.deletionTimestamp = rfc3339(new Date(now.getTime() + grace * 1000));
  } else if (!o.metadata.deletionTimestamp) {
    marked.metadata.deletionTimestamp = rfc3339(now);
    marked.metadata.deletionGracePeriodSeconds = 0;
  } else if (finalizers.length === (o.metadata.finalizers ?? []).length) {
    return { kind: 'unchanged' };
  }
  return { kind: 'mark', object: marked as KubeObject };
}

/** An object marked for deletion whose finalizers are all gone may be removed. */
export function readyToRemove(obj: KubeObject): boolean {
  return Boolean(obj.metadata.deletionTimestamp) && (obj.metadata.finalizers ?? []).length === 0 && !isGracefullyTerminating(obj);
}

/** Bound workloads wait for their node agent to confirm with a zero-grace delete. */
function isGracefullyTerminating(obj: KubeObject): boolean {
  const o = obj as Obj;
  return (o.kind === 'Pod' || o.kind === 'VirtualMachineInstance') && Boolean(o.spec?.nodeName) && (o.metadata.deletionGracePeriodSeconds ?? 0) > 0 && !TERMINAL.has(o.status?.phase);
}
