// Job tracking with finalizers (Kubernetes' trackJobStatusAndRemoveFinalizers): every Job pod
// carries `batch.kubernetes.io/job-tracking`, so a finished pod cannot disappear before it is
// counted. A pass records newly finished pods in status.uncountedTerminatedPods (Indexed
// successes go straight into completedIndexes), and only after that status is written are
// their finalizers removed; a uid whose pod no longer carries the finalizer moves from
// uncounted into succeeded/failed. The status is the record, so a controller restart or a
// pod deleted by someone else neither loses nor doubles a count. Pure.
import { Job, JobStatus, Pod } from '@coxswain/api';
import { matchFailurePolicy } from './failure-policy';
import { completionIndexOf, formatIndexes, parseIndexes } from './indexes';

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

export const isTracked = (pod: Pod): boolean => (pod.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);

export interface Tracking {
  /** Successes so far, counted or not (Indexed: the completed indexes). */
  succeeded: number;
  /** Counted failures so far, counted or not. */
  failed: number;
  succeededIndexes: Set<number>;
  /** Failed pods still present whose failure counts (for the back-off clock). */
  failedPods: Pod[];
  /** The first failed pod that matched a FailJob rule. */
  failJob?: string;
  /** Pods whose finalizer comes off once `recorded` is written. */
  removeFinalizers: Pod[];
  /** The Job's status with this pass's newly finished pods recorded as uncounted (phase 1). */
  recorded: JobStatus;
  /** The counters once every finalizer in removeFinalizers is off (phase 3). */
  counted: Pick<JobStatus, 'succeeded' | 'failed' | 'completedIndexes' | 'uncountedTerminatedPods'>;
}

/**
 * `ending`: the Job is finished, suspended or already failing/succeeding, so the pods it is
 * terminating are not failures; otherwise a pod deleted before it finished counts as failed
 * (Kubernetes' rule for orphans that never reach the Failed phase).
 */
export function trackTerminated(job: Job, pods: Pod[], ending: boolean): Tracking {
  const previous = job.status ?? {};
  const indexed = job.spec.completionMode === 'Indexed';
  const completions = job.spec.completions ?? 0;
  const uncountedSucceeded = new Set(previous.uncountedTerminatedPods?.succeeded ?? []);
  const uncountedFailed = new Set(previous.uncountedTerminatedPods?.failed ?? []);
  const succeededIndexes = new Set(parseIndexes(previous.completedIndexes ?? ''));
  const withFinalizer = new Set(pods.filter(isTracked).map((p) => p.metadata.uid));
  const tracking: Tracking = { succeeded: 0, failed: 0, succeededIndexes, failedPods: [], removeFinalizers: [], recorded: previous, counted: {} };

  for (const pod of pods) {
    const uid = pod.metadata.uid!;
    const phase = pod.status?.phase;
    const policy = phase === 'Failed' ? matchFailurePolicy(job.spec.podFailurePolicy, pod) : undefined;
    const countsAsFailure = phase === 'Failed' && policy?.action !== 'Ignore';
    if (countsAsFailure) tracking.failedPods.push(pod);
    if (policy?.action === 'FailJob') tracking.failJob ??= policy.message;
    if (!isTracked(pod)) {
      // A succeeded pod still present completed its index even when the Job status that
      // recorded it is not in this (possibly stale) view yet: without this, a pass between the
      // finalizer removal and the status write reaching the informer ran the index again.
      if (indexed && phase === 'Succeeded') {
        const index = completionIndexOf(pod);
        if (index !== undefined && index < completions) succeededIndexes.add(index);
      }
      continue;
    }
    if (uncountedSucceeded.has(uid) || uncountedFailed.has(uid)) {
      // Recorded by an earlier pass whose finalizer removal did not happen (or not yet).
      tracking.removeFinalizers.push(pod);
      continue;
    }
    if (phase === 'Succeeded') {
      tracking.removeFinalizers.push(pod);
      if (!indexed) uncountedSucceeded.add(uid);
      else {
        const index = completionIndexOf(pod);
        if (index !== undefined && index < completions) succeededIndexes.add(index);
      }
    } else if (phase === 'Failed') {
      tracking.removeFinalizers.push(pod);
      if (countsAsFailure) uncountedFailed.add(uid);
    } else if (pod.metadata.deletionTimestamp) {
      tracking.removeFinalizers.push(pod);
      if (!ending) uncountedFailed.add(uid);
    } else if (ending && isFinishedJob(job)) {
      // A finished Job keeps no hold on pods that are still going.
      tracking.removeFinalizers.push(pod);
    }
  }

  const uncounted = (set: Set<string>) => [...set];
  tracking.recorded = {
    ...previous,
    uncountedTerminatedPods: omitEmpty(uncounted(uncountedSucceeded), uncounted(uncountedFailed)),
    ...(indexed ? { completedIndexes: formatIndexes(succeededIndexes), succeeded: succeededIndexes.size } : {}),
  };
  // Phase 3, assuming every removal succeeds: what no pod holds any more is counted.
  const removing = new Set(tracking.removeFinalizers.map((p) => p.metadata.uid));
  const held = (uid: string) => withFinalizer.has(uid) && !removing.has(uid);
  const stillSucceeded = uncounted(uncountedSucceeded).filter(held);
  const stillFailed = uncounted(uncountedFailed).filter(held);
  tracking.counted = {
    succeeded: indexed ? succeededIndexes.size : (previous.succeeded ?? 0) + uncountedSucceeded.size - stillSucceeded.length,
    failed: (previous.failed ?? 0) + uncountedFailed.size - stillFailed.length,
    uncountedTerminatedPods: omitEmpty(stillSucceeded, stillFailed),
    ...(indexed ? { completedIndexes: formatIndexes(succeededIndexes) } : {}),
  };
  tracking.succeeded = indexed ? succeededIndexes.size : (previous.succeeded ?? 0) + uncountedSucceeded.size;
  tracking.failed = (previous.failed ?? 0) + uncountedFailed.size;
  return tracking;
}

function omitEmpty(succeeded: string[], failed: string[]): JobStatus['uncountedTerminatedPods'] {
  return { ...(succeeded.length ? { succeeded } : {}), ...(failed.length ? { failed } : {}) };
}

function isFinishedJob(job: Job): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}
