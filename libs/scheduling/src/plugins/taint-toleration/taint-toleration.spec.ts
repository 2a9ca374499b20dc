import type { Taint, Toleration } from '@coxswain/api/browser';
import { nodeInfo, pod } from '../../testing/fixtures';
import { countIntolerablePreferNoSchedule, newTaintToleration, reverseNormalize } from './taint-toleration';

describe('TaintToleration filter', () => {
  const plugin = newTaintToleration();
  it.each<{ name: string; taints: Taint[]; tolerations: Toleration[]; want: string; reasons: string[] }>([
    { name: 'no taints', taints: [], tolerations: [], want: 'Success', reasons: [] },
    { name: 'NoSchedule untolerated', taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }], tolerations: [], want: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {k: v}'] },
    { name: 'NoExecute untolerated', taints: [{ key: 'k', effect: 'NoExecute' }], tolerations: [], want: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {k: }'] },
    { name: 'PreferNoSchedule never filters', taints: [{ key: 'k', value: 'v', effect: 'PreferNoSchedule' }], tolerations: [], want: 'Success', reasons: [] },
    { name: 'tolerated', taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }], tolerations: [{ key: 'k', operator: 'Equal', value: 'v' }], want: 'Success', reasons: [] },
    {
      name: 'second taint untolerated',
      taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }, { key: 'z', value: '1', effect: 'NoExecute' }],
      tolerations: [{ key: 'k', operator: 'Exists' }],
      want: 'UnschedulableAndUnresolvable',
      reasons: ['node(s) had untolerated taint {z: 1}'],
    },
  ])('$name → $want', ({ taints, tolerations, want, reasons }) => {
    const status = plugin.filter(pod('p', { tolerations }), nodeInfo('n', { taints }));
    expect(status.code).toBe(want);
    expect(status.reasons).toEqual(reasons);
  });
});

describe('TaintToleration score', () => {
  const soft: Taint[] = [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }];
  it.each<{ name: string; tolerations: Toleration[]; want: number }>([
    { name: 'none tolerated', tolerations: [], want: 2 },
    { name: 'one tolerated', tolerations: [{ key: 'a', operator: 'Exists' }], want: 1 },
    { name: 'NoSchedule toleration does not count', tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }], want: 2 },
    { name: 'all tolerated', tolerations: [{ operator: 'Exists' }], want: 0 },
  ])('$name → $want', ({ tolerations, want }) => {
    expect(countIntolerablePreferNoSchedule(soft, pod('p', { tolerations }))).toBe(want);
  });

  it.each([
    { name: 'fewest taints wins', raw: [0, 1, 2], want: [100, 50, 0] },
    { name: 'all clean', raw: [0, 0], want: [100, 100] },
  ])('normalize: $name', ({ raw, want }) => {
    const scores = Float64Array.from([...raw, 99]);
    reverseNormalize(scores, raw.length);
    expect([...scores.slice(0, raw.length)]).toEqual(want);
    expect(scores[raw.length]).toBe(99);
  });
});
