// Where the autoscaler reads usage: the resource metrics API the API server serves from
// node-agent stats (`/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods`, PodMetrics as
// metrics-server shapes them). VMIs are reported there as pods named like the VMI, so one
// source serves both. Tests use FakeMetricsSource.
import { Quantity } from '@coxswain/api';
import { KubeClient } from '@coxswain/client';
import { parseDuration } from '@coxswain/api';
import { parseTime } from '../framework/time';

export interface ContainerUsage {
  name: string;
  /** millicores */
  cpuMillis: number;
  memoryBytes: number;
}

export interface PodUsage {
  /** Pod name, or VMI name for a VMI. */
  name: string;
  /** When the sample was taken (ms since the epoch). */
  timestamp: number;
  /** The sample's averaging window. */
  windowMs: number;
  containers: ContainerUsage[];
}

export interface MetricsSource {
  /** Usage of the pods (and VMIs) of a namespace. Rejects when the metrics API cannot answer. */
  podMetrics(namespace: string): Promise<PodUsage[]>;
}

interface PodMetricsList {
  items?: Array<{
    metadata?: { name?: string };
    timestamp?: string;
    window?: string;
    containers?: Array<{ name?: string; usage?: { cpu?: string; memory?: string } }>;
  }>;
}

/** Nanos → whole units of `scale` (1e6 for millis of cpu, 1e9 for bytes), rounded up. */
const nanosTo = (q: string | undefined, perUnit: bigint): number => {
  if (!q) return 0;
  const nanos = Quantity.parse(q).nanos;
  return Number((nanos + perUnit - 1n) / perUnit);
};

export function parsePodMetricsList(list: PodMetricsList, now: number): PodUsage[] {
  return (list.items ?? []).map((item) => ({
    name: item.metadata?.name ?? '',
    timestamp: parseTime(item.timestamp) ?? now,
    windowMs: item.window ? parseDuration(item.window) : 0,
    containers: (item.containers ?? []).map((c) => ({ name: c.name ?? '', cpuMillis: nanosTo(c.usage?.cpu, 1_000_000n), memoryBytes: nanosTo(c.usage?.memory, 1_000_000_000n) })),
  }));
}

/**
 * The real source. It lists the whole namespace and the autoscaler picks pods by name:
 * VMI entries may not carry the VMI's labels, so a label selector here could miss them.
 */
export class ApiMetricsSource implements MetricsSource {
  constructor(private readonly client: Pick<KubeClient, 'request'>) {}

  async podMetrics(namespace: string): Promise<PodUsage[]> {
    const list = await this.client.request<PodMetricsList>({ method: 'GET', path: `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/pods` });
    return parsePodMetricsList(list, Date.now());
  }
}

/**
 * In-memory usage for tests: set what each pod uses (unknown pods have no metrics), or one
 * usage for every pod of a namespace that `listPods` names.
 */
export class FakeMetricsSource implements MetricsSource {
  private readonly usage = new Map<string, PodUsage>();
  private readonly perNamespace = new Map<string, { cpuMillis?: number; memoryBytes?: number }>();
  failure?: Error;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly listPods?: (namespace: string) => Promise<string[]>,
  ) {}

  /** Every pod `listPods` finds in the namespace uses this (needs the lister). */
  setNamespaceUsage(namespace: string, usage: { cpuMillis?: number; memoryBytes?: number }): void {
    this.perNamespace.set(namespace, usage);
  }

  set(namespace: string, pod: string, usage: { cpuMillis?: number; memoryBytes?: number }, container = 'app'): void {
    this.usage.set(`${namespace}/${pod}`, { name: pod, timestamp: this.now(), windowMs: 0, containers: [{ name: container, cpuMillis: usage.cpuMillis ?? 0, memoryBytes: usage.memoryBytes ?? 0 }] });
  }

  /** Sets the same usage for every named pod and forgets the rest of the namespace. */
  setAll(namespace: string, pods: string[], usage: { cpuMillis?: number; memoryBytes?: number }): void {
    for (const key of [...this.usage.keys()]) if (key.startsWith(`${namespace}/`)) this.usage.delete(key);
    for (const pod of pods) this.set(namespace, pod, usage);
  }

  async podMetrics(namespace: string): Promise<PodUsage[]> {
    if (this.failure) throw this.failure;
    const shared = this.perNamespace.get(namespace);
    if (shared && this.listPods) {
      const pods = await this.listPods(namespace);
      return pods.map((name) => ({ name, timestamp: this.now(), windowMs: 0, containers: [{ name: 'app', cpuMillis: shared.cpuMillis ?? 0, memoryBytes: shared.memoryBytes ?? 0 }] }));
    }
    return [...this.usage.entries()].filter(([key]) => key.startsWith(`${namespace}/`)).map(([, u]) => ({ ...u, timestamp: this.now() }));
  }
}
