import { buildFramework, DEFAULT_FILTERS, ProfileSpec } from './registry';

describe('buildFramework', () => {
  it('defaults: all filters in order, Kubernetes-like scores', () => {
    const fw = buildFramework({ schedulerName: 'default-scheduler' });
    expect(fw.filters.map((f) => f.name)).toEqual(DEFAULT_FILTERS);
    expect(fw.scorers.map((s) => [s.plugin.name, s.weight])).toEqual([['LeastAllocated', 1], ['BalancedAllocation', 1], ['TaintToleration', 1]]);
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
  });
});
