import { groupPods, isWithin, MetricPod, PodMetric, resourceAverageValueReplicas, resourceUtilizationReplicas } from './replica-calculator';

const NOW = Date.parse('2025-01-01T01:00:00Z');
const LONG_AGO = NOW - 3_600_000;
const tolerances = { up: 0.1, down: 0.1 };

/** A running, ready pod started an hour ago requesting 1000m cpu and 100 Mi (in milli-bytes). */
const pod = (name: string, over: Partial<MetricPod> = {}): MetricPod => ({
  name,
  phase: 'Running',
  deleting: false,
  ready: { status: 'True', lastTransitionTime: LONG_AGO },
  startTime: LONG_AGO,
  requests: [{ container: 'app', cpu: 1000, memory: 100 * 1024 * 1024 * 1000 }],
  ...over,
});
const usage = (entries: Record<string, number>): Map<string, PodMetric> => new Map(Object.entries(entries).map(([name, value]) => [name, { value, timestamp: NOW, windowMs: 30_000 }]));

describe('isWithin', () => {
  it.each([
    { ratio: 1, want: true },
    { ratio: 1.09, want: true },
    { ratio: 1.11, want: false },
    { ratio: 0.9, want: true },
    { ratio: 0.89, want: false },
  ])('$ratio → $want', ({ ratio, want }) => expect(isWithin(ratio, tolerances)).toBe(want));
});

describe('groupPods', () => {
  it('sorts pods into ready, unready, missing and ignored', () => {
    const pods = [
      pod('ready'),
      pod('pending', { phase: 'Pending' }),
      pod('failed', { phase: 'Failed' }),
      pod('deleting', { deleting: true }),
      pod('nometrics'),
      pod('neverready', { ready: { status: 'False', lastTransitionTime: LONG_AGO + 1000 } }),
      pod('startingSampleTooEarly', { startTime: NOW - 60_000, ready: { status: 'True', lastTransitionTime: NOW - 10_000 } }),
      pod('startingSampleOk', { startTime: NOW - 120_000, ready: { status: 'True', lastTransitionTime: NOW - 60_000 } }),
    ];
    const metrics = usage({ ready: 1, pending: 1, failed: 1, deleting: 1, neverready: 1, startingSampleTooEarly: 1, startingSampleOk: 1 });
    const g = groupPods(pods, metrics, 'cpu', NOW);
    expect({ ready: g.readyCount, unready: [...g.unready].sort(), missing: [...g.missing], ignored: [...g.ignored].sort() }).toEqual({
      ready: 2,
      unready: ['neverready', 'pending', 'startingSampleTooEarly'],
      missing: ['nometrics'],
      ignored: ['deleting', 'failed'],
    });
  });

  it('memory does not care about readiness', () => {
    const g = groupPods([pod('a', { ready: undefined })], usage({ a: 1 }), 'memory', NOW);
    expect(g.readyCount).toBe(1);
  });
});

describe('resourceUtilizationReplicas', () => {
  const calc = (current: number, pods: MetricPod[], metrics: Map<string, PodMetric>, target = 50) =>
    resourceUtilizationReplicas({ currentReplicas: current, pods, metrics, resource: 'cpu', tolerances, now: NOW, targetUtilization: target });
  it.each([
    { name: 'scale up: 3 pods at 100% of a 50% target', current: 3, pods: [pod('a'), pod('b'), pod('c')], m: { a: 1000, b: 1000, c: 1000 }, want: { replicas: 6, utilization: 100, rawAverage: 1000 } },
    { name: 'within tolerance: keep', current: 2, pods: [pod('a'), pod('b')], m: { a: 520, b: 540 }, want: { replicas: 2, utilization: 53, rawAverage: 530 } },
    { name: 'scale down', current: 4, pods: [pod('a'), pod('b'), pod('c'), pod('d')], m: { a: 100, b: 100, c: 100, d: 100 }, want: { replicas: 1, utilization: 10, rawAverage: 100 } },
    // Missing pods on a scale-down count as at (at least) 100% of their request.
    { name: 'missing metrics damp a scale-down', current: 2, pods: [pod('a'), pod('b')], m: { a: 100 }, want: { replicas: 2, utilization: 10, rawAverage: 100 } },
    // Unready pods on a scale-up count as idle: (1000+0)/2000 = 50% → no change.
    { name: 'unready pods damp a scale-up', current: 2, pods: [pod('a'), pod('b', { phase: 'Pending' })], m: { a: 1000 }, want: { replicas: 2, utilization: 100, rawAverage: 1000 } },
  ])('$name', ({ current, pods, m, want }) => expect(calc(current, pods, usage(m as Record<string, number>))).toEqual(want));

  it.each([
    { name: 'no pods', pods: [], m: {}, error: /no pods returned by selector/ },
    { name: 'no metrics', pods: [pod('a')], m: {}, error: /did not receive metrics/ },
    { name: 'missing request', pods: [pod('a', { requests: [{ container: 'app' }] })], m: { a: 1 }, error: /missing request for cpu in container app of Pod a/ },
  ])('fails on $name', ({ pods, m, error }) => expect(() => calc(1, pods, usage(m as Record<string, number>))).toThrow(error));
});

describe('resourceAverageValueReplicas', () => {
  it.each([
    { name: '2 pods at 300m, target 100m → 6', current: 2, m: { a: 300, b: 300 }, target: 100, want: { replicas: 6, rawAverage: 300 } },
    { name: 'within tolerance', current: 2, m: { a: 105, b: 100 }, target: 100, want: { replicas: 2, rawAverage: 102 } },
    { name: 'half the target → half the pods', current: 4, m: { a: 50, b: 50, c: 50, d: 50 }, target: 100, want: { replicas: 2, rawAverage: 50 } },
  ])('$name', ({ current, m, target, want }) => {
    const pods = Object.keys(m).map((n) => pod(n));
    expect(resourceAverageValueReplicas({ currentReplicas: current, pods, metrics: usage(m as Record<string, number>), resource: 'memory', tolerances, now: NOW, targetAverage: target })).toEqual(want);
  });
});
