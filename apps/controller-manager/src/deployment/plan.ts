// Deployment: roll ReplicaSets from the old template to the new one (RollingUpdate within
// maxSurge/maxUnavailable, or Recreate), scale proportionally, keep revision history.
// Pure: the working copies below stand in for the API writes Kubernetes' controller makes
// one after another; the plan lists those writes for the applier.
import { Condition, Deployment, DeploymentStatus, findCondition, Pod, ReplicaSet } from '@coxswain/api';
import { deepEqual } from '../framework/objects';
import { rfc3339 } from '../framework/time';
import { calculateStatus, deploymentComplete, newCondition, REASON, rolloutStatus, setDeploymentCondition } from './status';
import {
  byCreation,
  created,
  desiredReplicasAnnotation,
  findNewReplicaSet,
  hasProgressDeadline,
  isRollingUpdate,
  maxReplicasAnnotation,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newReplicaSetFor,
  replicasAnnotationsNeedUpdate,
  replicasOf,
  REVISION,
  revisionOf,
  rsReplicas,
  scaledValue,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './util';

export interface DeploymentInput {
  d: Deployment;
  /** ReplicaSets the Deployment controls (after claiming). */
  rss: ReplicaSet[];
  /** Pods of those ReplicaSets by ReplicaSet uid (Recreate waits for old ones to go). */
  podsByRs: Map<string, Pod[]>;
  now: number;
}

export type DeploymentAction =
  | { type: 'createReplicaSet'; rs: ReplicaSet }
  /** PUT of the whole ReplicaSet (replicas, annotations, minReadySeconds), guarded by its resourceVersion. */
  | { type: 'updateReplicaSet'; rs: ReplicaSet }
  | { type: 'deleteReplicaSet'; rs: ReplicaSet };

export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface DeploymentPlan {
  actions: DeploymentAction[];
  /** Deployment annotations to merge-patch (the revision). */
  annotations?: Record<string, string>;
  /** The status to write, when it differs from the stored one. */
  status?: DeploymentStatus;
  events: PlannedEvent[];
  requeueAfterMs?: number;
}

interface Entry {
  rs: ReplicaSet;
  create: boolean;
  dirty: boolean;
  deleted: boolean;
}

class Rollout {
  readonly d: Deployment;
  readonly now: number;
  private readonly entries: Entry[];
  conditions: Condition[] | undefined;
  annotations?: Record<string, string>;
  status?: DeploymentStatus;
  requeueAfterMs?: number;
  readonly events: PlannedEvent[] = [];

  constructor(input: DeploymentInput) {
    this.d = input.d;
    this.now = input.now;
    this.entries = input.rss.map((rs) => ({ rs: structuredClone(rs), create: false, dirty: false, deleted: false }));
    this.conditions = structuredClone(input.d.status?.conditions);
  }

  private live(): ReplicaSet[] {
    return this.entries.filter((e) => !e.deleted).map((e) => e.rs);
  }

  private entry(rs: ReplicaSet): Entry {
    return this.entries.find((e) => e.rs === rs)!;
  }

  /**
   * getAllReplicaSetsAndSyncRevision: the new ReplicaSet (creating it when asked) with its
   * revision above every old one, and the old ones.
   */
  newAndOld(create: boolean): { newRS?: ReplicaSet; old: ReplicaSet[] } {
    const all = this.live();
    const existing = findNewReplicaSet(this.d, all);
    const old = all.filter((rs) => rs !== existing);
    const newRevision = maxRevision(old) + 1;
    if (existing) {
      const changed = setNewReplicaSetAnnotations(this.d, existing, newRevision, true);
      if (changed || (existing.spec.minReadySeconds ?? 0) !== (this.d.spec.minReadySeconds ?? 0)) {
        existing.spec.minReadySeconds = this.d.spec.minReadySeconds ?? 0;
        this.entry(existing).dirty = true;
      }
      this.setRevision(existing.metadata.annotations?.[REVISION]);
      if (hasProgressDeadline(this.d) && !findCondition(this.conditions, 'Progressing')) {
        this.setCondition(newCondition('Progressing', 'True', REASON.FoundNewReplicaSet, `Found new replica set "${existing.metadata.name}"`, this.now));
      }
      return { newRS: existing, old };
    }
    if (!create) return { old };
    const rs = newReplicaSetFor(this.d, rfc3339(this.now));
    rs.spec.replicas = this.newRSReplicas([...old, rs], rs);
    setNewReplicaSetAnnotations(this.d, rs, newRevision, false);
    this.entries.push({ rs, create: true, dirty: false, deleted: false });
    if (rsReplicas(rs) > 0) this.event('Normal', 'ScalingReplicaSet', `Scaled up replica set ${rs.metadata.name} to ${rsReplicas(rs)}`);
    this.setRevision(String(newRevision));
    if (hasProgressDeadline(this.d)) {
      this.setCondition(newCondition('Progressing', 'True', REASON.NewReplicaSetCreated, `Created new replica set "${rs.metadata.name}"`, this.now));
    }
    return { newRS: rs, old };
  }

  private setRevision(revision: string | undefined): void {
    if (revision === undefined || this.d.metadata.annotations?.[REVISION] === revision) return;
    this.annotations = { [REVISION]: revision };
  }

  setCondition(cond: Condition): void {
    this.conditions = setDeploymentCondition(this.conditions, cond);
  }

  /** NewRSNewReplicas: how far the new ReplicaSet may grow now. */
  newRSReplicas(all: ReplicaSet[], newRS: ReplicaSet): number {
    if (!isRollingUpdate(this.d)) return replicasOf(this.d);
    const surge = scaledValue(this.d.spec.strategy?.rollingUpdate?.maxSurge, replicasOf(this.d), true, '25%');
    const current = all.reduce((n, rs) => n + rsReplicas(rs), 0);
    const maxTotal = replicasOf(this.d) + surge;
    if (current >= maxTotal) return rsReplicas(newRS);
    return rsReplicas(newRS) + Math.min(maxTotal - current, replicasOf(this.d) - rsReplicas(newRS));
  }

  /** Sets a ReplicaSet's size (and the replicas annotations); returns whether its size changed. */
  scaleRS(rs: ReplicaSet, size: number, operation?: 'up' | 'down'): boolean {
    const sizeChanged = rsReplicas(rs) !== size;
    const desired = replicasOf(this.d);
    const max = desired + maxSurge(this.d);
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, desired, max)) return false;
    const from = rsReplicas(rs);
    rs.spec.replicas = size;
    setReplicasAnnotations(rs, desired, max);
    this.entry(rs).dirty = true;
    if (sizeChanged) {
      const op = operation ?? (size > from ? 'up' : 'down');
      this.event('Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata.name} to ${size} from ${from}`);
    }
    return sizeChanged;
  }

  event(type: PlannedEvent['type'], reason: string, message: string): void {
    this.events.push({ type, reason, message });
  }

  /** Deletes ReplicaSets beyond revisionHistoryLimit, oldest revision first, only empty ones. */
  cleanup(old: ReplicaSet[]): void {
    const limit = this.d.spec.revisionHistoryLimit;
    if (limit === undefined) return;
    const cleanable = old.filter((rs) => !rs.metadata.deletionTimestamp);
    const excess = cleanable.length - limit;
    if (excess <= 0) return;
    const ordered = [...cleanable].sort((a, b) => revisionOf(a) - revisionOf(b) || created(a) - created(b));
    for (const rs of ordered.slice(0, excess)) {
      if ((rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      this.entry(rs).deleted = true;
    }
  }

  /** syncRolloutStatus: status with progress; requeue for the deadline. */
  syncRolloutStatus(newRS: ReplicaSet | undefined, old: ReplicaSet[]): void {
    const all = [...old, ...(newRS ? [newRS] : [])];
    const result = rolloutStatus(this.d, all, newRS, old, this.conditions, this.now);
    this.status = result.status;
    this.requeueAfterMs = result.requeueAfterMs;
  }

  /** syncDeploymentStatus: counts and Available only (paused, scaling, deleting). */
  syncStatus(newRS: ReplicaSet | undefined, old: ReplicaSet[]): void {
    this.status = calculateStatus(this.d, [...old, ...(newRS ? [newRS] : [])], newRS, this.conditions, this.now);
  }

  result(): DeploymentPlan {
    const actions: DeploymentAction[] = [];
    for (const e of this.entries) if (e.create && !e.deleted) actions.push({ type: 'createReplicaSet', rs: e.rs });
    for (const e of this.entries) if (!e.create && e.dirty && !e.deleted) actions.push({ type: 'updateReplicaSet', rs: e.rs });
    for (const e of this.entries) if (!e.create && e.deleted) actions.push({ type: 'deleteReplicaSet', rs: e.rs });
    const changed = this.status && !deepEqual(this.status, this.d.status ?? {});
    return { actions, annotations: this.annotations, status: changed ? this.status : undefined, events: this.events, requeueAfterMs: this.requeueAfterMs };
  }
}

const active = (rss: ReplicaSet[]) => rss.filter((rs) => rsReplicas(rs) > 0);
const sumReplicas = (rss: ReplicaSet[]) => rss.reduce((n, rs) => n + rsReplicas(rs), 0);
/**
 * Available replicas as far as the rollout arithmetic may count them: never more than the
 * ReplicaSet's spec. Right after a scale-down the cached status still counts the pods being
 * removed (the ReplicaSet controller has not written its status yet); counting them let the
 * next pass scale down again and dip below minAvailable.
 */
const availableOf = (rs: ReplicaSet) => Math.min(rs.status?.availableReplicas ?? 0, rsReplicas(rs));
const sumAvailable = (rss: ReplicaSet[]) => rss.reduce((n, rs) => n + availableOf(rs), 0);

export function planDeployment(input: DeploymentInput): DeploymentPlan {
  const r = new Rollout(input);
  const d = r.d;
  if (d.metadata.deletionTimestamp) {
    const { newRS, old } = r.newAndOld(false);
    r.syncStatus(newRS, old);
    return r.result();
  }
  checkPausedConditions(r);
  if (d.spec.paused || isScalingEvent(r)) {
    sync(r);
    return r.result();
  }
  if (isRollingUpdate(d)) rolloutRolling(r);
  else rolloutRecreate(r, input.podsByRs);
  return r.result();
}

function checkPausedConditions(r: Rollout): void {
  if (!hasProgressDeadline(r.d)) return;
  const cond = findCondition(r.conditions, 'Progressing');
  if (cond?.reason === REASON.TimedOut) return;
  const pausedShown = cond?.reason === REASON.Paused;
  if (r.d.spec.paused && !pausedShown) r.setCondition(newCondition('Progressing', 'Unknown', REASON.Paused, 'Deployment is paused', r.now));
  else if (!r.d.spec.paused && pausedShown) r.setCondition(newCondition('Progressing', 'Unknown', REASON.Resumed, 'Deployment is resumed', r.now));
}

/** The replica count changed while some active ReplicaSet was sized for another count. */
function isScalingEvent(r: Rollout): boolean {
  const { newRS, old } = r.newAndOld(false);
  const all = [...old, ...(newRS ? [newRS] : [])];
  return active(all).some((rs) => {
    const desired = desiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== replicasOf(r.d);
  });
}

/** Paused or scaling: resize without rolling, clean up history when paused. */
function sync(r: Rollout): void {
  const { newRS, old } = r.newAndOld(false);
  scale(r, newRS, old);
  if (r.d.spec.paused) r.cleanup(old);
  r.syncStatus(newRS, old);
}

function scale(r: Rollout, newRS: ReplicaSet | undefined, old: ReplicaSet[]): void {
  const d = r.d;
  const target = activeOrLatest(newRS, old);
  if (target) {
    if (rsReplicas(target) !== replicasOf(d)) r.scaleRS(target, replicasOf(d));
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const rs of active(old)) r.scaleRS(rs, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const all = active([...old, ...(newRS ? [newRS] : [])]);
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - sumReplicas(all);
  if (toAdd > 0) all.sort((a, b) => rsReplicas(b) - rsReplicas(a) || created(b) - created(a));
  else if (toAdd < 0) all.sort((a, b) => rsReplicas(b) - rsReplicas(a) || created(a) - created(b));
  let added = 0;
  const sizes = new Map<ReplicaSet, number>();
  for (const rs of all) {
    const proportion = toAdd === 0 ? 0 : proportionFor(r, rs, toAdd, added);
    sizes.set(rs, rsReplicas(rs) + proportion);
    added += proportion;
  }
  all.forEach((rs, i) => {
    let size = sizes.get(rs)!;
    // Leftovers go to the largest ReplicaSet.
    if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
    r.scaleRS(rs, size, toAdd > 0 ? 'up' : toAdd < 0 ? 'down' : undefined);
  });
}

function proportionFor(r: Rollout, rs: ReplicaSet, toAdd: number, added: number): number {
  if (rsReplicas(rs) === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(r, rs);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(r: Rollout, rs: ReplicaSet): number {
  const d = r.d;
  if (replicasOf(d) === 0) return -rsReplicas(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  const annotated = maxReplicasAnnotation(rs) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return Math.round((rsReplicas(rs) * deploymentReplicas) / annotated) - rsReplicas(rs);
}

function activeOrLatest(newRS: ReplicaSet | undefined, old: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && old.length === 0) return undefined;
  const newestOld = [...old].sort((a, b) => byCreation(b, a));
  const all = active([...newestOld, ...(newRS ? [newRS] : [])]);
  if (all.length === 0) return newRS ?? newestOld[0];
  if (all.length === 1) return all[0];
  return undefined;
}

function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  return rsReplicas(rs) === replicasOf(d) && desiredReplicasAnnotation(rs) === replicasOf(d) && (rs.status?.availableReplicas ?? 0) === replicasOf(d);
}

function rolloutRolling(r: Rollout): void {
  const { newRS, old } = r.newAndOld(true);
  const all = [...old, newRS!];
  if (reconcileNewReplicaSet(r, all, newRS!)) return r.syncRolloutStatus(newRS, old);
  if (reconcileOldReplicaSets(r, all, active(old), newRS!)) return r.syncRolloutStatus(newRS, old);
  if (deploymentComplete(r.d, r.d.status ?? {})) r.cleanup(old);
  r.syncRolloutStatus(newRS, old);
}

function reconcileNewReplicaSet(r: Rollout, all: ReplicaSet[], newRS: ReplicaSet): boolean {
  const want = replicasOf(r.d);
  if (rsReplicas(newRS) === want) return false;
  if (rsReplicas(newRS) > want) return r.scaleRS(newRS, want, 'down');
  return r.scaleRS(newRS, r.newRSReplicas(all, newRS), 'up');
}

function reconcileOldReplicaSets(r: Rollout, all: ReplicaSet[], oldActive: ReplicaSet[], newRS: ReplicaSet): boolean {
  if (sumReplicas(oldActive) === 0) return false;
  const minAvailable = replicasOf(r.d) - maxUnavailable(r.d);
  const newUnavailable = rsReplicas(newRS) - availableOf(newRS);
  const maxScaledDown = sumReplicas(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  // First drop old replicas that are not available anyway: that costs no availability.
  let cleaned = 0;
  for (const rs of [...oldActive].sort(byCreation)) {
    if (cleaned >= maxScaledDown) break;
    const unhealthy = rsReplicas(rs) - availableOf(rs);
    if (rsReplicas(rs) === 0 || unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    r.scaleRS(rs, rsReplicas(rs) - down, 'down');
    cleaned += down;
  }
  // Then scale old ones down as far as availability above minAvailable allows.
  const available = sumAvailable(all);
  let scaled = 0;
  if (available > minAvailable) {
    const total = available - minAvailable;
    for (const rs of [...oldActive].sort(byCreation)) {
      if (scaled >= total) break;
      if (rsReplicas(rs) === 0) continue;
      const down = Math.min(rsReplicas(rs), total - scaled);
      r.scaleRS(rs, rsReplicas(rs) - down, 'down');
      scaled += down;
    }
  }
  return cleaned + scaled > 0;
}

function rolloutRecreate(r: Rollout, podsByRs: Map<string, Pod[]>): void {
  let { newRS, old } = r.newAndOld(false);
  let scaledDown = false;
  for (const rs of active(old)) if (r.scaleRS(rs, 0, 'down')) scaledDown = true;
  if (scaledDown) return r.syncRolloutStatus(newRS, old);
  if (oldPodsRunning(newRS, old, podsByRs)) return r.syncRolloutStatus(newRS, old);
  if (!newRS) ({ newRS, old } = r.newAndOld(true));
  r.scaleRS(newRS!, replicasOf(r.d), 'up');
  if (deploymentComplete(r.d, r.d.status ?? {})) r.cleanup(old);
  r.syncRolloutStatus(newRS, old);
}

function oldPodsRunning(newRS: ReplicaSet | undefined, old: ReplicaSet[], podsByRs: Map<string, Pod[]>): boolean {
  if (old.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
  for (const [uid, pods] of podsByRs) {
    if (newRS && newRS.metadata.uid === uid) continue;
    if (pods.some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded')) return true;
  }
  return false;
}
