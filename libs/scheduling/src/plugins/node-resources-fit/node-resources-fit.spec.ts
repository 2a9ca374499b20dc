import { nodeInfo, NodeOptions, place, pod, PodOptions, vmi } from '../../testing/fixtures';
import { insufficientResources, insufficientScalars, newNodeResourcesFit } from './node-resources-fit';

describe('insufficientResources', () => {
  const GI = 1024 ** 3;
  it.each([
    { name: 'fits an empty node', request: { milliCpu: 1000, memory: GI, pods: 1 }, used: [], want: [] },
    { name: 'exactly fills the node', request: { milliCpu: 4000, memory: 8 * GI, pods: 1 }, used: [], want: [] },
    { name: 'one milli too much cpu', request: { milliCpu: 4001, memory: 0, pods: 1 }, used: [], want: ['Insufficient cpu'] },
    { name: 'memory used by others', request: { milliCpu: 0, memory: 5 * GI, pods: 1 }, used: [pod('a', { memory: '4Gi' })], want: ['Insufficient memory'] },
    { name: 'both, in Kubernetes order', request: { milliCpu: 5000, memory: 9 * GI, pods: 1 }, used: [], want: ['Insufficient cpu', 'Insufficient memory'] },
    { name: 'zero request on an over-full node', request: { milliCpu: 0, memory: 0, pods: 1 }, used: [pod('a', { cpu: '5' })], want: [] },
  ])('$name', ({ request, used, want }) => {
    expect(insufficientResources(request, place(nodeInfo('n', { cpu: '4', memory: '8Gi' }), ...used))).toEqual(want);
  });

  it('counts pod slots', () => {
    const node = place(nodeInfo('n', { pods: 2 }), pod('a'), pod('b'));
    expect(insufficientResources({ milliCpu: 0, memory: 0, pods: 1 }, node)).toEqual(['Too many pods']);
  });
});

describe('NodeResourcesFit', () => {
  const plugin = newNodeResourcesFit();
  it.each([
    { name: 'pod fits', workload: pod('p', { cpu: '1', memory: '1Gi' }), want: 'Success', reasons: [] },
    { name: 'pod too big', workload: pod('p', { memory: '9Gi' }), want: 'Unschedulable', reasons: ['Insufficient memory'] },
    { name: 'vm with 8 cores and 16Gi on 4 cores/8Gi (100m per vCPU fits)', workload: vmi('v', { cores: 8, guest: '16Gi' }), want: 'Unschedulable', reasons: ['Insufficient memory'] },
    { name: 'vm requesting 5 cpus on 4', workload: vmi('v', { cores: 8, guest: '1Gi', requests: { cpu: '5' } }), want: 'Unschedulable', reasons: ['Insufficient cpu'] },
    { name: 'vm with requests overriding guest size', workload: vmi('v', { guest: '16Gi', requests: { memory: '1Gi', cpu: '500m' } }), want: 'Success', reasons: [] },
  ])('$name → $want', ({ workload, want, reasons }) => {
    const status = plugin.filter(workload, nodeInfo('n', { cpu: '4', memory: '8Gi' }));
    expect(status.code).toBe(want);
    expect(status.reasons).toEqual(reasons);
  });
});

describe('NodeResourcesFit: resources beyond cpu and memory', () => {
  const plugin = newNodeResourcesFit();
  const gpu = (n: string): PodOptions => ({ requests: { 'nvidia.com/gpu': n } });
  it.each<{ name: string; workload: PodOptions; node: NodeOptions; used?: PodOptions[]; want: string[] }>([
    { name: 'a GPU on a node without GPUs', workload: gpu('1'), node: {}, want: ['Insufficient nvidia.com/gpu'] },
    { name: 'a GPU on a node with two', workload: gpu('1'), node: { extra: { 'nvidia.com/gpu': '2' } }, want: [] },
    { name: 'the last GPU is taken', workload: gpu('1'), node: { extra: { 'nvidia.com/gpu': '1' } }, used: [gpu('1')], want: ['Insufficient nvidia.com/gpu'] },
    { name: 'a node advertising zero', workload: { requests: { 'example.com/widget': '1' } }, node: { extra: { 'example.com/widget': '0' } }, want: ['Insufficient example.com/widget'] },
    { name: 'ephemeral-storage on a node that reports none is not checked', workload: { requests: { 'ephemeral-storage': '1Gi' } }, node: {}, want: [] },
    { name: 'ephemeral-storage on a node that reports it', workload: { requests: { 'ephemeral-storage': '20Gi' } }, node: { extra: { 'ephemeral-storage': '10Gi' } }, want: ['Insufficient ephemeral-storage'] },
    { name: 'ephemeral-storage that fits', workload: { requests: { 'ephemeral-storage': '1Gi' } }, node: { extra: { 'ephemeral-storage': '10Gi' } }, want: [] },
    { name: 'hugepages', workload: { requests: { 'hugepages-2Mi': '64Mi' } }, node: { extra: { 'hugepages-2Mi': '32Mi' } }, want: ['Insufficient hugepages-2Mi'] },
    {
      name: 'all reasons, in Kubernetes order',
      workload: { cpu: '8', requests: { 'example.com/widget': '1', 'ephemeral-storage': '20Gi' } },
      node: { extra: { 'ephemeral-storage': '10Gi' } },
      want: ['Insufficient cpu', 'Insufficient ephemeral-storage', 'Insufficient example.com/widget'],
    },
  ])('$name', ({ workload, node, used, want }) => {
    const n = place(nodeInfo('n', node), ...(used ?? []).map((o, i) => pod(`used-${i}`, o)));
    expect(plugin.filter(pod('p', workload), n).reasons).toEqual(want);
  });

  it('ignoredResources and ignoredResourceGroups leave extended resources unchecked', () => {
    const request = { 'example.com/a': 1, 'vendor.io/b': 1, 'other.io/c': 1 };
    const node = nodeInfo('n');
    expect(insufficientScalars(request, node, { ignoredResources: ['example.com/a'], ignoredResourceGroups: ['vendor.io'] })).toEqual(['Insufficient other.io/c']);
    expect(newNodeResourcesFit({ ignoredResources: ['example.com/a'] }).filter(pod('p', { requests: { 'example.com/a': '3' } }), node).code).toBe('Success');
  });
});
