import { DEFAULT_VM_OVERHEAD } from '@coxswain/scheduling';
import { allocatable, allocatedByNode, countBy, podRequests, vmiRequests } from './allocation';

const VM_OVERHEAD = { cpu: DEFAULT_VM_OVERHEAD.milliCpu / 1000, memory: DEFAULT_VM_OVERHEAD.memory };

const MI = 2 ** 20;

describe('requests', () => {
  it.each([
    { name: 'sum of containers', pod: { spec: { containers: [{ resources: { requests: { cpu: '100m', memory: '64Mi' } } }, { resources: { requests: { cpu: '50m', memory: '16Mi' } } }] } }, want: { cpu: 0.15, memory: 80 * MI } },
    { name: 'limits stand in for missing requests', pod: { spec: { containers: [{ resources: { limits: { cpu: '1', memory: '1Gi' } } }] } }, want: { cpu: 1, memory: 1024 * MI } },
    { name: 'a larger init container wins', pod: { spec: { initContainers: [{ resources: { requests: { cpu: '2' } } }], containers: [{ resources: { requests: { cpu: '100m' } } }] } }, want: { cpu: 2, memory: 0 } },
    { name: 'overhead is added', pod: { spec: { overhead: { cpu: '10m', memory: '1Mi' }, containers: [{ resources: { requests: { cpu: '90m' } } }] } }, want: { cpu: 0.1, memory: MI } },
    { name: 'no requests', pod: { spec: { containers: [{}] } }, want: { cpu: 0, memory: 0 } },
  ])('pod: $name', ({ pod, want }) => {
    const got = podRequests(pod);
    expect(got.cpu).toBeCloseTo(want.cpu, 9);
    expect(got.memory).toBe(want.memory);
    expect(got.pods).toBe(1);
  });

  it.each([
    { name: 'explicit requests', vmi: { spec: { domain: { resources: { requests: { cpu: '500m', memory: '128Mi' } } } } }, want: { cpu: 0.5, memory: 128 * MI } },
    // KubeVirt's default cpuAllocationRatio: 100m per vCPU, not a whole core.
    { name: '100m per vCPU (cores × sockets × threads) and guest memory', vmi: { spec: { domain: { cpu: { cores: 2, sockets: 2 }, memory: { guest: '256Mi' } } } }, want: { cpu: 0.4, memory: 256 * MI } },
    { name: 'defaults to one vCPU', vmi: { spec: { domain: { resources: { requests: { memory: '64Mi' } } } } }, want: { cpu: 0.1, memory: 64 * MI } },
  ])('vmi: $name (plus VM overhead)', ({ vmi, want }) => {
    const got = vmiRequests(vmi);
    expect(got.cpu).toBeCloseTo(want.cpu + VM_OVERHEAD.cpu, 9);
    expect(got.memory).toBe(want.memory + VM_OVERHEAD.memory);
  });
});

describe('allocatedByNode', () => {
  const pod = (node: string | undefined, cpu: string, phase = 'Running') => ({ spec: { nodeName: node, containers: [{ resources: { requests: { cpu, memory: '10Mi' } } }] }, status: { phase } });
  it('sums live workloads per node, skipping unbound and finished ones', () => {
    const got = allocatedByNode(
      [pod('n1', '100m'), pod('n1', '200m'), pod('n2', '1'), pod(undefined, '5'), pod('n1', '4', 'Succeeded'), pod('n2', '4', 'Failed')],
      [{ status: { nodeName: 'n2', phase: 'Running' }, spec: { domain: { resources: { requests: { cpu: '1', memory: '128Mi' } } } } }, { status: { phase: 'Pending' }, spec: { domain: {} } }],
    );
    expect(got.get('n1')).toEqual({ cpu: expect.closeTo(0.3, 9), memory: 20 * MI, pods: 2 });
    expect(got.get('n2')).toEqual({ cpu: expect.closeTo(2 + VM_OVERHEAD.cpu, 9), memory: 10 * MI + 128 * MI + VM_OVERHEAD.memory, pods: 2 });
    expect(got.size).toBe(2);
  });

  it('allocatable falls back to capacity; a missing pod count admits nothing, as in the scheduler', () => {
    expect(allocatable({ status: { capacity: { cpu: '2', memory: '1Gi' } } })).toEqual({ cpu: 2, memory: 1024 * MI, pods: 0 });
    expect(allocatable({ status: { allocatable: { cpu: '1900m', memory: '1Gi', pods: '20' }, capacity: { cpu: '2' } } })).toEqual({ cpu: 1.9, memory: 1024 * MI, pods: 20 });
  });

  it('countBy orders by count then name', () => {
    expect(countBy(['Running', 'Pending', 'Running', 'Failed'], (s) => s)).toEqual([['Running', 2], ['Failed', 1], ['Pending', 1]]);
  });
});
