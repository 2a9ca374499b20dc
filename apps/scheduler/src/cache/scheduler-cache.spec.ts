import { nodeObject, pod } from '@coxswain/scheduling/testing';
import { SchedulerCache } from './scheduler-cache';

const MI = 1024 * 1024;

describe('SchedulerCache', () => {
  it('assumed placements count at once; confirmation keeps the count; a failed bind frees it', () => {
    const cache = new SchedulerCache();
    cache.setNode(nodeObject('n1'));
    const w = pod('a', { cpu: '1', memory: '1Gi' });
    expect(cache.assume(w, 'n1')).toEqual([{ events: ['WorkloadAdded'], node: 'n1' }]);
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
    expect(cache.observeBound({ ...w, nodeName: 'n2' })).toEqual([
      { events: ['WorkloadRemoved'], node: 'n1' },
      { events: ['WorkloadAdded'], node: 'n2' },
    ]);
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

  it('a new extended resource on a node is an allocatable change', () => {
    const cache = new SchedulerCache();
    cache.setNode(nodeObject('n1'));
    expect(cache.setNode(nodeObject('n1', { extra: { 'nvidia.com/gpu': '1' } })).flatMap((c) => c.events)).toEqual(['NodeAllocatable']);
  });

  it('the snapshot indexes nodes holding pod (anti-)affinity, assumed workloads included, and is rebuilt only after they change', () => {
    const cache = new SchedulerCache();
    cache.setNode(nodeObject('n1'));
    cache.setNode(nodeObject('n2'));
    const plain = cache.snapshot();
    expect(plain.nodesWithRequiredAntiAffinity).toEqual([]);
    cache.assume(pod('no-affinity', { cpu: '1' }), 'n1');
    expect(cache.snapshot()).toBe(plain);
    const anti = pod('anti', { labels: { app: 'web' }, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } } as never });
    cache.assume(anti, 'n2');
    expect(cache.snapshot().nodesWithRequiredAntiAffinity.map((n) => n.name)).toEqual(['n2']);
    expect(cache.snapshot().nodesWithAffinity.map((n) => n.name)).toEqual(['n2']);
    cache.forget(anti.key);
    expect(cache.snapshot().nodesWithRequiredAntiAffinity).toEqual([]);
  });

  it('a bound workload whose labels change is recounted and reported as added', () => {
    const cache = new SchedulerCache();
    cache.setNode(nodeObject('n1'));
    const w = pod('a', { cpu: '1', nodeName: 'n1', labels: { app: 'web' } });
    expect(cache.observeBound(w)).toEqual([{ events: ['WorkloadAdded'], node: 'n1' }]);
    const relabeled = pod('a', { cpu: '1', nodeName: 'n1', labels: { app: 'api' } });
    expect(cache.observeBound(relabeled)).toEqual([{ events: ['WorkloadAdded'], node: 'n1' }]);
    expect(cache.getNode('n1')!.workloads.get(w.key)!.labels).toEqual({ app: 'api' });
    expect(cache.getNode('n1')!.requested.milliCpu).toBe(1000);
    expect(cache.observeBound(relabeled)).toEqual([]);
  });

  it('counts host ports and extended resources of placed workloads', () => {
    const cache = new SchedulerCache();
    cache.setNode(nodeObject('n1', { extra: { 'nvidia.com/gpu': '2' } }));
    const w = pod('a', { hostPorts: [{ hostPort: 80 }], requests: { 'nvidia.com/gpu': '1' } });
    cache.assume(w, 'n1');
    const node = cache.getNode('n1')!;
    expect(node.usedPorts.conflicts({ port: 80, protocol: 'TCP', hostIP: '0.0.0.0' })).toBe(true);
    expect(node.scalarRequested.get('nvidia.com/gpu')).toBe(1);
    cache.forget(w.key);
    expect(node.usedPorts.size).toBe(0);
    expect(node.scalarRequested.size).toBe(0);
  });
});
