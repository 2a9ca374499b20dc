import { CONTAINER_LABELS } from '@coxswain/runtime';
import { promtoolFindings } from '@coxswain/metrics/testing';
import { createAgentMetrics, MetricsContainers, MetricsVms } from './metrics';

const cgroup = { cpuUsageSeconds: 1.5, memoryWorkingSetBytes: 4096, memoryUsageBytes: 8192, cpuThrottledPeriods: 0, cpuThrottledSeconds: 0 };
const labels = { [CONTAINER_LABELS.podNamespace]: 'ns', [CONTAINER_LABELS.podName]: 'web', [CONTAINER_LABELS.containerName]: 'app' };

function fakes(shim: number | undefined, vmMemory: { guestBytes: number; residentBytes: number; overheadBytes: number } | undefined) {
  const containers = {
    list: async () => [{ id: 'c1', status: 'running', labels, createdAt: 0 }, { id: 'c2', status: 'exited', labels, createdAt: 0 }],
    stats: async () => cgroup,
    shimMemory: async () => (shim === undefined ? undefined : { residentBytes: shim * 4, proportionalBytes: shim }),
  } as unknown as MetricsContainers;
  const vms = {
    list: async () => [{ uid: 'u1', name: 'tiny', namespace: 'ns', status: 'running', startedAt: '' }],
    stats: async () => ({ cpuUsageSeconds: 9, memoryUsageBytes: 200e6, memoryWorkingSetBytes: 180e6 }),
    memory: async () => vmMemory,
  } as unknown as MetricsVms;
  return { containers, vms };
}

const lines = async (text: Promise<string>) => (await text).split('\n').filter((l) => !l.startsWith('#'));

describe('agent metrics: runtime overhead', () => {
  it('exports QEMU beyond guest RAM per VMI and the shim per container', async () => {
    const { containers, vms } = fakes(120_000, { guestBytes: 128 * 2 ** 20, residentBytes: 190e6, overheadBytes: 56e6 });
    const out = await lines(createAgentMetrics(containers, vms).registry.metrics());
    expect(out).toEqual(
      expect.arrayContaining([
        'kubevirt_vmi_memory_resident_bytes{namespace="ns",name="tiny"} 190000000',
        `kubevirt_vmi_memory_domain_bytes{namespace="ns",name="tiny"} ${128 * 2 ** 20}`,
        'node_agent_vmi_memory_overhead_bytes{namespace="ns",name="tiny"} 56000000',
        'node_agent_container_shim_memory_bytes{namespace="ns",pod="web",container="app"} 120000',
        'container_memory_working_set_bytes{namespace="ns",pod="web",container="app"} 4096',
        'kubevirt_vmi_memory_used_bytes{namespace="ns",name="tiny"} 180000000',
      ]),
    );
  });

  it('leaves a series out when it was not measured (no shim, guest RAM mapping not found)', async () => {
    const { containers, vms } = fakes(undefined, undefined);
    const out = await lines(createAgentMetrics(containers, vms).registry.metrics());
    for (const name of ['kubevirt_vmi_memory_resident_bytes', 'kubevirt_vmi_memory_domain_bytes', 'node_agent_vmi_memory_overhead_bytes', 'node_agent_container_shim_memory_bytes']) {
      expect(out.filter((l) => l.startsWith(name))).toEqual([]);
    }
    expect(out).toContain('kubevirt_vmi_cpu_usage_seconds_total{namespace="ns",name="tiny"} 9');
  });

  it('types cumulative CPU seconds as counters and passes promtool check metrics', async () => {
    const { containers, vms } = fakes(120_000, { guestBytes: 128 * 2 ** 20, residentBytes: 190e6, overheadBytes: 56e6 });
    const text = await createAgentMetrics(containers, vms).registry.metrics();
    expect(text).toContain('# TYPE container_cpu_usage_seconds_total counter');
    expect(text).toContain('# TYPE kubevirt_vmi_cpu_usage_seconds_total counter');
    expect(text).toContain('container_cpu_usage_seconds_total{namespace="ns",pod="web",container="app"} 1.5');
    expect(promtoolFindings(text)).toEqual([]);
  });
});
