import type { Taint, Toleration } from '@coxswain/api/browser';
import { findUntoleratedTaint, toleratesTaint } from './tolerations';

const taint: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('toleratesTaint', () => {
  it.each<[string, Toleration, boolean]>([
    ['Equal with same key, value and effect', { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, true],
    ['default operator is Equal', { key: 'dedicated', value: 'gpu' }, true],
    ['Equal with another value', { key: 'dedicated', operator: 'Equal', value: 'cpu' }, false],
    ['Exists ignores the value', { key: 'dedicated', operator: 'Exists' }, true],
    ['empty key with Exists tolerates everything', { operator: 'Exists' }, true],
    ['another key', { key: 'other', operator: 'Exists' }, false],
    ['effect must match when set', { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, false],
    ['empty effect matches all effects', { key: 'dedicated', operator: 'Exists', effect: '' }, true],
    ['an unknown operator tolerates nothing (upstream ToleratesTaint)', { key: 'dedicated', operator: 'Gt' as Toleration['operator'], value: 'gpu' }, false],
  ])('%s', (_name, toleration, want) => {
    expect(toleratesTaint(toleration, taint)).toBe(want);
  });

  it('treats a missing taint value as empty', () => {
    expect(toleratesTaint({ key: 'k', operator: 'Equal', value: '' }, { key: 'k', effect: 'NoSchedule' })).toBe(true);
  });
});

describe('findUntoleratedTaint', () => {
  const taints: Taint[] = [taint, { key: 'zone', value: 'a', effect: 'NoExecute' }];
  it.each<[string, Toleration[], string | undefined]>([
    ['no tolerations: first taint', [], 'dedicated'],
    ['first tolerated: second taint', [{ key: 'dedicated', operator: 'Exists' }], 'zone'],
    ['all tolerated', [{ operator: 'Exists' }], undefined],
  ])('%s', (_name, tolerations, want) => {
    expect(findUntoleratedTaint(taints, tolerations)?.key).toBe(want);
  });
});
