import { Pod, VirtualMachineInstance } from '@coxswain/api';
import { podMetricPod, vmiMetricPod } from './targets';

describe('podMetricPod', () => {
  it('reads requests per container, readiness and start time', () => {
    const pod = {
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'a', resources: { requests: { cpu: '250m', memory: '64Mi' } } }, { name: 'b' }] },
      status: { phase: 'Running', startTime: '2025-01-01T00:00:00Z', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:05Z' }] },
    } as unknown as Pod;
    expect(podMetricPod(pod)).toEqual({
      name: 'p',
      phase: 'Running',
      deleting: false,
      ready: { status: 'True', lastTransitionTime: Date.parse('2025-01-01T00:00:05Z') },
      startTime: Date.parse('2025-01-01T00:00:00Z'),
      requests: [
        { container: 'a', cpu: 250, memory: 64 * 1024 * 1024 * 1000 },
        { container: 'b', cpu: undefined, memory: undefined },
      ],
    });
  });
});

describe('vmiMetricPod', () => {
  it('is one compute container with the domain requests; memory falls back to the guest size', () => {
    const vmi = {
      metadata: { name: 'v', creationTimestamp: '2025-01-01T00:00:00Z' },
      spec: { domain: { memory: { guest: '128Mi' }, resources: { requests: { cpu: '500m' } } } },
      status: { phase: 'Running', phaseTransitionTimestamps: [{ phase: 'Running', phaseTransitionTimestamp: '2025-01-01T00:00:03Z' }] },
    } as unknown as VirtualMachineInstance;
    expect(vmiMetricPod(vmi)).toEqual({
      name: 'v',
      phase: 'Running',
      deleting: false,
      ready: { status: 'True', lastTransitionTime: Date.parse('2025-01-01T00:00:03Z') },
      startTime: Date.parse('2025-01-01T00:00:03Z'),
      requests: [{ container: 'compute', cpu: 500, memory: 128 * 1024 * 1024 * 1000 }],
    });
  });
});
