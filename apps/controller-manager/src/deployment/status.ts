// Deployment status and conditions (Available, Progressing, ReplicaFailure) as Kubernetes
// computes them, which is what `kubectl rollout status` reads.
import { Condition, ConditionStatus, Deployment, DeploymentStatus, findCondition, ReplicaSet } from '@coxswain/api';
import { parseTime, rfc3339 } from '../framework/time';
import { hasProgressDeadline, maxUnavailable, replicasOf, rsReplicas } from './util';

export const REASON = {
  NewRSAvailable: 'NewReplicaSetAvailable',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  TimedOut: 'ProgressDeadlineExceeded',
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

export function newCondition(type: string, status: ConditionStatus, reason: string, message: string, now: number): Condition {
  const at = rfc3339(now);
  return { type, status, reason, message, lastUpdateTime: at, lastTransitionTime: at };
}

/**
 * Kubernetes' SetDeploymentCondition: same status and reason → unchanged; same status →
 * keep lastTransitionTime; the condition moves to the end of the list.
 */
export function setDeploymentCondition(conditions: Condition[] | undefined, next: Condition): Condition[] {
  const list = conditions ?? [];
  const current = findCondition(list, next.type);
  if (current && current.status === next.status && current.reason === next.reason) return list;
  const merged = current && current.status === next.status ? { ...next, lastTransitionTime: current.lastTransitionTime } : next;
  return [...list.filter((c) => c.type !== next.type), merged];
}

export const removeCondition = (conditions: Condition[] | undefined, type: string): Condition[] => (conditions ?? []).filter((c) => c.type !== type);

const sum = (rss: ReplicaSet[], f: (rs: ReplicaSet) => number | undefined) => rss.reduce((n, rs) => n + (f(rs) ?? 0), 0);

/** Counts from the ReplicaSets' statuses plus the Available condition. `conditions` are the working ones. */
export function calculateStatus(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined, conditions: Condition[] | undefined, now: number): DeploymentStatus {
  const available = sum(all, (rs) => rs.status?.availableReplicas);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: sum(all, (rs) => rs.status?.replicas),
    updatedReplicas: newRS ? (newRS.status?.replicas ?? 0) : 0,
    readyReplicas: sum(all, (rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sum(all, rsReplicas) - available),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  const enough = available >= replicasOf(d) - maxUnavailable(d);
  const condition = enough
    ? newCondition('Available', 'True', REASON.MinimumReplicasAvailable, 'Deployment has minimum availability.', now)
    : newCondition('Available', 'False', REASON.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', now);
  status.conditions = setDeploymentCondition(conditions, condition);
  return status;
}

/** Every replica updated, running and available, for the current generation. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const n = replicasOf(d);
  return status.updatedReplicas === n && status.replicas === n && status.availableReplicas === n && (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** Something moved since the stored status: more updated, ready or available, or fewer old. */
export function deploymentProgressing(d: Deployment, status: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

export function deploymentTimedOut(d: Deployment, status: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = findCondition(status.conditions, 'Progressing');
  if (!cond || cond.reason === REASON.NewRSAvailable) return false;
  if (cond.reason === REASON.TimedOut) return true;
  const from = parseTime(cond.lastUpdateTime) ?? now;
  return from + d.spec.progressDeadlineSeconds! * 1000 < now;
}

/** The first ReplicaFailure of the new, then the old ReplicaSets, as a Deployment condition. */
function replicaFailure(newRS: ReplicaSet | undefined, old: ReplicaSet[]): Condition | undefined {
  for (const rs of [...(newRS ? [newRS] : []), ...old]) {
    const cond = findCondition(rs.status?.conditions, 'ReplicaFailure');
    if (cond) return { type: 'ReplicaFailure', status: cond.status, reason: cond.reason, message: cond.message, lastUpdateTime: cond.lastTransitionTime, lastTransitionTime: cond.lastTransitionTime };
  }
  return undefined;
}

export interface RolloutStatus {
  status: DeploymentStatus;
  /** Check again then for the progress deadline. */
  requeueAfterMs?: number;
}

/** Kubernetes' syncRolloutStatus: calculateStatus plus the Progressing condition. */
export function rolloutStatus(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet | undefined, old: ReplicaSet[], conditions: Condition[] | undefined, now: number): RolloutStatus {
  const status = calculateStatus(d, all, newRS, conditions, now);
  if (!hasProgressDeadline(d)) status.conditions = removeCondition(status.conditions, 'Progressing');
  const current = findCondition(conditions, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && current?.reason === REASON.NewRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    const what = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, status)) {
      status.conditions = setDeploymentCondition(status.conditions, newCondition('Progressing', 'True', REASON.NewRSAvailable, `${what} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      const cond = newCondition('Progressing', 'True', REASON.ReplicaSetUpdated, `${what} is progressing.`, now);
      // Progress refreshes lastUpdateTime even when the reason stays the same.
      if (current?.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
      status.conditions = [...removeCondition(status.conditions, 'Progressing'), cond];
    } else if (deploymentTimedOut(d, status, now)) {
      status.conditions = setDeploymentCondition(status.conditions, newCondition('Progressing', 'False', REASON.TimedOut, `${what} has timed out progressing.`, now));
    }
  }
  const failure = replicaFailure(newRS, old);
  status.conditions = failure ? setDeploymentCondition(status.conditions, failure) : removeCondition(status.conditions, 'ReplicaFailure');
  return { status, requeueAfterMs: stuckRequeue(d, status, now) };
}

/** When to look again so a stalled rollout is marked ProgressDeadlineExceeded on time. */
function stuckRequeue(d: Deployment, status: DeploymentStatus, now: number): number | undefined {
  const cond = findCondition(status.conditions, 'Progressing');
  if (!hasProgressDeadline(d) || !cond || deploymentComplete(d, status) || cond.reason === REASON.TimedOut) return undefined;
  const updated = parseTime(cond.lastUpdateTime) ?? now;
  return Math.max(1000, updated + d.spec.progressDeadlineSeconds! * 1000 - now + 1);
}
