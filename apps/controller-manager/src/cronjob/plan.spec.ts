import { CronJob, Job } from '@coxswain/api';
import { rfc3339 } from '../framework/time';
import { jobNameFor, planCronJob } from './plan';

const T0 = Date.parse('2026-01-01T10:00:00Z');
const MIN = 60_000;

const cronJob = (spec: Partial<CronJob['spec']> = {}, status: CronJob['status'] = {}, created = T0 - 10 * MIN): CronJob =>
  ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick', namespace: 'ns', uid: 'cj-uid', creationTimestamp: rfc3339(created) },
    spec: {
      schedule: '*/1 * * * *',
      concurrencyPolicy: 'Allow',
      successfulJobsHistoryLimit: 2,
      failedJobsHistoryLimit: 1,
      suspend: false,
      jobTemplate: { metadata: { labels: { app: 'tick' } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
      ...spec,
    },
    status,
  }) as CronJob;

const job = (scheduled: number, state: 'running' | 'Complete' | 'Failed' = 'running'): Job =>
  ({
    metadata: { name: `tick-${scheduled / MIN}`, namespace: 'ns', uid: `job-${scheduled}`, annotations: { 'batch.kubernetes.io/cronjob-scheduled-timestamp': rfc3339(scheduled) } },
    spec: { template: { spec: { containers: [] } } },
    status: state === 'running' ? { active: 1 } : { conditions: [{ type: state, status: 'True' }], ...(state === 'Complete' ? { completionTime: rfc3339(scheduled + 5000) } : {}) },
  }) as Job;

describe('planCronJob', () => {
  it('creates the Job of the most recent time, named <cronjob>-<minutes since epoch>, and records lastScheduleTime', () => {
    const plan = planCronJob({ cronJob: cronJob({}, { lastScheduleTime: rfc3339(T0 - MIN) }), jobs: [], now: T0 + 5000 });
    expect(plan.create?.metadata).toMatchObject({ name: `tick-${T0 / MIN}`, labels: { app: 'tick' }, annotations: { 'batch.kubernetes.io/cronjob-scheduled-timestamp': rfc3339(T0) } });
    expect(plan.create?.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'tick', uid: 'cj-uid', controller: true });
    expect(plan.status.lastScheduleTime).toBe(rfc3339(T0));
    expect(plan.requeueAfterMs).toBe(MIN - 5000 + 100);
    expect(jobNameFor(cronJob(), T0)).toBe('tick-29454360');
  });

  it.each([
    ['nothing is due yet', cronJob({}, { lastScheduleTime: rfc3339(T0) }), [], T0 + 1000],
    ['suspended', cronJob({ suspend: true }, { lastScheduleTime: rfc3339(T0 - MIN) }), [], T0 + 1000],
    ['the Job for that time already exists', cronJob({}, { lastScheduleTime: rfc3339(T0 - MIN) }), [job(T0, 'Complete')], T0 + 1000],
    ['Forbid while one runs', cronJob({ concurrencyPolicy: 'Forbid' }, { lastScheduleTime: rfc3339(T0 - MIN) }), [job(T0 - MIN)], T0 + 1000],
    ['too late for startingDeadlineSeconds', cronJob({ startingDeadlineSeconds: 10, schedule: '0 * * * *' }, { lastScheduleTime: rfc3339(T0 - 60 * MIN) }), [], T0 + 30_000],
  ])('creates nothing: %s', (_name, cj, jobs, now) => {
    expect(planCronJob({ cronJob: cj, jobs: jobs as Job[], now }).create).toBeUndefined();
  });

  it('Allow runs Jobs side by side; Replace deletes the running one first', () => {
    const running = job(T0 - MIN);
    const allow = planCronJob({ cronJob: cronJob({}, { lastScheduleTime: rfc3339(T0 - MIN) }), jobs: [running], now: T0 + 1000 });
    expect(allow.create).toBeDefined();
    expect(allow.replace).toEqual([]);
    const replace = planCronJob({ cronJob: cronJob({ concurrencyPolicy: 'Replace' }, { lastScheduleTime: rfc3339(T0 - MIN) }), jobs: [running], now: T0 + 1000 });
    expect(replace.create).toBeDefined();
    expect(replace.replace).toEqual([running]);
  });

  it('after many missed times it warns and starts only the most recent one', () => {
    const plan = planCronJob({ cronJob: cronJob({}, {}, T0 - 300 * MIN), jobs: [], now: T0 + 1000 });
    expect(plan.events.map((e) => e.reason)).toEqual(['TooManyMissedTimes']);
    expect(plan.create?.metadata.name).toBe(`tick-${T0 / MIN}`);
  });

  it('startingDeadlineSeconds bounds how far back it looks (no warning) and still starts a time inside it', () => {
    const plan = planCronJob({ cronJob: cronJob({ startingDeadlineSeconds: 200 }, {}, T0 - 300 * MIN), jobs: [], now: T0 + 1000 });
    expect(plan.events).toEqual([]);
    expect(plan.create?.metadata.name).toBe(`tick-${T0 / MIN}`);
  });

  it('tracks active Jobs and the last success, and reports finished and missing ones', () => {
    const cj = cronJob({}, { lastScheduleTime: rfc3339(T0), active: [{ name: 'tick-a', uid: `job-${T0 - 2 * MIN}` }, { name: 'gone', uid: 'gone' }] });
    const plan = planCronJob({ cronJob: cj, jobs: [job(T0 - 2 * MIN, 'Complete'), job(T0 - MIN)], now: T0 + 1000 });
    expect(plan.status.active?.map((a) => a.name)).toEqual([`tick-${(T0 - MIN) / MIN}`]);
    expect(plan.status.lastSuccessfulTime).toBe(rfc3339(T0 - 2 * MIN + 5000));
    expect(plan.events.map((e) => e.reason).sort()).toEqual(['MissingJob', 'SawCompletedJob']);
  });

  it('keeps successfulJobsHistoryLimit and failedJobsHistoryLimit, deleting the oldest', () => {
    const jobs = [job(T0 - 4 * MIN, 'Complete'), job(T0 - 3 * MIN, 'Complete'), job(T0 - 2 * MIN, 'Complete'), job(T0 - 5 * MIN, 'Failed'), job(T0 - MIN, 'Failed'), job(T0)];
    const plan = planCronJob({ cronJob: cronJob({}, { lastScheduleTime: rfc3339(T0) }), jobs, now: T0 + 1000 });
    expect(plan.cleanup.map((j) => j.metadata.name)).toEqual([`tick-${(T0 - 4 * MIN) / MIN}`, `tick-${(T0 - 5 * MIN) / MIN}`]);
  });

  it('evaluates the schedule in timeZone', () => {
    // 09:00 in Berlin is 08:00 UTC in winter.
    const cj = cronJob({ schedule: '0 9 * * *', timeZone: 'Europe/Berlin' }, { lastScheduleTime: '2026-01-01T07:00:00Z' });
    const plan = planCronJob({ cronJob: cj, jobs: [], now: Date.parse('2026-01-01T08:00:30Z') });
    expect(plan.status.lastScheduleTime).toBe('2026-01-01T08:00:00Z');
  });
});
