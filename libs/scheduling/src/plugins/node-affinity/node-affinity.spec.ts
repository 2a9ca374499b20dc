import type { NodeSelectorRequirement, NodeSelectorTerm } from '@coxswain/api/browser';
import { nodeInfo, pod } from '../../testing/fixtures';
import { matchesNodeAffinity, matchesNodeSelector, matchesRequirement, newNodeAffinity } from './node-affinity';

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
