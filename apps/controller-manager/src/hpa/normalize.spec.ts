import { HorizontalPodAutoscaler } from '@coxswain/api';
import { behaviorOf, emptyHistory, HpaHistory, normalizeWithBehavior, normalizeWithoutBehavior, recordScaleEvent, scaleDownLimit, scaleUpLimit } from './normalize';

const NOW = 1_000_000_000;
const s = (seconds: number) => NOW - seconds * 1000;
const history = (recs: Array<[number, number]> = [], up: Array<[number, number]> = [], down: Array<[number, number]> = []): HpaHistory => ({
  recommendations: recs.map(([replicas, ago]) => ({ replicas, at: s(ago) })),
  scaleUp: up.map(([change, ago]) => ({ change, at: s(ago), outdated: false })),
  scaleDown: down.map(([change, ago]) => ({ change, at: s(ago), outdated: false })),
});
const hpa = (behavior?: HorizontalPodAutoscaler['spec']['behavior']) => ({ spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 10, behavior } }) as HorizontalPodAutoscaler;

describe('normalizeWithoutBehavior', () => {
  it.each([
    { name: 'within range', h: history(), current: 3, proposal: 4, want: { replicas: 4, able: 'ReadyForNewScale', limited: 'DesiredWithinRange' } },
    { name: 'scale-down held by a higher recent recommendation', h: history([[6, 60]]), current: 6, proposal: 2, want: { replicas: 6, able: 'ScaleDownStabilized', limited: 'DesiredWithinRange' } },
    { name: 'recommendation older than the window is forgotten', h: history([[6, 400]]), current: 6, proposal: 2, want: { replicas: 2, able: 'ReadyForNewScale', limited: 'DesiredWithinRange' } },
    { name: 'scale up at most max(2x, 4)', h: history(), current: 1, proposal: 9, want: { replicas: 4, able: 'ReadyForNewScale', limited: 'ScaleUpLimit' } },
    { name: 'capped at maxReplicas', h: history(), current: 8, proposal: 40, want: { replicas: 10, able: 'ReadyForNewScale', limited: 'TooManyReplicas' } },
    { name: 'raised to minReplicas', h: history(), current: 3, proposal: 1, want: { replicas: 2, able: 'ReadyForNewScale', limited: 'TooFewReplicas' } },
  ])('$name', ({ h, current, proposal, want }) => {
    const n = normalizeWithoutBehavior(h, current, proposal, 2, 10, NOW, 300_000);
    expect({ replicas: n.replicas, able: n.able.reason, limited: n.limited.reason }).toEqual(want);
  });

  it('records the proposal, reusing an expired slot', () => {
    const h = history([[6, 400], [5, 10]]);
    normalizeWithoutBehavior(h, 5, 3, 1, 10, NOW, 300_000);
    expect(h.recommendations).toEqual([
      { replicas: 3, at: NOW },
      { replicas: 5, at: s(10) },
    ]);
  });
});

describe('behavior policies', () => {
  const b = behaviorOf(hpa({ scaleDown: { stabilizationWindowSeconds: 60 } }), 300_000)!;
  it('fills Kubernetes defaults', () => {
    expect(b.scaleUp).toEqual({ stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] });
    expect(b.scaleDown).toEqual({ stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
    expect(behaviorOf(hpa(), 300_000)).toBeUndefined();
    expect(behaviorOf(hpa({}), 120_000)!.scaleDown.stabilizationWindowSeconds).toBe(120);
  });

  it.each([
    { name: 'max of 4 pods / 100% from 2 → 6', current: 2, up: [], rules: b.scaleUp, want: 6 },
    { name: 'max of 4 pods / 100% from 10 → 20', current: 10, up: [], rules: b.scaleUp, want: 20 },
    { name: 'recent scale-ups count against the period', current: 6, up: [[4, 5]] as Array<[number, number]>, rules: b.scaleUp, want: 6 },
    { name: 'Min picks the smaller', current: 10, up: [], rules: { ...b.scaleUp, selectPolicy: 'Min' as const }, want: 14 },
    { name: 'Disabled holds', current: 3, up: [], rules: { ...b.scaleUp, selectPolicy: 'Disabled' as const }, want: 3 },
  ])('scaleUpLimit: $name', ({ current, up, rules, want }) => expect(scaleUpLimit(current, history([], up), rules, NOW)).toBe(want));

  it.each([
    { name: '100% per 15 s allows zero', current: 8, down: [], rules: b.scaleDown, want: 0 },
    { name: '1 pod per minute', current: 8, down: [], rules: { ...b.scaleDown, policies: [{ type: 'Pods' as const, value: 1, periodSeconds: 60 }] }, want: 7 },
    { name: '1 pod per minute after one just now', current: 7, down: [[1, 10]] as Array<[number, number]>, rules: { ...b.scaleDown, policies: [{ type: 'Pods' as const, value: 1, periodSeconds: 60 }] }, want: 7 },
    { name: '50% rounds the remaining count down', current: 5, down: [], rules: { ...b.scaleDown, policies: [{ type: 'Percent' as const, value: 50, periodSeconds: 60 }] }, want: 2 },
  ])('scaleDownLimit: $name', ({ current, down, rules, want }) => expect(scaleDownLimit(current, history([], [], down), rules, NOW)).toBe(want));
});

describe('normalizeWithBehavior', () => {
  const b = behaviorOf(hpa({ scaleUp: { stabilizationWindowSeconds: 30 }, scaleDown: { stabilizationWindowSeconds: 60, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } }), 300_000)!;
  it.each([
    { name: 'scale up held by a lower recent recommendation', h: history([[3, 10]]), current: 3, proposal: 8, want: { replicas: 3, able: 'ScaleUpStabilized', limited: 'DesiredWithinRange' } },
    { name: 'scale up once the window passed', h: history([[3, 40]]), current: 3, proposal: 8, want: { replicas: 7, able: 'ReadyForNewScale', limited: 'ScaleUpLimit' } },
    { name: 'scale down held by a higher recent recommendation', h: history([[6, 30]]), current: 6, proposal: 2, want: { replicas: 6, able: 'ScaleDownStabilized', limited: 'DesiredWithinRange' } },
    { name: 'scale down limited to 1 pod a minute', h: history([[6, 90]]), current: 6, proposal: 2, want: { replicas: 5, able: 'ReadyForNewScale', limited: 'ScaleDownLimit' } },
    { name: 'max wins over the rate', h: history(), current: 9, proposal: 30, want: { replicas: 10, able: 'ReadyForNewScale', limited: 'TooManyReplicas' } },
  ])('$name', ({ h, current, proposal, want }) => {
    const n = normalizeWithBehavior(h, b, current, proposal, 1, 10, NOW);
    expect({ replicas: n.replicas, able: n.able.reason, limited: n.limited.reason }).toEqual(want);
  });

  it('records scale events for the rate limits', () => {
    const h = emptyHistory();
    recordScaleEvent(h, b, 2, 6, NOW);
    recordScaleEvent(h, b, 6, 5, NOW + 1000);
    expect(h.scaleUp).toEqual([{ change: 4, at: NOW, outdated: false }]);
    expect(h.scaleDown).toEqual([{ change: 1, at: NOW + 1000, outdated: false }]);
    recordScaleEvent(h, undefined, 5, 9, NOW);
    expect(h.scaleUp).toHaveLength(1);
  });
});
