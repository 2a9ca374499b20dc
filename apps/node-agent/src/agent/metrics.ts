// cAdvisor-style workload metrics and agent metrics, read from cgroups at scrape time.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { collectLintCleanDefaultMetrics } from '@coxswain/metrics';
import { CONTAINER_LABELS, ContainerDriver, VmDriver } from '@coxswain/runtime';

export interface AgentMetrics {
  registry: Registry;
  pullSeconds: Histogram<string>;
  startSeconds: Histogram<string>;
  /** Apply → Running per kind (container, vm): the user-visible start latency. */
  startLatency: Histogram<string>;
}

interface Sample {
  containers: Array<{ labels: { namespace: string; pod: string; container: string }; cpu: number; memory: number; shim?: number }>;
  vms: Array<{ labels: { namespace: string; name: string }; cpu: number; memory: number; guest?: number; resident?: number; overhead?: number }>;
  running: { container: number; vm: number };
}

/** What the metrics read of the drivers (the real drivers; specs pass fakes). */
export type MetricsContainers = Pick<ContainerDriver, 'list' | 'stats' | 'shimMemory'>;
export type MetricsVms = Pick<VmDriver, 'list' | 'stats' | 'memory'>;

export function createAgentMetrics(containers: MetricsContainers, vms?: MetricsVms): AgentMetrics {
  const registry = new Registry();
  collectLintCleanDefaultMetrics(registry);

  // One read of the runtime per scrape, shared by every gauge below.
  let pending: Promise<Sample> | undefined;
  let takenAt = 0;
  const sample = (): Promise<Sample> => {
    if (pending && Date.now() - takenAt < 500) return pending;
    takenAt = Date.now();
    pending = (async () => {
      const out: Sample = { containers: [], vms: [], running: { container: 0, vm: 0 } };
      for (const state of await containers.list()) {
        if (state.status !== 'running') continue;
        out.running.container++;
        const [stats, shim] = await Promise.all([containers.stats(state.id).catch(() => undefined), containers.shimMemory(state.id).catch(() => undefined)]);
        if (!stats) continue;
        out.containers.push({
          labels: { namespace: state.labels[CONTAINER_LABELS.podNamespace] ?? '', pod: state.labels[CONTAINER_LABELS.podName] ?? '', container: state.labels[CONTAINER_LABELS.containerName] ?? '' },
          cpu: stats.cpuUsageSeconds,
          memory: stats.memoryWorkingSetBytes,
          shim: shim?.proportionalBytes,
        });
      }
      for (const vm of vms ? await vms.list() : []) {
        if (vm.status !== 'running') continue;
        out.running.vm++;
        const [stats, memory] = await Promise.all([vms!.stats(vm.uid).catch(() => undefined), vms!.memory(vm.uid).catch(() => undefined)]);
        if (stats) out.vms.push({ labels: { namespace: vm.namespace, name: vm.name }, cpu: stats.cpuUsageSeconds, memory: stats.memoryWorkingSetBytes, guest: memory?.guestBytes, resident: memory?.residentBytes, overhead: memory?.overheadBytes });
      }
      return out;
    })();
    return pending;
  };

  // Series read from the runtime at scrape time. Cumulative CPU seconds are counters (as
  // cAdvisor and KubeVirt type them: rate() expects it); the rest are gauges.
  type Put = (labels: Record<string, string>, value: number) => void;
  const scraped = (type: 'gauge' | 'counter', name: string, help: string, labelNames: string[], fill: (put: Put, s: Sample) => void) => {
    const config = { name, help, labelNames, registers: [registry] };
    if (type === 'counter') {
      return new Counter({ ...config, async collect() { this.reset(); fill((l, v) => this.inc(l, v), await sample()); } });
    }
    return new Gauge({ ...config, async collect() { this.reset(); fill((l, v) => this.set(l, v), await sample()); } });
  };
  const gauge = (name: string, help: string, labelNames: string[], fill: (put: Put, s: Sample) => void) => scraped('gauge', name, help, labelNames, fill);
  scraped('counter', 'container_cpu_usage_seconds_total', 'Cumulative cpu time consumed in seconds.', ['namespace', 'pod', 'container'], (put, s) => s.containers.forEach((c) => put(c.labels, c.cpu)));
  gauge('container_memory_working_set_bytes', 'Current working set in bytes.', ['namespace', 'pod', 'container'], (put, s) => s.containers.forEach((c) => put(c.labels, c.memory)));
  scraped('counter', 'kubevirt_vmi_cpu_usage_seconds_total', 'Total CPU time spent by the VMI (QEMU process) in seconds.', ['namespace', 'name'], (put, s) => s.vms.forEach((v) => put(v.labels, v.cpu)));
  gauge('kubevirt_vmi_memory_used_bytes', 'Working set of the VMI (QEMU process) in bytes.', ['namespace', 'name'], (put, s) => s.vms.forEach((v) => put(v.labels, v.memory)));
  // Runtime overhead: what running a workload costs beyond the workload itself.
  const each = <T extends { labels: Record<string, string> }>(put: Put, items: T[], value: (t: T) => number | undefined) =>
    items.forEach((t) => {
      const v = value(t);
      if (v !== undefined) put(t.labels, v);
    });
  gauge('kubevirt_vmi_memory_resident_bytes', 'Resident set size of the process running the domain (QEMU).', ['namespace', 'name'], (put, s) => each(put, s.vms, (v) => v.resident));
  gauge('kubevirt_vmi_memory_domain_bytes', 'The amount of memory in bytes allocated to the domain (the guest RAM QEMU was started with).', ['namespace', 'name'], (put, s) => each(put, s.vms, (v) => v.guest));
  gauge('node_agent_vmi_memory_overhead_bytes', 'Resident memory of the VMI\'s QEMU process that does not back guest RAM (device emulation, code cache, QEMU\'s own heap).', ['namespace', 'name'], (put, s) => each(put, s.vms, (v) => v.overhead));
  gauge('node_agent_container_shim_memory_bytes', 'Proportional set size of the container\'s shim, the one runtime process a running container keeps (runc exits after create).', ['namespace', 'pod', 'container'], (put, s) => each(put, s.containers, (c) => c.shim));
  gauge('node_agent_running_workloads', 'Containers and VMs running on this node.', ['kind'], (put, s) => {
    put({ kind: 'container' }, s.running.container);
    put({ kind: 'vm' }, s.running.vm);
  });
  const pullSeconds = new Histogram({ name: 'node_agent_image_pull_duration_seconds', help: 'Image pull latency.', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry] });
  const startSeconds = new Histogram({ name: 'node_agent_workload_start_duration_seconds', help: 'How long the runtime takes to set up a pod sandbox (kind=sandbox: cgroup, network, DNS files) or to create and start a container (kind=container).', labelNames: ['kind'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] });
  const startLatency = new Histogram({
    name: 'node_agent_workload_start_latency_seconds',
    help: 'Time from a workload\'s creation (apply) to the node agent reporting it Running, by kind (container or vm).',
    labelNames: ['kind'],
    buckets: [0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  return { registry, pullSeconds, startSeconds, startLatency };
}
