import { nodeInfo, place, pod } from '../../testing/fixtures';
import { mostRequestedScore, newMostAllocated } from './most-allocated';

describe('mostRequestedScore', () => {
  it.each([
    { name: 'empty', requested: 0, allocatable: 1000, want: 0 },
    { name: 'quarter used', requested: 250, allocatable: 1000, want: 25 },
    { name: 'full', requested: 1000, allocatable: 1000, want: 100 },
    { name: 'over is capped', requested: 1500, allocatable: 1000, want: 100 },
    { name: 'nothing allocatable', requested: 10, allocatable: 0, want: 0 },
  ])('$name → $want', ({ requested, allocatable, want }) => expect(mostRequestedScore(requested, allocatable)).toBe(want));
});

describe('MostAllocated', () => {
  it.each([
    { name: 'empty node', used: [], want: 18 }, // cpu 25, mem 12.5 → floor(37/2)
    { name: 'busier node scores higher', used: [pod('a', { cpu: '2', memory: '4Gi' })], want: 68 },
  ])('$name → $want', ({ used, want }) => {
    const node = place(nodeInfo('n', { cpu: '4', memory: '8Gi' }), ...used);
    expect(newMostAllocated().score(pod('p', { cpu: '1', memory: '1Gi' }), node)).toBe(want);
  });
});
