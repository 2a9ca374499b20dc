// Job: run pods until enough succeed (or, Indexed, every index once), within backoffLimit,
// activeDeadlineSeconds and podFailurePolicy; then Complete or Failed, and TTL cleanup.
// Pure: the controller feeds in the Job and the pods it controls, and applies the plan.
import { Condition, findCondition, Job, JobStatus, Pod, setCondition } from '@coxswain/api';
import { parseTime, rfc3339 } from '../framework/time';
import { compareForDeletion, podView } from '../framework/workloads';
import { completionIndexOf } from './indexes';
import { trackTerminated } from './tracking';

/** Kubernetes' DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */
export const BACKOFF_BASE_MS = 10_000;
export const BACKOFF_MAX_MS = 360_000;
/** Creations per pass (Kubernetes' MaxPodCreateDeletePerSync). */
export const MAX_CREATES_PER_PASS = 500;

export interface JobInput {
  job: Job;
  /** Pods the Job controls (after adoption and release). */
  pods: Pod[];
  now: number;
  /** False while the cache has not caught up with the previous pass's creates/deletes. */
  expectationsSatisfied: boolean;
}

export interface JobEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface JobPlan {
  /** Pods to create: one entry each, the completion index for Indexed Jobs. */
  create: Array<number | undefined>;
  delete: Pod[];
  /** Pods whose job-tracking finalizer comes off, after `recorded` is written. */
  removeFinalizers: Pod[];
  /** The status recording newly finished pods as uncounted, written before any finalizer comes off. */
  recorded?: JobStatus;
  /** The status once every finalizer in removeFinalizers is off. */
  status: JobStatus;
  events: JobEvent[];
  /** The Job finished longer ago than ttlSecondsAfterFinished: delete it. */
  deleteJob: boolean;
  requeueAfterMs?: number;
}

type Failure = { reason: 'BackoffLimitExceeded' | 'DeadlineExceeded' | 'PodFailurePolicy'; message: string };

const isTrue = (conditions: Condition[] | undefined, type: string) => findCondition(conditions, type)?.status === 'True';

export function isJobFinished(job: Job): boolean {
  return isTrue(job.status?.conditions, 'Complete') || isTrue(job.status?.conditions, 'Failed');
}

/** When the Job finished (completionTime, else the Failed condition's time). */
export function jobFinishedAt(job: Job): number | undefined {
  const failed = findCondition(job.status?.conditions, 'Failed');
  return parseTime(job.status?.completionTime) ?? (failed?.status === 'True' ? parseTime(failed.lastTransitionTime) : undefined);
}

export function backoffDelayMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 30), BACKOFF_MAX_MS);
}

/** When a failed pod finished: its last container's finish, else its last condition change. */
function failedAt(pod: Pod): number {
  const finishes = (pod.status?.containerStatuses ?? []).map((c) => parseTime(c.state?.terminated?.finishedAt)).filter((t): t is number => t !== undefined);
  if (finishes.length) return Math.max(...finishes);
  const transitions = (pod.status?.conditions ?? []).map((c) => parseTime(c.lastTransitionTime)).filter((t): t is number => t !== undefined);
  return transitions.length ? Math.max(...transitions) : parseTime(pod.metadata.creationTimestamp) ?? 0;
}

export function planJob(input: JobInput): JobPlan {
  const { job, now } = input;
  const plan: JobPlan = { create: [], delete: [], removeFinalizers: [], status: { ...(job.status ?? {}) }, events: [], deleteJob: false };
  const status = plan.status;
  const stamp = rfc3339(now);
  const spec = job.spec;
  const indexed = spec.completionMode === 'Indexed';
  const parallelism = spec.parallelism ?? 1;
  const completions = spec.completions ?? undefined;
  const backoffLimit = spec.backoffLimit ?? 6;

  const running = input.pods.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const terminating = input.pods.filter((p) => p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');

  // Finished pods are counted through the status (see tracking.ts), not by what pods remain.
  const conditions = job.status?.conditions;
  const ending = isJobFinished(job) || Boolean(spec.suspend) || isTrue(conditions, 'FailureTarget') || isTrue(conditions, 'SuccessCriteriaMet');
  const tracking = trackTerminated(job, input.pods, ending);
  plan.removeFinalizers = tracking.removeFinalizers;
  if (tracking.removeFinalizers.length) plan.recorded = tracking.recorded;
  const policyFailure: Failure | undefined = tracking.failJob ? { reason: 'PodFailurePolicy', message: tracking.failJob } : undefined;
  const succeededIndexes = tracking.succeededIndexes;
  const succeeded = tracking.succeeded;
  const failures = tracking.failed;
  Object.assign(status, tracking.counted);
  if (!status.uncountedTerminatedPods?.succeeded && !status.uncountedTerminatedPods?.failed) status.uncountedTerminatedPods = {};
  status.active = running.length;
  status.ready = running.filter((p) => podView(p).ready).length;
  status.terminating = terminating.length;

  if (isJobFinished(job)) {
    plan.delete = running;
    planTtl(job, now, plan);
    return plan;
  }

  // Suspension: no pods run; resuming restarts the deadline clock.
  const wasSuspended = isTrue(job.status?.conditions, 'Suspended');
  if (spec.suspend) {
    plan.delete = running;
    status.active = 0;
    if (!wasSuspended) {
      status.conditions = setCondition(status.conditions, { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' }, stamp);
      plan.events.push({ type: 'Normal', reason: 'Suspended', message: 'Job suspended' });
    }
    return plan;
  }
  if (wasSuspended) {
    status.conditions = setCondition(status.conditions, { type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed' }, stamp);
    plan.events.push({ type: 'Normal', reason: 'Resumed', message: 'Job resumed' });
    status.startTime = stamp;
  }
  status.startTime ??= stamp;

  // Failure, in Kubernetes' order: pod failure policy, backoff limit, deadline.
  const restarts = spec.template.spec.restartPolicy === 'OnFailure' ? running.reduce((sum, p) => sum + podView(p).restarts, 0) : 0;
  const pastBackoff = failures > backoffLimit || (spec.template.spec.restartPolicy === 'OnFailure' && (backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit));
  const deadlineAt = spec.activeDeadlineSeconds !== undefined ? (parseTime(status.startTime) ?? now) + spec.activeDeadlineSeconds * 1000 : undefined;
  const existingTarget = findCondition(job.status?.conditions, 'FailureTarget');
  const failure: Failure | undefined =
    existingTarget?.status === 'True'
      ? { reason: existingTarget.reason as Failure['reason'], message: existingTarget.message ?? '' }
      : policyFailure ??
        (pastBackoff ? { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' } : undefined) ??
        (deadlineAt !== undefined && now >= deadlineAt ? { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' } : undefined);
  if (failure) {
    plan.delete = running;
    if (existingTarget?.status !== 'True') {
      status.conditions = setCondition(status.conditions, { type: 'FailureTarget', status: 'True', reason: failure.reason, message: failure.message }, stamp);
      plan.events.push({ type: 'Warning', reason: failure.reason, message: failure.message });
    }
    if (running.length === 0 && terminating.length === 0) {
      status.conditions = setCondition(status.conditions, { type: 'Failed', status: 'True', reason: failure.reason, message: failure.message }, stamp);
      planTtl({ ...job, status }, now, plan);
    }
    status.active = 0;
    return plan;
  }

  // Success: enough completions (every index, for Indexed); work-queue Jobs (no completions)
  // succeed once one pod succeeded and the rest have finished.
  const criteriaMet = indexed ? succeeded >= (completions ?? 0) : completions === undefined ? succeeded > 0 && running.length === 0 : succeeded >= completions;
  if (criteriaMet) {
    plan.delete = running;
    if (!isTrue(job.status?.conditions, 'SuccessCriteriaMet')) {
      status.conditions = setCondition(status.conditions, { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' }, stamp);
    }
    if (running.length === 0 && terminating.length === 0) {
      status.conditions = setCondition(status.conditions, { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' }, stamp);
      status.completionTime = stamp;
      plan.events.push({ type: 'Normal', reason: 'Completed', message: 'Job completed' });
      planTtl({ ...job, status }, now, plan);
    }
    return plan;
  }

  if (deadlineAt !== undefined) plan.requeueAfterMs = Math.max(1, deadlineAt - now);
  if (!input.expectationsSatisfied) return plan;

  // Back-off: after n failures, the next pod waits 10 s × 2^(n-1) (≤ 6 min) from the last one.
  const lastFailure = tracking.failedPods.length ? Math.max(...tracking.failedPods.map(failedAt)) : undefined;
  const createAllowedAt = lastFailure === undefined ? now : lastFailure + backoffDelayMs(failures);
  const mayCreate = createAllowedAt <= now;
  if (!mayCreate) plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, createAllowedAt - now);

  // podReplacementPolicy Failed: a terminating pod is replaced only once it has failed (or is
  // gone), so it still holds its place (and its index); TerminatingOrFailed replaces it at once.
  const holding = spec.podReplacementPolicy === 'Failed' ? terminating : [];
  if (indexed) planIndexed(running, holding, succeededIndexes, completions ?? 0, parallelism, mayCreate, plan);
  else planNonIndexed(running, holding.length, succeeded, completions, parallelism, mayCreate, plan);
  return plan;
}

function planNonIndexed(running: Pod[], holding: number, succeeded: number, completions: number | undefined, parallelism: number, mayCreate: boolean, plan: JobPlan): void {
  // Work-queue mode (no completions): once one pod succeeded, no new pods start and the
  // running ones finish their work.
  const want = completions === undefined ? (succeeded > 0 ? running.length : parallelism) : Math.min(parallelism, completions - succeeded);
  if (running.length > want) {
    plan.delete = [...running].sort((a, b) => compareForDeletion(podView(a), podView(b))).slice(0, running.length - want);
  } else if (running.length + holding < want && mayCreate) {
    plan.create = Array.from({ length: Math.min(want - running.length - holding, MAX_CREATES_PER_PASS) }, () => undefined);
  }
}

function planIndexed(running: Pod[], holding: Pod[], succeededIndexes: Set<number>, completions: number, parallelism: number, mayCreate: boolean, plan: JobPlan): void {
  const byIndex = new Map<number, Pod>();
  const extra: Pod[] = [];
  // Oldest pod of an index keeps it; duplicates, out-of-range and already-succeeded indexes go.
  for (const pod of [...running].sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))) {
    const index = completionIndexOf(pod);
    if (index === undefined || index >= completions || succeededIndexes.has(index) || byIndex.has(index)) extra.push(pod);
    else byIndex.set(index, pod);
  }
  const kept = [...byIndex.entries()].sort(([a], [b]) => a - b);
  const overParallelism = kept.length > parallelism ? kept.slice(parallelism).map(([, pod]) => pod) : [];
  plan.delete = [...extra, ...overParallelism];
  // Indexes whose pod is still terminating, under podReplacementPolicy Failed: not yet replaced.
  const held = new Set(holding.map(completionIndexOf).filter((i): i is number => i !== undefined && !byIndex.has(i) && !succeededIndexes.has(i)));
  const activeCount = Math.min(kept.length + held.size, parallelism);
  if (!mayCreate || activeCount >= parallelism) return;
  for (let index = 0; index < completions && plan.create.length < Math.min(parallelism - activeCount, MAX_CREATES_PER_PASS); index++) {
    if (!succeededIndexes.has(index) && !byIndex.has(index) && !held.has(index)) plan.create.push(index);
  }
}

/** A finished Job with ttlSecondsAfterFinished is deleted once that time has passed. */
function planTtl(job: Job, now: number, plan: JobPlan): void {
  const ttl = job.spec.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null) return;
  const finishedAt = jobFinishedAt(job) ?? now;
  const expireAt = finishedAt + ttl * 1000;
  if (now >= expireAt) plan.deleteJob = true;
  else plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, expireAt - now);
}
