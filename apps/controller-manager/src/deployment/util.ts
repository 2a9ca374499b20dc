// Deployment bookkeeping as Kubernetes does it (pkg/controller/deployment/util), so that
// `kubectl rollout status|history|undo` read our objects the way they read Kubernetes'.
import { Deployment, PodTemplateSpec, ReplicaSet } from '@coxswain/api';
import { controllerRef } from '../framework/owners';
import { fnv32a, pruneEmpty, safeEncode, stableStringify } from '../framework/objects';
import { parseTime } from '../framework/time';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const POD_TEMPLATE_HASH = 'pod-template-hash';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
/** Annotations a Deployment does not pass on to its ReplicaSets. */
const NOT_COPIED = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);
const MAX_HISTORY_CHARS = 2000;

export const replicasOf = (d: Deployment): number => d.spec.replicas ?? 1;
export const rsReplicas = (rs: ReplicaSet): number => rs.spec.replicas ?? 0;
export const isRollingUpdate = (d: Deployment): boolean => (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
export const hasProgressDeadline = (d: Deployment): boolean => d.spec.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== 2147483647;

/** An int-or-percent against a total: `25%` of 10 is 3 rounded up, 2 rounded down. */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean, fallback: string): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const percent = /^(\d+)%$/.exec(v);
  if (!percent) {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new Error(`invalid value for IntOrString: "${v}"`);
    return n;
  }
  const exact = (Number(percent[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** maxSurge rounds up, maxUnavailable down; both zero would stall, so unavailable becomes 1. */
export function resolveFenceposts(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  const total = replicasOf(d);
  const ru = d.spec.strategy?.rollingUpdate;
  const maxSurge = scaledValue(ru?.maxSurge, total, true, '25%');
  let maxUnavailable = scaledValue(ru?.maxUnavailable, total, false, '25%');
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

export const maxSurge = (d: Deployment): number => (isRollingUpdate(d) ? resolveFenceposts(d).maxSurge : 0);

export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  return Math.min(resolveFenceposts(d).maxUnavailable, replicasOf(d));
}

/** The template without the hash label, pruned of empty values so Go and JS clients compare alike. */
function withoutHash(template: PodTemplateSpec | undefined): unknown {
  const copy = structuredClone(template ?? {}) as PodTemplateSpec;
  if (copy.metadata?.labels) delete copy.metadata.labels[POD_TEMPLATE_HASH];
  return pruneEmpty(copy) ?? {};
}

/** Same template apart from the pod-template-hash label (how the new ReplicaSet is found). */
export const equalIgnoreHash = (a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean => stableStringify(withoutHash(a)) === stableStringify(withoutHash(b));

/** The pod-template-hash of a template, salted with the collision count. */
export function templateHash(template: PodTemplateSpec, collisionCount?: number): string {
  const bytes = Buffer.from(stableStringify(withoutHash(template)));
  let hash = fnv32a(bytes);
  if (collisionCount !== undefined) {
    const salt = Buffer.alloc(4);
    salt.writeUInt32LE(collisionCount >>> 0);
    hash = fnv32a(salt, hash);
  }
  return safeEncode(String(hash));
}

export function revisionOf(rs: ReplicaSet): number {
  const text = rs.metadata.annotations?.[REVISION];
  const n = text === undefined ? 0 : Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

export const maxRevision = (rss: ReplicaSet[]): number => rss.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);

export const created = (rs: ReplicaSet): number => parseTime(rs.metadata.creationTimestamp) ?? Number.MAX_SAFE_INTEGER;

/** Oldest first; names break ties. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  return created(a) - created(b) || (a.metadata.name! < b.metadata.name! ? -1 : 1);
}

/** The oldest ReplicaSet whose template is the Deployment's (there should be one at most). */
export function findNewReplicaSet(d: Deployment, rss: ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  if (annotations[DESIRED_REPLICAS] !== String(desired)) {
    annotations[DESIRED_REPLICAS] = String(desired);
    changed = true;
  }
  if (annotations[MAX_REPLICAS] !== String(max)) {
    annotations[MAX_REPLICAS] = String(max);
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = rs.metadata.annotations ?? {};
  return annotations[DESIRED_REPLICAS] !== String(desired) || annotations[MAX_REPLICAS] !== String(max);
}

export function desiredReplicasAnnotation(rs: ReplicaSet): number | undefined {
  const text = rs.metadata.annotations?.[DESIRED_REPLICAS];
  const n = text === undefined ? NaN : Number(text);
  return Number.isInteger(n) ? n : undefined;
}

export function maxReplicasAnnotation(rs: ReplicaSet): number | undefined {
  const text = rs.metadata.annotations?.[MAX_REPLICAS];
  const n = text === undefined ? NaN : Number(text);
  return Number.isInteger(n) ? n : undefined;
}

/**
 * Copies the Deployment's annotations and raises the revision (keeping the one it had in
 * revision-history, which is how a rollback shows up). Mutates `rs`; true when it changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  const oldText = annotations[REVISION];
  const oldRevision = oldText === undefined ? 0 : Number(oldText);
  if (!Number.isSafeInteger(oldRevision)) return changed;
  if (oldRevision < newRevision) {
    annotations[REVISION] = String(newRevision);
    changed = true;
    if (oldText !== undefined) {
      const history = annotations[REVISION_HISTORY];
      let next = history ? `${history},${oldText}` : oldText;
      while (next.length > MAX_HISTORY_CHARS && next.includes(',')) next = next.slice(next.indexOf(',') + 1);
      annotations[REVISION_HISTORY] = next;
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** The ReplicaSet a Deployment creates for its current template (replicas and annotations set by the caller). */
export function newReplicaSetFor(d: Deployment, now: string): ReplicaSet {
  const hash = templateHash(d.spec.template, d.status?.collisionCount);
  const template = structuredClone(d.spec.template);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash } };
  const selector = structuredClone(d.spec.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...template.metadata.labels },
      ownerReferences: [controllerRef({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: d.metadata })],
      creationTimestamp: now,
    },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  } as ReplicaSet;
}
