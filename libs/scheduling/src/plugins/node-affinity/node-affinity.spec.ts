import type { NodeSelectorRequirement, NodeSelectorTerm } from '@coxswain/api/browser';
import { nodeInfo, pluginScores, pod } from '../../testing/fixtures';
import { matchesNodeAffinity, matchesNodeSelector, matchesRequirement, newNodeAffinity, normalizeToMax, preferredAffinityScore } from './node-affinity';

const labels = { zone: 'a', disk: 'ssd', cores: '16' };

describe('matchesNodeSelector', () => {
  it.each<{ name: string; selector: Record<string, string> | undefined; want: boolean }>([
    { name: 'no selector', selector: undefined, want: true },
    { name: 'all labels match', selector: { zone: 'a', disk: 'ssd' }, want: true },
    { name: 'one label differs', selector: { zone: 'b' }, want: false },
    { name: 'label missing', selector: { gpu: 'yes' }, want: false },
  ])('$name', ({ selector, want }) => expect(matchesNodeSelector(selector, labels)).toBe(want));
});

describe('matchesRequirement', () => {
  it.each<[string, NodeSelectorRequirement, string | undefined, boolean]>([
    ['In hit', { key: 'zone', operator: 'In', values: ['a', 'b'] }, 'a', true],
    ['In miss', { key: 'zone', operator: 'In', values: ['b'] }, 'a', false],
    ['In on absent label', { key: 'zone', operator: 'In', values: ['a'] }, undefined, false],
    ['NotIn hit', { key: 'zone', operator: 'NotIn', values: ['b'] }, 'a', true],
    ['NotIn on absent label', { key: 'zone', operator: 'NotIn', values: ['a'] }, undefined, true],
    ['NotIn miss', { key: 'zone', operator: 'NotIn', values: ['a'] }, 'a', false],
    ['Exists', { key: 'zone', operator: 'Exists' }, '', true],
    ['Exists absent', { key: 'zone', operator: 'Exists' }, undefined, false],
    ['DoesNotExist', { key: 'zone', operator: 'DoesNotExist' }, undefined, true],
    ['Gt', { key: 'cores', operator: 'Gt', values: ['8'] }, '16', true],
    ['Gt equal', { key: 'cores', operator: 'Gt', values: ['16'] }, '16', false],
    ['Lt', { key: 'cores', operator: 'Lt', values: ['32'] }, '16', true],
    ['Gt on non-integer', { key: 'cores', operator: 'Gt', values: ['8'] }, 'many', false],
  ])('%s', (_name, req, value, want) => expect(matchesRequirement(req, value)).toBe(want));
});

describe('matchesNodeAffinity', () => {
  it.each<[string, NodeSelectorTerm[] | undefined, boolean]>([
    ['no affinity', undefined, true],
    ['one matching term', [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }], true],
    ['terms are ORed', [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }, { matchExpressions: [{ key: 'disk', operator: 'Exists' }] }], true],
    ['expressions are ANDed', [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'gpu', operator: 'Exists' }] }], false],
    ['an empty term matches nothing', [{}], false],
    ['matchFields on metadata.name', [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }], true],
    ['matchFields on another name', [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }], false],
  ])('%s', (_name, terms, want) => expect(matchesNodeAffinity(terms, 'n1', labels)).toBe(want));
});

describe('NodeAffinity', () => {
  const plugin = newNodeAffinity();
  const node = nodeInfo('n1', { labels: { zone: 'a' } });
  it.each([
    { name: 'selector matches', w: pod('p', { nodeSelector: { zone: 'a' } }), want: 'Success' },
    { name: 'selector misses', w: pod('p', { nodeSelector: { zone: 'b' } }), want: 'UnschedulableAndUnresolvable' },
    {
      name: 'affinity misses',
      w: pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }] } } } }),
      want: 'UnschedulableAndUnresolvable',
    },
  ])('$name → $want', ({ w, want }) => {
    const status = plugin.filter(w, node);
    expect(status.code).toBe(want);
    if (want !== 'Success') expect(status.reasons).toEqual(["node(s) didn't match Pod's node affinity/selector"]);
  });
});

describe('NodeAffinity score (preferred terms)', () => {
  const plugin = newNodeAffinity();
  const prefer = (...terms: Array<[number, Record<string, string>]>) =>
    pod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms.map(([weight, labels]) => ({ weight, preference: { matchExpressions: Object.entries(labels).map(([key, v]) => ({ key, operator: 'In', values: [v] })) } })) } } as never });
  const nodes = [nodeInfo('ssd-a', { labels: { disk: 'ssd', zone: 'a' } }), nodeInfo('ssd-b', { labels: { disk: 'ssd', zone: 'b' } }), nodeInfo('hdd-a', { labels: { disk: 'hdd', zone: 'a' } })];

  it.each<{ name: string; workload: ReturnType<typeof pod>; want: Record<string, number> | undefined }>([
    { name: 'no preferences: skipped', workload: pod('p'), want: undefined },
    { name: 'one term', workload: prefer([10, { disk: 'ssd' }]), want: { 'ssd-a': 100, 'ssd-b': 100, 'hdd-a': 0 } },
    { name: 'weights add up, scaled to the best', workload: prefer([80, { disk: 'ssd' }], [20, { zone: 'a' }]), want: { 'ssd-a': 100, 'ssd-b': 80, 'hdd-a': 20 } },
    { name: 'nothing matches anywhere', workload: prefer([50, { disk: 'nvme' }]), want: { 'ssd-a': 0, 'ssd-b': 0, 'hdd-a': 0 } },
  ])('$name', ({ workload, want }) => expect(pluginScores(plugin, workload, nodes)).toEqual(want));

  it('a preference without requirements matches nothing; weight-0 entries are dropped', () => {
    expect(preferredAffinityScore([{ weight: 5, preference: {} }], 'n', { a: 'b' })).toBe(0);
    expect(pod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: { matchExpressions: [{ key: 'a', operator: 'Exists' }] } }] } } as never }).preferredNodeTerms).toBeUndefined();
  });

  it('normalizeToMax leaves all-zero scores alone', () => {
    const scores = Float64Array.from([0, 0]);
    normalizeToMax(scores, 2);
    expect([...scores]).toEqual([0, 0]);
  });
});
