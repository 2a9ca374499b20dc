import { nodeInfo, pod } from '../testing/fixtures';
import { buildFramework, DEFAULT_FILTERS, ProfileSpec } from './registry';
import { snapshotOf } from './snapshot';

describe('buildFramework', () => {
  it('defaults: all filters in order, Kubernetes-like scores', () => {
    const fw = buildFramework({ schedulerName: 'default-scheduler' });
    expect(fw.filters.map((f) => f.name)).toEqual(DEFAULT_FILTERS);
    expect(fw.scorers.map((s) => [s.plugin.name, s.weight])).toEqual([
      ['LeastAllocated', 1],
      ['BalancedAllocation', 1],
      ['TaintToleration', 1],
      ['NodeAffinity', 2],
      ['InterPodAffinity', 2],
      ['PodTopologySpread', 2],
    ]);
  });

  it.each<{ name: string; spec: Partial<ProfileSpec>; error: RegExp }>([
    { name: 'unknown filter', spec: { filters: ['Nope'] }, error: /unknown filter plugin Nope/ },
    { name: 'unknown score', spec: { scores: { Nope: 1 } }, error: /unknown score plugin Nope/ },
    { name: 'negative weight', spec: { scores: { MostAllocated: -1 } }, error: /weight of MostAllocated/ },
  ])('rejects $name', ({ spec, error }) => {
    expect(() => buildFramework({ schedulerName: 'x', ...spec })).toThrow(error);
  });

  it('drops zero weights and passes plugin args', () => {
    const fw = buildFramework({ schedulerName: 'x', scores: { MostAllocated: 2, LeastAllocated: 0 }, pluginArgs: { MostAllocated: { resources: { cpu: 0 } } } });
    expect(fw.scorers.map((s) => s.plugin.name)).toEqual(['MostAllocated']);
  });

  it('eventMayHelp follows the rejecting plugins', () => {
    const fw = buildFramework({ schedulerName: 'x' });
    expect(fw.eventMayHelp('NodeTaints', new Set(['NodeResourcesFit']))).toBe(false);
    expect(fw.eventMayHelp('WorkloadRemoved', new Set(['NodeResourcesFit']))).toBe(true);
    expect(fw.eventMayHelp('NodeLabels', new Set(['TaintToleration', 'NodeAffinity']))).toBe(true);
    expect(fw.eventMayHelp('NodeAdd', new Set(['VMCapable']))).toBe(true);
    expect(fw.eventMayHelp('WorkloadAdded', new Set(['NodeResourcesFit']))).toBe(false);
    expect(fw.eventMayHelp('WorkloadAdded', new Set(['InterPodAffinity']))).toBe(true);
    expect(fw.eventMayHelp('WorkloadRemoved', new Set(['PodTopologySpread', 'NodePorts']))).toBe(true);
  });

  it('knows which rejections depend on other nodes', () => {
    const fw = buildFramework({ schedulerName: 'x' });
    expect(fw.rejectedAcrossNodes(new Set(['NodeResourcesFit', 'TaintToleration']))).toBe(false);
    expect(fw.rejectedAcrossNodes(new Set(['NodeResourcesFit', 'PodTopologySpread']))).toBe(true);
    expect(fw.rejectedAcrossNodes(new Set(['InterPodAffinity']))).toBe(true);
  });

  it('prepare drops the filters whose PreFilter finds nothing to check', () => {
    const fw = buildFramework({ schedulerName: 'x' });
    const plain = fw.prepare(pod('p', { cpu: '1' }), snapshotOf([nodeInfo('n')]));
    expect(plain.filters.map((f) => f.name)).toEqual(['NodeUnschedulable', 'NodeReady', 'VMCapable', 'TaintToleration', 'NodeResourcesFit']);
    const busy = fw.prepare(pod('p', { nodeSelector: { a: 'b' }, hostPorts: [{ hostPort: 80 }], topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: {} }] }), snapshotOf([nodeInfo('n')]));
    expect(busy.filters.map((f) => f.name)).toEqual(['NodeUnschedulable', 'NodeReady', 'VMCapable', 'NodeAffinity', 'TaintToleration', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread']);
  });
});
