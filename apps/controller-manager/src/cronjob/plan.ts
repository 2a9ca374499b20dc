// CronJob: create a Job at each schedule time (in spec.timeZone), within
// startingDeadlineSeconds and by concurrencyPolicy; track active Jobs; keep the history
// limits. Pure: the controller feeds in the CronJob, the Jobs it controls and `now`.
import { CronJob, CronJobStatus, CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION, findCondition, Job, scheduleWindow } from '@coxswain/api';
import { parseTime, rfc3339 } from '../framework/time';
import { controllerRef } from '../framework/owners';

export interface CronJobInput {
  cronJob: CronJob;
  /** Jobs the CronJob controls. */
  jobs: Job[];
  now: number;
}

export interface CronJobEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface CronJobPlan {
  /** A Job to create for this schedule time. */
  create?: Job;
  /** Active Jobs to delete first (concurrencyPolicy Replace). */
  replace: Job[];
  /** Finished Jobs beyond the history limits, oldest first. */
  cleanup: Job[];
  status: CronJobStatus;
  events: CronJobEvent[];
  /** Look again then (the next schedule time). */
  requeueAfterMs?: number;
}

/** Kubernetes counts at most this many missed times before warning. */
export const TOO_MANY_MISSED = 100;

const finishedType = (job: Job): 'Complete' | 'Failed' | undefined => {
  for (const type of ['Complete', 'Failed'] as const) if (findCondition(job.status?.conditions, type)?.status === 'True') return type;
  return undefined;
};

/** `<cronjob>-<minutes since the epoch>` of the schedule time. */
export const jobNameFor = (cronJob: CronJob, scheduledMs: number): string => `${cronJob.metadata.name}-${Math.floor(scheduledMs / 60_000)}`;

export const cronJobIdentity = (cronJob: CronJob) => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: cronJob.metadata });

export function jobFromTemplate(cronJob: CronJob, scheduledMs: number): Job {
  const template = cronJob.spec.jobTemplate;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobNameFor(cronJob, scheduledMs),
      namespace: cronJob.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}) },
      annotations: { ...(template.metadata?.annotations ?? {}), [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339(scheduledMs) },
      ownerReferences: [controllerRef(cronJobIdentity(cronJob))],
    },
    spec: structuredClone(template.spec),
  };
}

const ref = (job: Job) => ({ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, namespace: job.metadata.namespace, uid: job.metadata.uid, resourceVersion: job.metadata.resourceVersion });

function scheduledTimeOf(job: Job): number | undefined {
  return parseTime(job.metadata.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]) ?? parseTime(job.metadata.creationTimestamp);
}

export function planCronJob(input: CronJobInput): CronJobPlan {
  const { cronJob, now } = input;
  const spec = cronJob.spec;
  const plan: CronJobPlan = { replace: [], cleanup: [], status: { ...(cronJob.status ?? {}) }, events: [] };
  const status = plan.status;

  // Active list: running Jobs we control; finished ones leave it (and may be the last success).
  const byUid = new Map(input.jobs.map((j) => [j.metadata.uid, j]));
  const running = input.jobs.filter((j) => !finishedType(j) && !j.metadata.deletionTimestamp);
  for (const entry of cronJob.status?.active ?? []) {
    const job = byUid.get(entry.uid);
    if (!job) plan.events.push({ type: 'Normal', reason: 'MissingJob', message: `Active job went missing: ${entry.name}` });
    else if (finishedType(job)) plan.events.push({ type: 'Normal', reason: 'SawCompletedJob', message: `Saw completed job: ${job.metadata.name}, condition: ${finishedType(job)}` });
  }
  status.active = running.map(ref);
  for (const job of input.jobs) {
    if (finishedType(job) !== 'Complete') continue;
    const done = parseTime(job.status?.completionTime);
    if (done !== undefined && done > (parseTime(status.lastSuccessfulTime) ?? -Infinity)) status.lastSuccessfulTime = rfc3339(done);
  }
  if (!status.active.length) delete status.active;

  plan.cleanup = [...historyOverflow(input.jobs, 'Complete', spec.successfulJobsHistoryLimit ?? 3), ...historyOverflow(input.jobs, 'Failed', spec.failedJobsHistoryLimit ?? 1)];

  if (cronJob.metadata.deletionTimestamp) return plan;
  // Missed times since the last schedule (or creation), no further back than the deadline.
  const deadlineMs = spec.startingDeadlineSeconds !== undefined && spec.startingDeadlineSeconds !== null ? spec.startingDeadlineSeconds * 1000 : undefined;
  let earliest = parseTime(cronJob.status?.lastScheduleTime) ?? parseTime(cronJob.metadata.creationTimestamp) ?? now;
  if (deadlineMs !== undefined) earliest = Math.max(earliest, now - deadlineMs);
  let window;
  try {
    window = scheduleWindow(spec.schedule, spec.timeZone, earliest, now);
  } catch (error) {
    plan.events.push({ type: 'Warning', reason: 'UnparseableSchedule', message: `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${(error as Error).message}` });
    return plan;
  }
  plan.requeueAfterMs = Math.max(1, window.next - now + 100);
  if (spec.suspend) return plan;
  if (window.mostRecent === undefined) return plan;
  if (window.missed > TOO_MANY_MISSED) {
    plan.events.push({ type: 'Warning', reason: 'TooManyMissedTimes', message: `too many missed start times: ${window.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew` });
  }
  const scheduled = window.mostRecent;
  if (deadlineMs !== undefined && scheduled + deadlineMs < now) {
    plan.events.push({ type: 'Warning', reason: 'MissSchedule', message: `Missed scheduled time to start a job: ${rfc3339(scheduled)}` });
    return plan;
  }
  const name = jobNameFor(cronJob, scheduled);
  if (input.jobs.some((j) => j.metadata.name === name)) return plan;
  const policy = spec.concurrencyPolicy ?? 'Allow';
  if (policy === 'Forbid' && running.length > 0) {
    plan.events.push({ type: 'Normal', reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid' });
    return plan;
  }
  if (policy === 'Replace') plan.replace = running;
  plan.create = jobFromTemplate(cronJob, scheduled);
  status.lastScheduleTime = rfc3339(scheduled);
  return plan;
}

/** Finished Jobs of one kind beyond `limit`, oldest (by schedule time) first. */
function historyOverflow(jobs: Job[], type: 'Complete' | 'Failed', limit: number): Job[] {
  const finished = jobs.filter((j) => finishedType(j) === type && !j.metadata.deletionTimestamp);
  if (finished.length <= limit) return [];
  finished.sort((a, b) => (scheduledTimeOf(a) ?? 0) - (scheduledTimeOf(b) ?? 0) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  return finished.slice(0, finished.length - limit);
}
