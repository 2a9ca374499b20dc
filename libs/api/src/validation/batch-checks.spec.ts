import { parseCronSchedule, scheduleWindow } from '../batch/cron';
import { generateJobSelector } from '../batch/job-selector';
import { applyDefaults } from '../defaults/defaults';
import { KubeObject } from '../meta/types';
import { validateObject } from './validate';
import { validateUpdate } from './update';

const podTemplate = (restartPolicy?: string) => ({ spec: { ...(restartPolicy ? { restartPolicy } : {}), containers: [{ name: 'main', image: 'busybox' }] } });
const job = (spec: Record<string, unknown>, meta: Record<string, unknown> = {}) =>
  applyDefaults({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'ns', ...meta }, spec: { template: podTemplate('Never'), ...spec } } as KubeObject);
const cronJob = (spec: Record<string, unknown>) =>
  applyDefaults({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'ns' }, spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: podTemplate('OnFailure') } }, ...spec } } as KubeObject);
const fields = (obj: unknown) => validateObject(obj).causes.map((c) => `${c.field}:${c.reason}`);

describe('Job validation and defaults', () => {
  it('defaults like Kubernetes', () => {
    expect((job({}) as never as { spec: object }).spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' });
    expect((job({ parallelism: 3 }) as never as { spec: { completions?: number } }).spec.completions).toBeUndefined();
  });
  it.each([
    ['a valid Job', {}, []],
    ['restartPolicy Always (the pod default)', { template: podTemplate() }, ['spec.template.spec.restartPolicy:FieldValueNotSupported']],
    ['Indexed without completions', { completionMode: 'Indexed', parallelism: 2 }, ['spec.completions:FieldValueRequired']],
    ['a hand-written selector without manualSelector', { selector: { matchLabels: { a: 'b' } } }, ['spec.selector:FieldValueInvalid']],
    ['manualSelector with a selector that misses the template', { manualSelector: true, selector: { matchLabels: { a: 'b' } } }, ['spec.template.metadata.labels:FieldValueInvalid']],
    ['negative parallelism', { parallelism: -1 }, ['spec.parallelism:FieldValueInvalid']],
    ['podFailurePolicy with OnFailure', { template: podTemplate('OnFailure'), podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }] } }, ['spec.template.spec.restartPolicy:FieldValueInvalid']],
    ['podFailurePolicy exit code 0 with In', { podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [0] } }] } }, ['spec.podFailurePolicy.rules[0].onExitCodes.values[0]:FieldValueInvalid']],
  ])('%s', (_name, spec, want) => {
    expect(fields(job(spec))).toEqual(want);
  });
  it('generates the selector and template labels from the uid; the result validates and stays immutable', () => {
    const created = job({}, { uid: 'u-1' }) as never as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    generateJobSelector(created);
    expect(created.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
    expect(created.spec.template.metadata.labels).toEqual({ 'batch.kubernetes.io/controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'j', 'controller-uid': 'u-1', 'job-name': 'j' });
    expect(fields(created)).toEqual([]);
    const changed = structuredClone(created);
    changed.spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'other' } };
    changed.spec.template.spec.containers[0].image = 'nginx';
    expect(validateUpdate(created as KubeObject, changed as KubeObject).map((c) => c.field)).toEqual(['spec.selector', 'spec.template']);
  });
});

describe('CronJob validation', () => {
  it('defaults history limits and concurrency policy', () => {
    expect((cronJob({}) as never as { spec: object }).spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
  });
  it.each([
    ['every minute', { schedule: '*/1 * * * *' }, []],
    ['@hourly', { schedule: '@hourly' }, []],
    ['names', { schedule: '0 9 * JAN-MAR MON-FRI' }, []],
    ['a bad minute', { schedule: '61 * * * *' }, ['spec.schedule:FieldValueInvalid']],
    ['four fields', { schedule: '* * * *' }, ['spec.schedule:FieldValueInvalid']],
    ['TZ in the schedule', { schedule: 'TZ=UTC * * * * *' }, ['spec.schedule:FieldValueInvalid']],
    ['an unknown zone', { timeZone: 'Mars/Olympus' }, ['spec.timeZone:FieldValueInvalid']],
    ['a known zone', { timeZone: 'Europe/Berlin' }, []],
    ['a bad concurrency policy', { concurrencyPolicy: 'Sometimes' }, ['spec.concurrencyPolicy:FieldValueNotSupported']],
    ['a job template with restartPolicy Always', { jobTemplate: { spec: { template: podTemplate('Always') } } }, ['spec.jobTemplate.spec.template.spec.restartPolicy:FieldValueNotSupported']],
  ])('%s', (_name, spec, want) => {
    expect(fields(cronJob(spec))).toEqual(want);
  });
});

describe('cron schedules', () => {
  const now = Date.parse('2026-01-01T10:05:30Z');
  it('finds the most recent and next time and counts missed ones', () => {
    expect(scheduleWindow('*/1 * * * *', undefined, Date.parse('2026-01-01T10:00:00Z'), now)).toEqual({ mostRecent: Date.parse('2026-01-01T10:05:00Z'), missed: 5, next: Date.parse('2026-01-01T10:06:00Z') });
    expect(scheduleWindow('*/1 * * * *', undefined, now, now)).toEqual({ missed: 0, next: Date.parse('2026-01-01T10:06:00Z') });
    expect(scheduleWindow('*/1 * * * *', undefined, now - 365 * 86_400_000, now).missed).toBeGreaterThan(100);
  });
  it('evaluates in the time zone', () => {
    expect(scheduleWindow('0 9 * * *', 'Europe/Berlin', now - 86_400_000, now).mostRecent).toBe(Date.parse('2026-01-01T08:00:00Z'));
    expect(scheduleWindow('@daily', undefined, now - 86_400_000, now).mostRecent).toBe(Date.parse('2026-01-01T00:00:00Z'));
  });
  it('rejects what robfig/cron rejects', () => {
    expect(parseCronSchedule('H * * * *').ok).toBe(false);
    expect(parseCronSchedule('0 0 L * *').ok).toBe(false);
    expect(parseCronSchedule('0 0 * * 1#2').ok).toBe(false);
  });
});
