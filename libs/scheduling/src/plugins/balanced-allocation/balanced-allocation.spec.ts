import { DEFAULT_RESOURCE_WEIGHTS } from '../../framework/allocation';
import { nodeInfo, place, pod } from '../../testing/fixtures';
import { balancedScore, newBalancedAllocation } from './balanced-allocation';


describe('balancedScore', () => {
  it.each([
    { name: 'equal fractions', cpu: 0.5, mem: 0.5, want: 100 },
    { name: 'cpu-heavy', cpu: 0.8, mem: 0.2, want: 70 }, // std = 0.3
    { name: 'all one resource', cpu: 1, mem: 0, want: 50 },
    { name: 'over-full caps at 1', cpu: 2, mem: 1, want: 100 },
  ])('$name → $want', ({ cpu, mem, want }) => expect(balancedScore(cpu * 1000, 1000, mem * 1000, 1000, DEFAULT_RESOURCE_WEIGHTS)).toBe(want));

  it('a resource with weight 0 leaves nothing to balance', () => {
    expect(balancedScore(1000, 1000, 0, 1000, { cpu: 1, memory: 0 })).toBe(100);
    expect(balancedScore(1000, 1000, 0, 0, DEFAULT_RESOURCE_WEIGHTS)).toBe(100);
  });
});

describe('BalancedAllocation', () => {
  it('prefers the node the workload evens out', () => {
    const plugin = newBalancedAllocation();
    const w = pod('p', { cpu: '2', memory: '1Gi' });
    const memHeavy = place(nodeInfo('a', { cpu: '4', memory: '8Gi' }), pod('m', { cpu: '100m', memory: '6Gi' }));
    const cpuHeavy = place(nodeInfo('b', { cpu: '4', memory: '8Gi' }), pod('c', { cpu: '1500m', memory: '100Mi' }));
    expect(plugin.score(w, memHeavy)).toBeGreaterThan(plugin.score(w, cpuHeavy));
  });
});
