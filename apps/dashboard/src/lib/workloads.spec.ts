import { daemonCounts, jobCounts, pdbBudget, pdbHealth, restartedAt, updateStrategy, workloadStatus } from './workloads';

const cond = (type: string) => ({ status: { conditions: [{ type, status: 'True' }] } });

describe('workloadStatus', () => {
  it.each([
    { name: 'complete job', plural: 'jobs', o: cond('Complete'), want: 'Complete' },
    { name: 'failed job', plural: 'jobs', o: cond('Failed'), want: 'Failed' },
    { name: 'suspended job', plural: 'jobs', o: cond('Suspended'), want: 'Suspended' },
    { name: 'running job', plural: 'jobs', o: { status: { active: 1 } }, want: 'Running' },
    { name: 'suspended cronjob', plural: 'cronjobs', o: { spec: { suspend: true } }, want: 'Suspended' },
    { name: 'cronjob', plural: 'cronjobs', o: { spec: { suspend: false } }, want: 'Active' },
    { name: 'daemonset all up', plural: 'daemonsets', o: { status: { desiredNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 2, numberAvailable: 2 } }, want: 'Available' },
    { name: 'daemonset rolling', plural: 'daemonsets', o: { status: { desiredNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 1, numberAvailable: 2 } }, want: 'Progressing' },
    { name: 'daemonset on no node', plural: 'daemonsets', o: { status: { desiredNumberScheduled: 0 } }, want: 'Available' },
    { name: 'statefulset ready', plural: 'statefulsets', o: { spec: { replicas: 2 }, status: { readyReplicas: 2, updatedReplicas: 2 } }, want: 'Available' },
    { name: 'statefulset updating', plural: 'statefulsets', o: { spec: { replicas: 2 }, status: { readyReplicas: 2, updatedReplicas: 1 } }, want: 'Progressing' },
    { name: 'other kind', plural: 'configmaps', o: {}, want: undefined },
  ])('$name', ({ plural, o, want }) => expect(workloadStatus(plural, o)).toBe(want));
});

describe('summary facts', () => {
  it.each([
    [{}, 'RollingUpdate'],
    [{ spec: { updateStrategy: { type: 'OnDelete' } } }, 'OnDelete'],
    [{ spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } } }, 'RollingUpdate (max unavailable 1, max surge 0)'],
    [{ spec: { updateStrategy: { rollingUpdate: { partition: 2 } } } }, 'RollingUpdate (partition 2)'],
  ])('updateStrategy %#', (o, want) => expect(updateStrategy(o)).toBe(want));

  it('reads the restart annotation of the pod template only', () => {
    expect(restartedAt({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-12-05T18:00:00Z' } } } } })).toBe('2026-12-05T18:00:00Z');
    expect(restartedAt({ metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'x' } } })).toBeUndefined();
  });

  it('counts', () => {
    expect(jobCounts({ status: { active: 1, succeeded: 2 } })).toBe('1 active · 2 succeeded · 0 failed');
    expect(jobCounts({ status: { failed: 1, terminating: 1 } })).toBe('0 active · 0 succeeded · 1 failed · 1 terminating');
    expect(daemonCounts({ status: { desiredNumberScheduled: 3, numberMisscheduled: 1 } })).toEqual({ desired: 3, current: 0, ready: 0, updated: 0, available: 0, misscheduled: 1 });
  });

  it.each([
    [{ spec: { minAvailable: 2 } }, 'min available 2'],
    [{ spec: { maxUnavailable: '25%' } }, 'max unavailable 25%'],
    [{ spec: {} }, 'none'],
  ])('pdbBudget %#', (o, want) => expect(pdbBudget(o)).toBe(want));

  it('pdbHealth', () => expect(pdbHealth({ status: { currentHealthy: 2, expectedPods: 3, desiredHealthy: 2 } })).toBe('2 healthy of 3 expected (2 needed)'));
});
