import { findCondition, HorizontalPodAutoscaler } from '@coxswain/api';
import { PodUsage } from './metrics-source';
import { emptyHistory, HpaHistory } from './normalize';
import { planHpa, rescaleFailed } from './plan';
import { MetricPod } from './replica-calculator';

const NOW = Date.parse('2025-01-01T01:00:00Z');
const LONG_AGO = NOW - 3_600_000;

const hpa = (spec: Partial<HorizontalPodAutoscaler['spec']> = {}, status?: HorizontalPodAutoscaler['status']): HorizontalPodAutoscaler =>
  ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'ns', generation: 1 },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      ...spec,
    },
    status,
  }) as HorizontalPodAutoscaler;

const pod = (name: string): MetricPod => ({ name, phase: 'Running', deleting: false, ready: { status: 'True', lastTransitionTime: LONG_AGO }, startTime: LONG_AGO, requests: [{ container: 'app', cpu: 200, memory: 64 * 1024 * 1024 * 1000 }] });
const usage = (cpu: Record<string, number>): PodUsage[] => Object.entries(cpu).map(([name, cpuMillis]) => ({ name, timestamp: NOW, windowMs: 0, containers: [{ name: 'app', cpuMillis, memoryBytes: 32 * 1024 * 1024 }] }));
const scale = (replicas: number) => ({ specReplicas: replicas, statusReplicas: replicas, selector: 'app=web' });
const names = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`);

function run(h: HorizontalPodAutoscaler, replicas: number, cpuEach: number, history: HpaHistory = emptyHistory(), now = NOW) {
  const pods = names(replicas).map(pod);
  return planHpa({ hpa: h, scale: scale(replicas), pods, usage: usage(Object.fromEntries(pods.map((p) => [p.name, cpuEach]))), history, now, tolerance: 0.1, downscaleStabilizationMs: 300_000 });
}
const cond = (plan: ReturnType<typeof planHpa>, type: string) => {
  const c = findCondition(plan.status.conditions, type);
  return c && `${c.status}/${c.reason}`;
};

describe('planHpa', () => {
  it.each([
    { name: 'busy pods scale up', replicas: 2, cpu: 200, want: { to: 4, able: 'True/SucceededRescale', active: 'True/ValidMetricFound', limited: 'False/DesiredWithinRange' } },
    { name: 'within tolerance keeps size', replicas: 2, cpu: 105, want: { to: undefined, able: 'True/ReadyForNewScale', active: 'True/ValidMetricFound', limited: 'False/DesiredWithinRange' } },
    { name: 'scale-up limited by max(2x, 4)', replicas: 1, cpu: 1000, want: { to: 4, able: 'True/SucceededRescale', active: 'True/ValidMetricFound', limited: 'True/ScaleUpLimit' } },
    { name: 'scale-up limited by maxReplicas', replicas: 8, cpu: 400, want: { to: 10, able: 'True/SucceededRescale', active: 'True/ValidMetricFound', limited: 'True/TooManyReplicas' } },
    { name: 'idle pods scale down to min (no recent higher recommendation)', replicas: 4, cpu: 10, want: { to: 1, able: 'True/SucceededRescale', active: 'True/ValidMetricFound', limited: 'False/DesiredWithinRange' } },
  ])('$name', ({ replicas, cpu, want }) => {
    // A history with only an old recommendation: nothing stabilizes the scale-down.
    const history: HpaHistory = { recommendations: [{ replicas, at: NOW - 600_000 }], scaleUp: [], scaleDown: [] };
    const plan = run(hpa(), replicas, cpu, history);
    expect({ to: plan.rescale?.to, able: cond(plan, 'AbleToScale'), active: cond(plan, 'ScalingActive'), limited: cond(plan, 'ScalingLimited') }).toEqual(want);
  });

  it('reports status and the SuccessfulRescale event', () => {
    const plan = run(hpa(), 2, 200);
    expect(plan.status).toMatchObject({ observedGeneration: 1, currentReplicas: 2, desiredReplicas: 4, lastScaleTime: '2025-01-01T01:00:00Z' });
    expect(plan.status.currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 100, averageValue: '200m' } } }]);
    expect(plan.events).toEqual([{ type: 'Normal', reason: 'SuccessfulRescale', message: 'New size: 4; reason: cpu resource utilization (percentage of request) above target' }]);
  });

  it('scale-down waits for the downscale stabilization window', () => {
    const history = emptyHistory();
    const first = run(hpa(), 4, 10, history);
    // The first pass recorded the current size, so the window holds the scale at 4.
    expect(first.rescale).toBeUndefined();
    expect(cond(first, 'AbleToScale')).toBe('True/ScaleDownStabilized');
    const later = run(hpa(), 4, 10, history, NOW + 301_000);
    expect(later.rescale?.to).toBe(1);
  });

  it('uses behavior when set', () => {
    const withBehavior = hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } });
    const plan = run(withBehavior, 4, 10);
    expect(plan.rescale?.to).toBe(3);
    expect(cond(plan, 'ScalingLimited')).toBe('True/ScaleDownLimit');
  });

  it('the highest metric wins', () => {
    const h = hpa({
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '8Mi' } } },
      ],
    });
    // cpu says 2 (at target); memory 32Mi per pod against 8Mi says 8.
    const plan = run(h, 2, 100);
    expect(plan.rescale).toEqual({ from: 2, to: 4, reason: 'memory resource above target' });
    expect(cond(plan, 'ScalingLimited')).toBe('True/ScaleUpLimit');
  });

  it.each([
    { name: 'replicas above max', replicas: 12, want: { to: 10, reason: 'Current number of replicas above Spec.MaxReplicas' } },
    { name: 'replicas below min', replicas: 1, min: 3, want: { to: 3, reason: 'Current number of replicas below Spec.MinReplicas' } },
  ])('$name', ({ replicas, min, want }) => {
    const plan = run(hpa({ minReplicas: min ?? 1 }), replicas, 100);
    expect({ to: plan.rescale?.to, reason: plan.rescale?.reason }).toEqual(want);
  });

  it('a target scaled to zero disables autoscaling', () => {
    const plan = planHpa({ hpa: hpa(), scale: scale(0), pods: [], usage: [], history: emptyHistory(), now: NOW, tolerance: 0.1, downscaleStabilizationMs: 300_000 });
    expect(plan.rescale).toBeUndefined();
    expect(cond(plan, 'ScalingActive')).toBe('False/ScalingDisabled');
  });

  it('missing metrics: ScalingActive False and warnings, no scaling', () => {
    const plan = planHpa({ hpa: hpa(), scale: scale(2), pods: names(2).map(pod), usage: { error: 'metrics API unavailable' }, history: emptyHistory(), now: NOW, tolerance: 0.1, downscaleStabilizationMs: 300_000 });
    expect(plan.rescale).toBeUndefined();
    expect(cond(plan, 'ScalingActive')).toBe('False/FailedGetResourceMetric');
    expect(plan.events.map((e) => e.reason)).toEqual(['FailedGetResourceMetric', 'FailedComputeMetricsReplicas']);
    expect(plan.events[1].message).toMatch(/^invalid metrics \(1 invalid out of 1\), first error is: failed to get cpu utilization/);
  });

  it('unsupported metric types are reported, not guessed', () => {
    const plan = run(hpa({ metrics: [{ type: 'External', external: {} }] }), 2, 100);
    expect(cond(plan, 'ScalingActive')).toBe('False/FailedGetExternalMetric');
  });

  it('a failed scale read: AbleToScale False', () => {
    const plan = planHpa({ hpa: hpa(), scale: { error: 'deployments.apps "web" not found' }, pods: [], usage: [], history: emptyHistory(), now: NOW, tolerance: 0.1, downscaleStabilizationMs: 300_000 });
    expect(cond(plan, 'AbleToScale')).toBe('False/FailedGetScale');
    expect(plan.events[0].reason).toBe('FailedGetScale');
  });

  it('a failed rescale: AbleToScale False, FailedRescale instead of SuccessfulRescale', () => {
    const h = hpa();
    const failed = rescaleFailed(h, run(h, 2, 200), 'conflict', NOW);
    expect(findCondition(failed.status.conditions, 'AbleToScale')).toMatchObject({ status: 'False', reason: 'FailedUpdateScale' });
    expect(failed.events.map((e) => e.reason)).toEqual(['FailedRescale']);
    expect(failed.status.desiredReplicas).toBe(2);
  });

  it('nothing changed: no status write', () => {
    const history = emptyHistory();
    const first = run(hpa(), 2, 100, history);
    const again = run(hpa({}, first.status), 2, 100, history, NOW + 15_000);
    expect(again.statusChanged).toBe(false);
  });
});
