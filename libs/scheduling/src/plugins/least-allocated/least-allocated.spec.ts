import { nodeInfo, place, pod } from '../../testing/fixtures';
import { leastRequestedScore, newLeastAllocated } from './least-allocated';

describe('leastRequestedScore', () => {
  it.each([
    { name: 'empty', requested: 0, allocatable: 1000, want: 100 },
    { name: 'quarter used', requested: 250, allocatable: 1000, want: 75 },
    { name: 'full', requested: 1000, allocatable: 1000, want: 0 },
    { name: 'over', requested: 1500, allocatable: 1000, want: 0 },
    { name: 'nothing allocatable', requested: 0, allocatable: 0, want: 0 },
    { name: 'floors', requested: 1, allocatable: 3, want: 66 },
  ])('$name → $want', ({ requested, allocatable, want }) => expect(leastRequestedScore(requested, allocatable)).toBe(want));
});

describe('LeastAllocated', () => {
  it.each([
    { name: 'empty node, small pod', used: [], want: 81 }, // cpu 75, memory floor(87.5) = 87 → floor(162 / 2)
    { name: 'busier node scores lower', used: [pod('a', { cpu: '2', memory: '4Gi' })], want: 31 }, // cpu 25, memory 37
  ])('$name → $want', ({ used, want }) => {
    const node = place(nodeInfo('n', { cpu: '4', memory: '8Gi' }), ...used);
    expect(newLeastAllocated().score(pod('p', { cpu: '1', memory: '1Gi' }), node)).toBe(want);
  });

  it('weights resources', () => {
    const node = nodeInfo('n', { cpu: '4', memory: '8Gi' });
    expect(newLeastAllocated({ resources: { cpu: 1, memory: 0 } }).score(pod('p', { cpu: '1', memory: '1Gi' }), node)).toBe(75);
  });

  it('uses non-zero defaults for a BestEffort pod (100m, 200Mi)', () => {
    const node = nodeInfo('n', { cpu: '1', memory: '1000Mi' });
    expect(newLeastAllocated().score(pod('p'), node)).toBe(Math.floor((90 + 80) / 2));
  });
});
