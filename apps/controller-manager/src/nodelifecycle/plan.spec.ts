import { Node, Taint, Toleration } from '@coxswain/api';
import { rfc3339 } from '../framework/time';
import { toleratesTaint as tolerates } from '@coxswain/scheduling';
import { NOT_READY, planEvictions, planNodeHealth, UNREACHABLE } from './plan';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const config = { gracePeriodMs: 20_000, podEvictionTimeoutMs: 15_000 };

const node = (ready?: 'True' | 'False' | 'Unknown', taints: Taint[] = [], heartbeat = rfc3339(T0)): Node =>
  ({
    metadata: { name: 'n1' },
    spec: { taints },
    status: {
      conditions: ready
        ? [
            { type: 'Ready', status: ready, lastHeartbeatTime: heartbeat, lastTransitionTime: rfc3339(T0 - 60_000) },
            { type: 'MemoryPressure', status: 'False', lastHeartbeatTime: heartbeat },
          ]
        : [],
    },
  }) as Node;

describe('planNodeHealth', () => {
  it('first sight starts the grace period from now', () => {
    const plan = planNodeHealth({ node: node('True'), leaseRenewTime: 'r1', now: T0, config });
    expect(plan).toMatchObject({ ready: 'True', conditions: undefined, taints: undefined, requeueAfterMs: 20_001 });
    expect(plan.health.probeTimestamp).toBe(T0);
  });

  it('a renewed lease moves the probe time; an unchanged one does not', () => {
    const first = planNodeHealth({ node: node('True'), leaseRenewTime: 'r1', now: T0, config });
    const same = planNodeHealth({ node: node('True'), leaseRenewTime: 'r1', previous: first.health, now: T0 + 10_000, config });
    expect(same.health.probeTimestamp).toBe(T0);
    const renewed = planNodeHealth({ node: node('True'), leaseRenewTime: 'r2', previous: first.health, now: T0 + 10_000, config });
    expect(renewed.health.probeTimestamp).toBe(T0 + 10_000);
  });

  it('silent past the grace period: every condition Unknown, unreachable taints, an event', () => {
    const first = planNodeHealth({ node: node('True'), leaseRenewTime: 'r1', now: T0, config });
    const plan = planNodeHealth({ node: node('True'), leaseRenewTime: 'r1', previous: first.health, now: T0 + 20_000, config });
    expect(plan.ready).toBe('Unknown');
    expect(plan.conditions!.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Ready', 'Unknown', 'NodeStatusUnknown'],
      ['MemoryPressure', 'Unknown', 'NodeStatusUnknown'],
    ]);
    expect(plan.taints!.map((t) => `${t.key}:${t.effect}`)).toEqual([`${UNREACHABLE}:NoSchedule`, `${UNREACHABLE}:NoExecute`]);
    expect(plan.taints![1].timeAdded).toBe(rfc3339(T0 + 20_000));
    expect(plan.event?.reason).toBe('NodeNotReady');
    expect(plan.requeueAfterMs).toBeUndefined();
  });

  it.each([
    { name: 'Ready=False from the agent: not-ready taints', ready: 'False' as const, taints: [], want: [`${NOT_READY}:NoSchedule`, `${NOT_READY}:NoExecute`] },
    { name: 'back to Ready: our taints go, others stay', ready: 'True' as const, taints: [{ key: UNREACHABLE, effect: 'NoExecute' as const }, { key: 'dedicated', effect: 'NoSchedule' as const }], want: ['dedicated:NoSchedule'] },
    { name: 'Ready with no taints: unchanged', ready: 'True' as const, taints: [], want: undefined },
    { name: 'already tainted unreachable and silent: unchanged', ready: 'Unknown' as const, taints: [{ key: UNREACHABLE, effect: 'NoSchedule' as const }, { key: UNREACHABLE, effect: 'NoExecute' as const }], want: undefined },
  ])('$name', ({ ready, taints, want }) => {
    const previous = { probeTimestamp: T0, heartbeat: `r|${rfc3339(T0)}|${ready}` };
    const plan = planNodeHealth({ node: node(ready, taints), leaseRenewTime: 'r', previous, now: ready === 'Unknown' ? T0 + 30_000 : T0 + 1000, config });
    expect(plan.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(want);
  });

  it('a node that never reported gets Ready=Unknown after the grace period', () => {
    const first = planNodeHealth({ node: node(undefined), now: T0, config });
    const plan = planNodeHealth({ node: node(undefined), previous: first.health, now: T0 + 20_000, config });
    expect(plan.ready).toBe('Unknown');
    expect(plan.taints?.some((t) => t.key === UNREACHABLE && t.effect === 'NoExecute')).toBe(true);
  });
});

// The eviction plan uses libs/scheduling's toleratesTaint, the scheduler's own rule.
describe('tolerates', () => {
  const taint: Taint = { key: UNREACHABLE, effect: 'NoExecute' };
  it.each<{ name: string; t: Toleration; want: boolean }>([
    { name: 'Exists on the key', t: { key: UNREACHABLE, operator: 'Exists' }, want: true },
    { name: 'Exists without key tolerates all', t: { operator: 'Exists' }, want: true },
    { name: 'other key', t: { key: 'x', operator: 'Exists' }, want: false },
    { name: 'other effect', t: { key: UNREACHABLE, operator: 'Exists', effect: 'NoSchedule' }, want: false },
    { name: 'Equal with matching empty value', t: { key: UNREACHABLE, operator: 'Equal' }, want: true },
    { name: 'Equal with other value', t: { key: UNREACHABLE, operator: 'Equal', value: 'v' }, want: false },
  ])('$name', ({ t, want }) => expect(tolerates(t, taint)).toBe(want));
});

describe('planEvictions', () => {
  const added = rfc3339(T0);
  const unreachable: Taint = { key: UNREACHABLE, effect: 'NoExecute', timeAdded: added };
  const c = (name: string, tolerations: Toleration[] = [], done = false) => ({ obj: name, tolerations, done });
  it.each([
    { name: 'default toleration not yet over', taints: [unreachable], cs: [c('a')], now: T0 + 10_000, want: { evict: [], requeueAfterMs: 5000 } },
    { name: 'default toleration over', taints: [unreachable], cs: [c('a')], now: T0 + 15_000, want: { evict: ['a'], requeueAfterMs: undefined } },
    { name: 'own tolerationSeconds win', taints: [unreachable], cs: [c('a', [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 }])], now: T0 + 2000, want: { evict: ['a'], requeueAfterMs: undefined } },
    { name: 'tolerated forever', taints: [unreachable], cs: [c('a', [{ key: UNREACHABLE, operator: 'Exists' }])], now: T0 + 999_000, want: { evict: [], requeueAfterMs: undefined } },
    { name: 'untolerated custom NoExecute taint evicts at once', taints: [{ key: 'maintenance', effect: 'NoExecute' as const, timeAdded: added }], cs: [c('a')], now: T0, want: { evict: ['a'], requeueAfterMs: undefined } },
    { name: 'NoSchedule taints do not evict', taints: [{ key: 'x', effect: 'NoSchedule' as const }], cs: [c('a')], now: T0, want: { evict: [] } },
    { name: 'finished or deleting workloads are skipped', taints: [unreachable], cs: [c('a', [], true)], now: T0 + 60_000, want: { evict: [], requeueAfterMs: undefined } },
    { name: 'earliest deadline is the requeue', taints: [unreachable], cs: [c('a'), c('b', [{ key: UNREACHABLE, operator: 'Exists', tolerationSeconds: 5 }])], now: T0 + 1000, want: { evict: [], requeueAfterMs: 4000 } },
  ])('$name', ({ taints, cs, now, want }) => expect(planEvictions(taints, cs, now, 15_000)).toEqual(want));
});
