// Job and CronJob rows (Kubernetes' printJob, printCronJob).
import { findCondition } from '../meta/types';
import { LabelSelector } from '../selectors/label-selector';
import type { CronJob, Job } from '../types/batch';
import { AGE_COLUMN, column, containerCells, NAME_COLUMN, Printer } from './columns';
import { humanDuration, timestampSince, toMillis } from './duration';
import { selectorString } from './workloads';

const CONTAINERS = column('Containers', 'string', 'Names of each container in the template.', 1);
const IMAGES = column('Images', 'string', 'Images referenced by each container in the template.', 1);
const has = (job: Job, type: string) => findCondition(job.status?.conditions, type)?.status === 'True';

function jobStatus(job: Job): string {
  if (has(job, 'Complete')) return 'Complete';
  if (has(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (has(job, 'Suspended')) return 'Suspended';
  if (has(job, 'FailureTarget')) return 'FailureTarget';
  if (has(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function completions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined && job.spec.completions !== null) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism;
  return parallelism !== undefined && parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: Job, nowMs: number): string {
  const start = job.status?.startTime ? Date.parse(job.status.startTime) : NaN;
  if (Number.isNaN(start)) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : nowMs;
  return humanDuration(end - start);
}

export const jobPrinter: Printer<Job> = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The desired number of successfully finished pods the job should be run with.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    AGE_COLUMN,
    CONTAINERS,
    IMAGES,
    column('Selector', 'string', 'A label query over pods that should match the pod count.', 1),
  ],
  row(job, now) {
    const nowMs = toMillis(now);
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return {
      cells: [job.metadata?.name ?? '', jobStatus(job), completions(job), jobDuration(job, nowMs), timestampSince(job.metadata?.creationTimestamp, nowMs), names, images, selectorString(job.spec?.selector as LabelSelector | undefined)],
    };
  },
};

export const cronJobPrinter: Printer<CronJob> = {
  columns: [
    NAME_COLUMN,
    column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.'),
    column('Active', 'integer', 'A list of pointers to currently running jobs.'),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    AGE_COLUMN,
    CONTAINERS,
    IMAGES,
    column('Selector', 'string', 'A label query over pods that should match the pod count.', 1),
  ],
  row(cj, now) {
    const nowMs = toMillis(now);
    const [names, images] = containerCells(cj.spec?.jobTemplate?.spec?.template?.spec?.containers);
    const selector = cj.spec?.jobTemplate?.spec?.selector;
    return {
      cells: [
        cj.metadata?.name ?? '',
        cj.spec?.schedule ?? '',
        cj.spec?.timeZone ?? '<none>',
        cj.spec?.suspend ?? '<unset>',
        cj.status?.active?.length ?? 0,
        cj.status?.lastScheduleTime ? timestampSince(cj.status.lastScheduleTime, nowMs) : '<none>',
        timestampSince(cj.metadata?.creationTimestamp, nowMs),
        names,
        images,
        selector ? selectorString(selector as LabelSelector) : '<none>',
      ],
    };
  },
};
