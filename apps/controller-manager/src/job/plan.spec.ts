import { Job, JOB_LABELS, Pod } from '@coxswain/api';
import { rfc3339 } from '../framework/time';
import { formatIndexes, parseIndexes } from './indexes';
import { backoffDelayMs, JobPlan, planJob } from './plan';
import { podForJob } from './pod-template';
import { JOB_TRACKING_FINALIZER } from './tracking';

const T0 = Date.parse('2026-01-01T00:00:00Z');

const job = (spec: Partial<Job['spec']> = {}, status: Job['status'] = {}, meta: Partial<Job['metadata']> = {}): Job =>
  ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'ns', uid: 'job-uid', ...meta },
    spec: {
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      selector: { matchLabels: { [JOB_LABELS.controllerUid]: 'job-uid' } },
      template: { metadata: { labels: { [JOB_LABELS.controllerUid]: 'job-uid' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } },
      ...spec,
    },
    status,
  }) as Job;

interface PodOpts {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  index?: number;
  exitCode?: number;
  finishedAt?: number;
  ready?: boolean;
  deleting?: boolean;
  created?: number;
  restarts?: number;
  /** Without the job-tracking finalizer (its outcome already counted). */
  untracked?: boolean;
}
const pod = (name: string, o: PodOpts = {}): Pod =>
  ({
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      creationTimestamp: rfc3339(o.created ?? T0),
      ...(o.index !== undefined ? { annotations: { [JOB_LABELS.completionIndex]: String(o.index) } } : {}),
      ...(o.deleting ? { deletionTimestamp: rfc3339(T0) } : {}),
      ...(o.untracked ? {} : { finalizers: [JOB_TRACKING_FINALIZER] }),
    },
    spec: { containers: [] },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(T0) }] : [],
      containerStatuses: [
        {
          name: 'main',
          ready: false,
          image: 'busybox',
          restartCount: o.restarts ?? 0,
          state: o.exitCode !== undefined ? { terminated: { exitCode: o.exitCode, finishedAt: rfc3339(o.finishedAt ?? T0) } } : { running: {} },
        },
      ],
    },
  }) as Pod;

const plan = (j: Job, pods: Pod[], now = T0, expectationsSatisfied = true): JobPlan => planJob({ job: j, pods, now, expectationsSatisfied });
const condition = (p: JobPlan, type: string) => p.status.conditions?.find((c) => c.type === type);

describe('planJob', () => {
  const cases: Array<{ name: string; job: Job; pods: Pod[]; now?: number; satisfied?: boolean; wantCreate: Array<number | undefined>; wantDelete?: string[] }> = [
    { name: 'a new Job starts min(parallelism, completions) pods', job: job({ completions: 5, parallelism: 3 }), pods: [], wantCreate: [undefined, undefined, undefined] },
    { name: 'succeeded pods reduce what is left to run', job: job({ completions: 5, parallelism: 3 }), pods: [pod('a', { phase: 'Succeeded' }), pod('b', { phase: 'Succeeded' }), pod('c', { phase: 'Succeeded' }), pod('d')], wantCreate: [undefined] },
    { name: 'too many running pods: the least valuable go', job: job({ completions: 2, parallelism: 1 }), pods: [pod('old', { ready: true }), pod('new', { created: T0 + 1000 })], wantCreate: [], wantDelete: ['new'] },
    { name: 'nothing happens while expectations are pending', job: job({ completions: 3, parallelism: 3 }), pods: [], satisfied: false, wantCreate: [] },
    { name: 'Indexed: the lowest free indexes start', job: job({ completionMode: 'Indexed', completions: 6, parallelism: 3 }), pods: [pod('i0', { index: 0, phase: 'Succeeded' }), pod('i2', { index: 2 })], wantCreate: [1, 3] },
    // The finalizer is off but the status recording index 0 is not in this view yet (stale informer).
    { name: 'Indexed: a succeeded pod without its finalizer still holds its index', job: job({ completionMode: 'Indexed', completions: 3, parallelism: 3 }), pods: [pod('i0', { index: 0, phase: 'Succeeded', untracked: true })], wantCreate: [1, 2] },
    { name: 'Indexed: a duplicate index is deleted, the older pod keeps it', job: job({ completionMode: 'Indexed', completions: 3, parallelism: 3 }), pods: [pod('a', { index: 1 }), pod('b', { index: 1, created: T0 + 5 })], wantCreate: [0, 2], wantDelete: ['b'] },
    { name: 'Indexed: a running pod of an index that already succeeded is deleted', job: job({ completionMode: 'Indexed', completions: 2, parallelism: 2 }), pods: [pod('s', { index: 0, phase: 'Succeeded' }), pod('r', { index: 0 })], wantCreate: [1], wantDelete: ['r'] },
    { name: 'work queue: after a success no new pods, the running ones keep going', job: job({ completions: undefined, parallelism: 3 }), pods: [pod('a', { phase: 'Succeeded' }), pod('b')], wantCreate: [] },
    { name: 'work queue: starts parallelism pods', job: job({ completions: undefined, parallelism: 2 }), pods: [], wantCreate: [undefined, undefined] },
    { name: 'back-off: the replacement of a pod that failed 5 s ago waits', job: job(), pods: [pod('f', { phase: 'Failed', exitCode: 1, finishedAt: T0 - 5000 })], wantCreate: [] },
    { name: 'back-off: 10 s after the first failure a replacement starts', job: job(), pods: [pod('f', { phase: 'Failed', exitCode: 1, finishedAt: T0 - 10_000 })], wantCreate: [undefined] },
    { name: 'suspended: running pods are deleted, none created', job: job({ suspend: true, completions: 2, parallelism: 2 }), pods: [pod('a')], wantCreate: [], wantDelete: ['a'] },
  ];
  it.each(cases)('$name', ({ job: j, pods, now, satisfied, wantCreate, wantDelete }) => {
    const p = plan(j, pods, now ?? T0, satisfied ?? true);
    expect(p.create).toStrictEqual(wantCreate); // toEqual would take [undefined, undefined] (two pods) for []
    expect(p.delete.map((d) => d.metadata.name).sort()).toEqual((wantDelete ?? []).sort());
  });

  it('back-off doubles from 10 s and stops at 6 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 12].map(backoffDelayMs)).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 360_000, 360_000]);
    const p = plan(job(), [pod('f1', { phase: 'Failed', exitCode: 1, finishedAt: T0 - 30_000 }), pod('f2', { phase: 'Failed', exitCode: 1, finishedAt: T0 - 5_000 })]);
    expect(p.create).toEqual([]);
    expect(p.requeueAfterMs).toBe(15_000);
  });

  it('counts active, ready, succeeded and failed pods and sets startTime once', () => {
    const p = plan(job({ completions: 5, parallelism: 2 }), [pod('a', { ready: true }), pod('b'), pod('c', { phase: 'Succeeded' }), pod('d', { phase: 'Failed', exitCode: 2, finishedAt: T0 - 60_000 })]);
    expect(p.status).toMatchObject({ active: 2, ready: 1, succeeded: 1, failed: 1, startTime: rfc3339(T0), uncountedTerminatedPods: {} });
    const later = plan(job({ completions: 5, parallelism: 2 }, { startTime: rfc3339(T0 - 5000) }), [], T0);
    expect(later.status.startTime).toBe(rfc3339(T0 - 5000));
  });

  it('completes once completions pods succeeded: SuccessCriteriaMet, Complete, completionTime, event', () => {
    const p = plan(job({ completions: 2, parallelism: 2 }), [pod('a', { phase: 'Succeeded' }), pod('b', { phase: 'Succeeded' })]);
    expect(condition(p, 'SuccessCriteriaMet')).toMatchObject({ status: 'True', reason: 'CompletionsReached' });
    expect(condition(p, 'Complete')).toMatchObject({ status: 'True', reason: 'CompletionsReached' });
    expect(p.status.completionTime).toBe(rfc3339(T0));
    expect(p.events.map((e) => e.reason)).toEqual(['Completed']);
    expect(p.create).toEqual([]);
  });

  it('an Indexed Job completes when every index succeeded once, and reports completedIndexes', () => {
    const pods = [0, 1, 2].map((i) => pod(`p${i}`, { index: i, phase: 'Succeeded' }));
    const p = plan(job({ completionMode: 'Indexed', completions: 3, parallelism: 3 }), [...pods, pod('dup', { index: 1, phase: 'Succeeded' })]);
    expect(p.status.completedIndexes).toBe('0-2');
    expect(p.status.succeeded).toBe(3);
    expect(condition(p, 'Complete')?.status).toBe('True');
  });

  it('fails with BackoffLimitExceeded after more than backoffLimit failures', () => {
    const failures = [1, 2, 3].map((i) => pod(`f${i}`, { phase: 'Failed', exitCode: 1, finishedAt: T0 - 600_000 }));
    const p = plan(job({ backoffLimit: 2 }), failures);
    expect(condition(p, 'FailureTarget')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
    expect(condition(p, 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect(p.create).toEqual([]);
    expect(p.events).toEqual([{ type: 'Warning', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }]);
  });

  it('fails on OnFailure restarts reaching backoffLimit, deleting the running pod first', () => {
    const j = job({ backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'main', image: 'busybox' }] } } as never });
    const p = plan(j, [pod('r', { restarts: 2 })]);
    expect(p.delete.map((d) => d.metadata.name)).toEqual(['r']);
    expect(condition(p, 'FailureTarget')?.reason).toBe('BackoffLimitExceeded');
    expect(condition(p, 'Failed')).toBeUndefined();
  });

  it('fails with DeadlineExceeded once activeDeadlineSeconds passed, and requeues for the deadline before', () => {
    const j = job({ activeDeadlineSeconds: 30 }, { startTime: rfc3339(T0 - 10_000) });
    const before = plan(j, [pod('r')]);
    expect(condition(before, 'FailureTarget')).toBeUndefined();
    expect(before.requeueAfterMs).toBe(20_000);
    const after = plan(j, [pod('r')], T0 + 20_000);
    expect(condition(after, 'FailureTarget')?.reason).toBe('DeadlineExceeded');
    expect(after.delete.map((d) => d.metadata.name)).toEqual(['r']);
    const gone = plan({ ...j, status: after.status }, [], T0 + 21_000);
    expect(condition(gone, 'Failed')).toMatchObject({ status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
  });

  it('podFailurePolicy: FailJob on a listed exit code fails the Job at once; Ignore does not count', () => {
    const policy = { rules: [{ action: 'FailJob' as const, onExitCodes: { containerName: 'main', operator: 'In' as const, values: [42] } }, { action: 'Ignore' as const, onExitCodes: { operator: 'In' as const, values: [137] } }] };
    const failJob = plan(job({ podFailurePolicy: policy }), [pod('x', { phase: 'Failed', exitCode: 42 })]);
    expect(condition(failJob, 'Failed')).toMatchObject({ reason: 'PodFailurePolicy', message: 'Container main for pod ns/x failed with exit code 42 matching FailJob rule at index 0' });
    const ignored = plan(job({ podFailurePolicy: policy, backoffLimit: 0 }), [pod('y', { phase: 'Failed', exitCode: 137 })]);
    expect(ignored.status.failed).toBe(0);
    expect(condition(ignored, 'Failed')).toBeUndefined();
    expect(ignored.create).toStrictEqual([undefined]);
  });

  it('suspend sets Suspended once; resume resets startTime', () => {
    const suspended = plan(job({ suspend: true }), []);
    expect(condition(suspended, 'Suspended')).toMatchObject({ status: 'True', reason: 'JobSuspended' });
    const resumed = plan(job({ suspend: false }, { ...suspended.status, startTime: rfc3339(T0 - 99_000) }), [], T0 + 1000);
    expect(condition(resumed, 'Suspended')).toMatchObject({ status: 'False', reason: 'JobResumed' });
    expect(resumed.status.startTime).toBe(rfc3339(T0 + 1000));
    expect(resumed.create).toStrictEqual([undefined]);
  });

  it('ttlSecondsAfterFinished: waits, then deletes the finished Job', () => {
    const finished = job({ ttlSecondsAfterFinished: 60 }, { completionTime: rfc3339(T0), conditions: [{ type: 'Complete', status: 'True' }] });
    expect(plan(finished, [], T0 + 10_000)).toMatchObject({ deleteJob: false, requeueAfterMs: 50_000 });
    expect(plan(finished, [], T0 + 60_000).deleteJob).toBe(true);
    expect(plan({ ...finished, spec: { ...finished.spec, ttlSecondsAfterFinished: undefined } }, [], T0 + 600_000).deleteJob).toBe(false);
  });
});

describe('podReplacementPolicy', () => {
  it.each<[string, Partial<Job['spec']>, Pod[], Array<number | undefined>]>([
    ['TerminatingOrFailed (the default): a terminating pod is replaced at once', { completions: 2, parallelism: 2 }, [pod('a'), pod('b', { deleting: true })], [undefined]],
    ['Failed: a terminating pod holds its place until it has failed', { completions: 2, parallelism: 2, podReplacementPolicy: 'Failed' }, [pod('a'), pod('b', { deleting: true })], []],
    ['Failed: once it has failed (and its back-off has passed), it is replaced', { completions: 2, parallelism: 2, podReplacementPolicy: 'Failed' }, [pod('a'), pod('b', { deleting: true, phase: 'Failed', exitCode: 1, finishedAt: T0 - 20_000 })], [undefined]],
    ['Failed, Indexed: the terminating pod\'s index waits', { completions: 3, parallelism: 3, completionMode: 'Indexed', podReplacementPolicy: 'Failed' }, [pod('a', { index: 0 }), pod('b', { index: 1, deleting: true })], [2]],
    ['TerminatingOrFailed, Indexed: the index is started again at once', { completions: 3, parallelism: 3, completionMode: 'Indexed' }, [pod('a', { index: 0 }), pod('b', { index: 1, deleting: true })], [1, 2]],
  ])('%s', (_name, spec, pods, want) => {
    // toStrictEqual: toEqual takes [undefined] (one pod to create) for [].
    expect(plan(job(spec), pods).create).toStrictEqual(want);
  });
});

describe('job tracking with finalizers', () => {
  const two = () => job({ completions: 2, parallelism: 1 });
  const names = (pods: Pod[]) => pods.map((p) => p.metadata.name).sort();

  it('records a finished pod as uncounted before its finalizer comes off, and counts it after', () => {
    const p = plan(two(), [pod('s', { phase: 'Succeeded' }), pod('f', { phase: 'Failed', exitCode: 1, finishedAt: T0 - 60_000 })]);
    expect(p.recorded?.uncountedTerminatedPods).toEqual({ succeeded: ['uid-s'], failed: ['uid-f'] });
    expect([p.recorded?.succeeded, p.recorded?.failed]).toEqual([undefined, undefined]);
    expect(names(p.removeFinalizers)).toEqual(['f', 's']);
    expect(p.status).toMatchObject({ succeeded: 1, failed: 1, uncountedTerminatedPods: {} });
  });

  it('counts once: pods whose finalizer is off are not counted again', () => {
    const counted = plan(two(), [pod('s', { phase: 'Succeeded' })]).status;
    const again = plan(job({ completions: 2, parallelism: 1 }, counted), [pod('s', { phase: 'Succeeded', untracked: true }), pod('r')]);
    expect(again.status).toMatchObject({ succeeded: 1, failed: 0 });
    expect(again.removeFinalizers).toEqual([]);
    expect(again.recorded).toBeUndefined();
  });

  it('a finished pod deleted by someone before it was counted is counted exactly once', () => {
    // The finalizer holds the deleted pod: it is still listed, with a deletionTimestamp.
    const deleted = pod('s', { phase: 'Succeeded', deleting: true });
    const first = plan(two(), [deleted]);
    expect(first.recorded?.uncountedTerminatedPods).toEqual({ succeeded: ['uid-s'] });
    expect(first.status.succeeded).toBe(1);
    // Once its finalizer is off the pod is gone; the status it left is the record.
    const after = plan(job({ completions: 2, parallelism: 1 }, first.status), []);
    expect(after.status.succeeded).toBe(1);
    expect(after.create).toStrictEqual([undefined]);
  });

  it('a restart after phase 1 (recorded, finalizers still on) finishes the move without recounting', () => {
    const recorded = plan(two(), [pod('s', { phase: 'Succeeded' })]).recorded!;
    const resumed = plan(job({ completions: 2, parallelism: 1 }, recorded), [pod('s', { phase: 'Succeeded' })]);
    expect(resumed.recorded).toEqual(recorded);
    expect(names(resumed.removeFinalizers)).toEqual(['s']);
    expect(resumed.status).toMatchObject({ succeeded: 1, uncountedTerminatedPods: {} });
  });

  it('a restart after phase 2 (finalizers off, counts not moved) moves them once', () => {
    const recorded = plan(two(), [pod('s', { phase: 'Succeeded' })]).recorded!;
    const resumed = plan(job({ completions: 2, parallelism: 1 }, recorded), [pod('s', { phase: 'Succeeded', untracked: true })]);
    expect(resumed.removeFinalizers).toEqual([]);
    expect(resumed.status).toMatchObject({ succeeded: 1, uncountedTerminatedPods: {} });
  });

  it('a pod deleted before it finished counts as failed, unless the Job is ending', () => {
    const lost = plan(job({ completions: 2, parallelism: 2 }), [pod('r', { deleting: true })]);
    expect(lost.recorded?.uncountedTerminatedPods).toEqual({ failed: ['uid-r'] });
    expect(lost.status.failed).toBe(1);
    const suspended = plan(job({ completions: 2, parallelism: 2, suspend: true }), [pod('r', { deleting: true })]);
    expect(names(suspended.removeFinalizers)).toEqual(['r']);
    expect(suspended.status.failed).toBe(0);
  });

  it('Indexed successes go straight into completedIndexes, kept across pods going away', () => {
    const j = job({ completionMode: 'Indexed', completions: 3, parallelism: 3 });
    const first = plan(j, [pod('i1', { index: 1, phase: 'Succeeded' })]);
    expect(first.recorded).toMatchObject({ completedIndexes: '1', succeeded: 1, uncountedTerminatedPods: {} });
    const later = plan(job({ completionMode: 'Indexed', completions: 3, parallelism: 3 }, first.status), []);
    expect(later.status).toMatchObject({ completedIndexes: '1', succeeded: 1 });
    expect(later.create).toEqual([0, 2]);
  });

  it('an ignored failure comes off without a count', () => {
    const policy = { rules: [{ action: 'Ignore' as const, onExitCodes: { operator: 'In' as const, values: [137] } }] };
    const p = plan(job({ podFailurePolicy: policy }), [pod('y', { phase: 'Failed', exitCode: 137 })]);
    expect(names(p.removeFinalizers)).toEqual(['y']);
    expect(p.recorded?.uncountedTerminatedPods).toEqual({});
    expect(p.status.failed).toBe(0);
  });
});

describe('podForJob', () => {
  it('puts the job-tracking finalizer on every pod, once', () => {
    const j = job();
    j.spec.template.metadata = { ...j.spec.template.metadata, finalizers: ['example.com/keep', JOB_TRACKING_FINALIZER] };
    expect(podForJob(j).metadata.finalizers).toEqual(['example.com/keep', JOB_TRACKING_FINALIZER]);
  });

  it('Indexed pods carry their index as annotation, label, env and hostname, named <job>-<index>-', () => {
    const p = podForJob(job({ completionMode: 'Indexed', completions: 3 }), 2);
    expect(p.metadata.generateName).toBe('pi-2-');
    expect(p.metadata.annotations?.[JOB_LABELS.completionIndex]).toBe('2');
    expect(p.metadata.labels?.[JOB_LABELS.completionIndex]).toBe('2');
    expect(p.spec.containers[0].env).toEqual([{ name: 'JOB_COMPLETION_INDEX', value: '2' }]);
    expect(p.spec.hostname).toBe('pi-2');
    expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'job-uid', controller: true, blockOwnerDeletion: true }]);
  });
  it('NonIndexed pods are named <job>- and get no index', () => {
    const p = podForJob(job());
    expect(p.metadata.generateName).toBe('pi-');
    expect(p.metadata.annotations).toBeUndefined();
    expect(p.spec.containers[0].env).toBeUndefined();
  });
});

describe('completed indexes', () => {
  it.each([
    [[0, 1, 2, 4], '0-2,4'],
    [[5, 3], '3,5'],
    [[], ''],
  ])('%j ↔ %s', (list, text) => {
    expect(formatIndexes(list)).toBe(text);
    expect(parseIndexes(text)).toEqual([...list].sort((a, b) => a - b));
  });
});
