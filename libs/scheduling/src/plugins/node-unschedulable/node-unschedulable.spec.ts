import { nodeInfo, pod } from '../../testing/fixtures';
import { newNodeUnschedulable } from './node-unschedulable';

describe('NodeUnschedulable', () => {
  const plugin = newNodeUnschedulable();
  it.each([
    { name: 'schedulable node', unschedulable: false, tolerations: [], want: 'Success' },
    { name: 'cordoned node', unschedulable: true, tolerations: [], want: 'UnschedulableAndUnresolvable' },
    { name: 'cordoned, taint tolerated', unschedulable: true, tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists' as const, effect: 'NoSchedule' as const }], want: 'Success' },
    { name: 'cordoned, toleration for another effect', unschedulable: true, tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists' as const, effect: 'NoExecute' as const }], want: 'UnschedulableAndUnresolvable' },
  ])('$name → $want', ({ unschedulable, tolerations, want }) => {
    const status = plugin.filter(pod('p', { tolerations }), nodeInfo('n', { unschedulable }));
    expect(status.code).toBe(want);
    if (want !== 'Success') expect(status.reasons).toEqual(['node(s) were unschedulable']);
  });
});
