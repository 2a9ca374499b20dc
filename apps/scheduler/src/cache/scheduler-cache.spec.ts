import { nodeObject, pod } from '@coxswain/scheduling/testing';
import { SchedulerCache } from './scheduler-cache';

const MI = 1024 * 1024;

describe('SchedulerCache', () => {
  it('assumed placements count at once; confirmation keeps the count; a failed bind frees it', () => {
    const cache = new SchedulerCache();
    cache.setNode(nodeObject('n1'));
    const w = pod('a', { cpu: '1', memory: '1Gi' });
    cache.assume(w, 'n1');
    expect(cache.getNode('n1')!.requested).toEqual({ milliCpu: 1000, memory: 1024 * MI, pods: 1 });
    expect(cache.isAssumed(w.key)).toBe(true);
    expect(() => cache.assume(w, 'n1')).toThrow(/already placed/);

    expect(cache.observeBound({ ...w, nodeName: 'n1' })).toEqual([]);
    expect(cache.forget(w.key)).toEqual([]); // confirmed placements are not forgotten
    expect(cache.isAssumed(w.key)).toBe(false);
    expect(cache.getNode('n1')!.requested.pods).toBe(1);

    const b = pod('b', { cpu: '1' });
    cache.assume(b, 'n1');
    expect(cache.forget(b.key)).toEqual([{ events: ['WorkloadRemoved'], node: 'n1' }]);
    expect(cache.getNode('n1')!.requested).toEqual({ milliCpu: 1000, memory: 1024 * MI, pods: 1 });
  });

  it('moves a placement the informer shows on another node', () => {
    const cache = new SchedulerCache();
    cache.setNode(nodeObject('n1'));
    cache.setNode(nodeObject('n2'));
    const w = pod('a', { cpu: '1' });
    cache.assume(w, 'n1');
    expect(cache.observeBound({ ...w, nodeName: 'n2' })).toEqual([{ events: ['WorkloadRemoved'], node: 'n1' }]);
    expect(cache.getNode('n1')!.requested.milliCpu).toBe(0);
    expect(cache.getNode('n2')!.requested.milliCpu).toBe(1000);
  });

  it('frees finished and deleted workloads', () => {
    const cache = new SchedulerCache();
    cache.setNode(nodeObject('n1'));
    const w = pod('a', { cpu: '1', nodeName: 'n1' });
    cache.observeBound(w);
    expect(cache.observeBound({ ...w, terminal: true })).toEqual([{ events: ['WorkloadRemoved'], node: 'n1' }]);
    expect(cache.getNode('n1')!.requested.milliCpu).toBe(0);
    cache.observeBound(w);
    expect(cache.removeWorkload(w.key)).toEqual([{ events: ['WorkloadRemoved'], node: 'n1' }]);
    expect(cache.removeWorkload(w.key)).toEqual([]);
  });

  it('keeps totals for workloads on a node it has not seen yet, and lists only real nodes', () => {
    const cache = new SchedulerCache();
    cache.observeBound(pod('a', { cpu: '1', nodeName: 'late' }));
    expect(cache.listNodes()).toEqual([]);
    expect(cache.setNode(nodeObject('late'))).toEqual([{ events: ['NodeAdd'], node: 'late' }]);
    expect(cache.listNodes().map((n) => n.name)).toEqual(['late']);
    expect(cache.getNode('late')!.requested.milliCpu).toBe(1000);
    cache.removeNode('late');
    expect(cache.listNodes()).toEqual([]);
    expect(cache.getNode('late')).toBeDefined(); // still holds the pod
    cache.removeWorkload('Pod/default/a');
    expect(cache.getNode('late')).toBeUndefined();
  });

  it.each([
    { name: 'no change', change: {}, want: [] },
    { name: 'cordon', change: { unschedulable: true }, want: ['NodeSchedulable'] },
    { name: 'more memory', change: { memory: '16Gi' }, want: ['NodeAllocatable'] },
    { name: 'label', change: { labels: { zone: 'a' } }, want: ['NodeLabels'] },
    { name: 'taint', change: { taints: [{ key: 'k', effect: 'NoSchedule' as const }] }, want: ['NodeTaints'] },
    { name: 'not ready', change: { ready: false }, want: ['NodeReady'] },
  ])('node update events: $name', ({ change, want }) => {
    const cache = new SchedulerCache();
    cache.setNode(nodeObject('n1'));
    expect(cache.setNode(nodeObject('n1', change)).flatMap((c) => c.events)).toEqual(want);
  });
});
