// cAdvisor-style workload metrics and agent metrics, read from cgroups at scrape time.
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CONTAINER_LABELS, ContainerDriver, VmDriver } from '@coxswain/runtime';

export interface AgentMetrics {
  registry: Registry;
  pullSeconds: Histogram<string>;
  startSeconds: Histogram<string>;
}

export function createAgentMetrics(containers: ContainerDriver, vms?: VmDriver): AgentMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labels = ['namespace', 'pod', 'container'];
  const cpu = new Gauge({ name: 'container_cpu_usage_seconds_total', help: 'Cumulative cpu time consumed in seconds.', labelNames: labels, registers: [registry] });
  const memory = new Gauge({ name: 'container_memory_working_set_bytes', help: 'Current working set in bytes.', labelNames: labels, registers: [registry] });
  const vmLabels = ['namespace', 'name'];
  const vmCpu = new Gauge({ name: 'kubevirt_vmi_cpu_usage_seconds_total', help: 'Total CPU time spent by the VMI (QEMU process) in seconds.', labelNames: vmLabels, registers: [registry] });
  const vmMemory = new Gauge({ name: 'kubevirt_vmi_memory_used_bytes', help: 'Working set of the VMI (QEMU process) in bytes.', labelNames: vmLabels, registers: [registry] });
  new Gauge({
    name: 'node_agent_running_workloads',
    help: 'Containers and VMs running on this node.',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      this.reset();
      cpu.reset();
      memory.reset();
      vmCpu.reset();
      vmMemory.reset();
      let running = 0;
      for (const state of await containers.list()) {
        if (state.status !== 'running') continue;
        running++;
        const stats = await containers.stats(state.id).catch(() => undefined);
        if (!stats) continue;
        const l = { namespace: state.labels[CONTAINER_LABELS.podNamespace] ?? '', pod: state.labels[CONTAINER_LABELS.podName] ?? '', container: state.labels[CONTAINER_LABELS.containerName] ?? '' };
        cpu.set(l, stats.cpuUsageSeconds);
        memory.set(l, stats.memoryWorkingSetBytes);
      }
      this.set({ kind: 'container' }, running);
      let vmsRunning = 0;
      for (const vm of vms ? await vms.list() : []) {
        if (vm.status !== 'running') continue;
        vmsRunning++;
        const stats = await vms!.stats(vm.uid).catch(() => undefined);
        if (!stats) continue;
        vmCpu.set({ namespace: vm.namespace, name: vm.name }, stats.cpuUsageSeconds);
        vmMemory.set({ namespace: vm.namespace, name: vm.name }, stats.memoryWorkingSetBytes);
      }
      this.set({ kind: 'vm' }, vmsRunning);
    },
  });
  const pullSeconds = new Histogram({ name: 'node_agent_image_pull_duration_seconds', help: 'Image pull latency.', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry] });
  const startSeconds = new Histogram({ name: 'node_agent_workload_start_duration_seconds', help: 'Container start latency.', labelNames: ['kind'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] });
  return { registry, pullSeconds, startSeconds };
}
