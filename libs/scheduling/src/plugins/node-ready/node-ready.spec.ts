import { nodeInfo, pod } from '../../testing/fixtures';
import { newNodeReady } from './node-ready';

describe('NodeReady', () => {
  const plugin = newNodeReady();
  it.each([
    { name: 'ready node', ready: true, tolerations: [], want: 'Success' },
    { name: 'not-ready node', ready: false, tolerations: [], want: 'UnschedulableAndUnresolvable' },
    { name: 'not-ready node, not-ready taint tolerated', ready: false, tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' as const }], want: 'Success' },
    { name: 'not-ready node, unrelated toleration', ready: false, tolerations: [{ key: 'other', operator: 'Exists' as const }], want: 'UnschedulableAndUnresolvable' },
  ])('$name → $want', ({ ready, tolerations, want }) => {
    const status = plugin.filter(pod('p', { tolerations }), nodeInfo('n', { ready }));
    expect(status.code).toBe(want);
    if (want !== 'Success') expect(status.reasons).toEqual(['node(s) were not ready']);
  });
});
