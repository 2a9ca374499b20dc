import { formatLabels, formatLabelSelector } from './selector';

describe('formatLabelSelector', () => {
  it.each([
    ['nil selector', undefined, '<none>'],
    ['empty selector selects everything', {}, ''],
    ['match labels sorted by key', { matchLabels: { tier: 'fe', app: 'web' } }, 'app=web,tier=fe'],
    [
      'expressions with sorted values',
      { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod', 'dev'] }, { key: 'a', operator: 'Exists' }, { key: 'z', operator: 'DoesNotExist' }, { key: 'b', operator: 'In', values: ['y', 'x'] }] },
      'a,b in (x,y),env notin (dev,prod),!z',
    ],
  ])('%s', (_name, sel, want) => {
    expect(formatLabelSelector(sel)).toBe(want);
  });

  it.each([
    [undefined, '<none>'],
    [{}, '<none>'],
    [{ b: '2', a: '1' }, 'a=1,b=2'],
  ])('formatLabels(%j)', (labels, want) => {
    expect(formatLabels(labels)).toBe(want);
  });
});
