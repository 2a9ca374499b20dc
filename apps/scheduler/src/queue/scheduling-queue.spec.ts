import { FakeClock } from '@coxswain/client';
import { ClusterEvent } from '@coxswain/scheduling';
import { pod, vmi } from '@coxswain/scheduling/testing';
import { QueuedWorkload, SchedulingQueue } from './scheduling-queue';

function setup(eventMayHelp?: (q: QueuedWorkload, e: ClusterEvent) => boolean) {
  const clock = new FakeClock();
  const queue = new SchedulingQueue({ clock, initialBackoffMs: 1000, maxBackoffMs: 10_000, eventMayHelp });
  const drain = () => {
    const out: string[] = [];
    for (let q = queue.tryPop(); q; q = queue.tryPop()) out.push(q.workload.name);
    return out;
  };
  return { clock, queue, drain };
}

describe('SchedulingQueue ordering', () => {
  it.each([
    { name: 'FIFO among equal priority', adds: [['a', 0], ['b', 0], ['c', 0]], want: ['a', 'b', 'c'] },
    { name: 'higher priority first', adds: [['low', 0], ['high', 100], ['mid', 10]], want: ['high', 'mid', 'low'] },
    { name: 'pods and VMIs share one order', adds: [['p1', 0], ['vm:v1', 5], ['p2', 5]], want: ['v1', 'p2', 'p1'] },
  ])('$name', ({ adds, want }) => {
    const { queue, drain, clock } = setup();
    for (const [name, priority] of adds as Array<[string, number]>) {
      queue.add(name.startsWith('vm:') ? vmi(name.slice(3), { priority }) : pod(name, { priority }));
      clock.advance(1);
    }
    expect(drain()).toEqual(want);
  });

  it('a failed workload goes behind others of its priority', async () => {
    const { queue, clock, drain } = setup();
    queue.add(pod('a'));
    queue.add(pod('b'));
    const a = queue.tryPop()!;
    queue.requeueBackoff(a);
    clock.advance(1000);
    expect(drain()).toEqual(['b', 'a']);
  });

  it('pop waits for work and close releases it', async () => {
    const { queue } = setup();
    const waiting = queue.pop();
    queue.add(pod('a'));
    expect((await waiting)?.workload.name).toBe('a');
    const again = queue.pop();
    queue.close();
    expect(await again).toBeUndefined();
  });
});

describe('SchedulingQueue back-off and the unschedulable pool', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [4, 8000],
    [5, 10_000],
    [40, 10_000],
  ])('back-off after %i failures is %i ms', (attempts, ms) => {
    expect(setup().queue.backoffDurationMs(attempts)).toBe(ms);
  });

  it('parks an unschedulable workload until an event, and honours its back-off', () => {
    const { queue, clock } = setup();
    queue.add(pod('a'));
    queue.requeueUnschedulable(queue.tryPop()!, new Set(['NodeResourcesFit']));
    expect(queue.whereIs('Pod/default/a')).toBe('unschedulable');
    clock.advance(60_000);
    expect(queue.whereIs('Pod/default/a')).toBe('unschedulable'); // no blind timer
    queue.onClusterEvent('NodeAdd');
    expect(queue.whereIs('Pod/default/a')).toBe('active'); // back-off long over

    queue.requeueUnschedulable(queue.tryPop()!, new Set(['NodeResourcesFit']));
    queue.onClusterEvent('NodeAdd');
    expect(queue.whereIs('Pod/default/a')).toBe('backoff'); // 2nd failure: 2 s back-off
    clock.advance(1999);
    expect(queue.whereIs('Pod/default/a')).toBe('backoff');
    clock.advance(1);
    expect(queue.whereIs('Pod/default/a')).toBe('active');
    expect(queue.counts()).toEqual({ active: 1, backoff: 0, unschedulable: 0 });
  });

  it('moves only workloads the event may help', () => {
    const { queue, clock } = setup((q, e) => e === 'NodeAdd' || (e === 'NodeTaints' && q.rejectedBy.has('TaintToleration')));
    queue.add(pod('fit'));
    queue.add(pod('taint'));
    queue.requeueUnschedulable(queue.tryPop()!, new Set(['NodeResourcesFit']));
    queue.requeueUnschedulable(queue.tryPop()!, new Set(['TaintToleration']));
    clock.advance(5000);
    queue.onClusterEvent('NodeTaints');
    expect([queue.whereIs('Pod/default/fit'), queue.whereIs('Pod/default/taint')]).toEqual(['unschedulable', 'active']);
  });

  it('with a fit check, an event moves only the workloads that now fit', () => {
    const { queue, clock } = setup();
    queue.add(pod('small', { cpu: '1' }));
    queue.add(pod('large', { cpu: '8' }));
    queue.requeueUnschedulable(queue.tryPop()!, new Set(['NodeResourcesFit']));
    queue.requeueUnschedulable(queue.tryPop()!, new Set(['NodeResourcesFit']));
    clock.advance(5000);
    queue.onClusterEvent(['WorkloadRemoved'], (q) => q.workload.requests.milliCpu <= 2000);
    expect([queue.whereIs('Pod/default/small'), queue.whereIs('Pod/default/large')]).toEqual(['active', 'unschedulable']);
  });

  it('an event during the attempt keeps the workload out of the pool', () => {
    const { queue } = setup();
    queue.add(pod('a'));
    const a = queue.tryPop()!;
    queue.onClusterEvent('NodeAdd');
    queue.requeueUnschedulable(a, new Set(['NodeResourcesFit']));
    expect(queue.whereIs('Pod/default/a')).toBe('backoff');
  });

  it('a workload deleted or bound during its attempt is not requeued', () => {
    const { queue } = setup();
    queue.add(pod('a'));
    queue.add(pod('b'));
    const a = queue.tryPop()!;
    const b = queue.tryPop()!;
    queue.delete(a.workload.key);
    queue.requeueUnschedulable(a, new Set());
    queue.done(b.workload.key);
    queue.requeueBackoff(b);
    expect(queue.counts()).toEqual({ active: 0, backoff: 0, unschedulable: 0 });
  });

  it.each([
    { name: 'new toleration retries', change: { tolerations: [{ key: 'k', operator: 'Exists' as const }] }, want: 'backoff' },
    { name: 'a label-only change does not', change: {}, want: 'unschedulable' },
  ])('updating a parked workload: $name', ({ change, want }) => {
    const { queue } = setup();
    queue.add(pod('a'));
    queue.requeueUnschedulable(queue.tryPop()!, new Set(['TaintToleration']));
    queue.update(pod('a', change));
    expect(queue.whereIs('Pod/default/a')).toBe(want);
  });

  it('an update during the attempt retries instead of parking', () => {
    const { queue } = setup();
    queue.add(pod('a'));
    const a = queue.tryPop()!;
    queue.update(pod('a', { nodeSelector: { zone: 'b' } }));
    queue.requeueUnschedulable(a, new Set(['NodeAffinity']));
    expect(queue.whereIs('Pod/default/a')).toBe('backoff');
  });

  it('a priority change re-orders the active heap', () => {
    const { queue, clock, drain } = setup();
    queue.add(pod('a'));
    clock.advance(1);
    queue.add(pod('b'));
    queue.update(pod('b', { priority: 10 }));
    expect(drain()).toEqual(['b', 'a']);
  });
});
