// metrics.k8s.io/v1beta1 (what `kubectl top` and the autoscaler read): CPU as a rate over the
// interval between two samples of the agents' cumulative counters, memory as working set.
import { KubeObject, notFound, rfc3339 as iso } from '@coxswain/api';
import { StatsResponse, UsageSample } from '@coxswain/proto';
import { NodeClients } from './node-clients';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Sample {
  cpuNanos: number;
  memory: number;
  at: number;
}

interface Snapshot {
  at: number;
  nodes: Obj[];
  pods: Obj[];
}

const num = (v: string | number | undefined) => Number(v ?? 0);
const sampleOf = (u: UsageSample): Sample => ({ cpuNanos: num(u.cpuUsageNanoseconds), memory: num(u.memoryWorkingSetBytes), at: num(u.timestampMs) });

/** `123456789n` nanocores → `124m`; memory in Ki, like metrics-server prints. */
export function formatUsage(nanocores: number, bytes: number): { cpu: string; memory: string } {
  return { cpu: `${Math.max(0, Math.ceil(nanocores / 1e6))}m`, memory: `${Math.max(0, Math.round(bytes / 1024))}Ki` };
}

export function cpuRate(previous: Sample | undefined, current: Sample): number | undefined {
  if (!previous || current.at <= previous.at) return undefined;
  return ((current.cpuNanos - previous.cpuNanos) / (current.at - previous.at)) * 1000;
}

export class MetricsApi {
  private readonly previous = new Map<string, Sample>();
  private snapshot?: Snapshot;
  private pending?: Promise<Snapshot>;

  constructor(
    private readonly nodes: NodeClients,
    /** Labels of the pods (and VMIs) in a namespace, so label selectors work as on metrics-server. */
    private readonly labelsIn: (namespace: string | undefined) => Promise<Map<string, Record<string, string>>>,
    private readonly maxAgeMs = 2000,
  ) {}

  private async fetchAll(): Promise<StatsResponse[]> {
    const nodes = await this.nodes.nodes();
    const ready = nodes.filter((n) => (n as Obj).status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True'));
    const results = await Promise.all(
      ready.map(async (node) => {
        try {
          const client = await this.nodes.forNode(node.metadata.name!);
          return await new Promise<StatsResponse>((resolve, reject) => client.stats({}, { deadline: Date.now() + 3000 }, (error, response) => (error || !response ? reject(error) : resolve(response))));
        } catch {
          return undefined;
        }
      }),
    );
    return results.filter((r): r is StatsResponse => r !== undefined);
  }

  private async take(): Promise<Snapshot> {
    let stats = await this.fetchAll();
    const keys = (s: StatsResponse[]) => s.flatMap((r) => [`node/${r.nodeName}`, ...r.workloads.flatMap((w) => w.containers.map((c) => `${w.ref.uid}/${c.name}`))]);
    if (keys(stats).some((k) => !this.previous.has(k))) {
      // First sight of some workload: a rate needs two samples.
      for (const r of stats) this.remember(r);
      await new Promise((r) => setTimeout(r, 1000));
      stats = await this.fetchAll();
    }
    const nodes: Obj[] = [];
    const pods: Obj[] = [];
    for (const r of stats) {
      const nodeSample = sampleOf(r.node);
      const nodeRate = cpuRate(this.previous.get(`node/${r.nodeName}`), nodeSample) ?? 0;
      nodes.push({ kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: r.nodeName, creationTimestamp: iso(Date.now()), labels: {} }, timestamp: iso(nodeSample.at), window: '10s', usage: formatUsage(nodeRate, nodeSample.memory) });
      for (const w of r.workloads) {
        const containers = w.containers.map((c) => {
          const s = sampleOf(c.usage);
          return { name: c.name, usage: formatUsage(cpuRate(this.previous.get(`${w.ref.uid}/${c.name}`), s) ?? 0, s.memory) };
        });
        pods.push({ kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: w.ref.name, namespace: w.ref.namespace, creationTimestamp: iso(Date.now()), labels: {} }, timestamp: iso(num(w.usage.timestampMs)), window: '10s', containers });
      }
      this.remember(r);
    }
    return { at: Date.now(), nodes, pods };
  }

  private remember(r: StatsResponse): void {
    this.previous.set(`node/${r.nodeName}`, sampleOf(r.node));
    for (const w of r.workloads) for (const c of w.containers) this.previous.set(`${w.ref.uid}/${c.name}`, sampleOf(c.usage));
  }

  private async current(): Promise<Snapshot> {
    if (this.snapshot && Date.now() - this.snapshot.at < this.maxAgeMs) return this.snapshot;
    this.pending ??= this.take().finally(() => (this.pending = undefined));
    this.snapshot = await this.pending;
    return this.snapshot;
  }

  /** Answers GET on nodes, nodes/{name}, pods, namespaces/{ns}/pods[/{name}]. */
  async handle(resource: string, namespace: string | undefined, name: string | undefined, labelFilter?: (obj: KubeObject) => boolean): Promise<Obj> {
    const snap = await this.current();
    if (resource !== 'nodes' && resource !== 'pods') throw notFound({ resource: `${resource}.metrics.k8s.io`, name });
    let items = resource === 'nodes' ? snap.nodes : snap.pods.filter((p) => !namespace || p.metadata.namespace === namespace);
    if (resource === 'pods') {
      const labels = await this.labelsIn(namespace);
      items = items.map((p) => ({ ...p, metadata: { ...p.metadata, labels: labels.get(`${p.metadata.namespace}/${p.metadata.name}`) ?? {} } }));
    }
    if (labelFilter) items = items.filter((i) => labelFilter(i as KubeObject));
    if (name) {
      const found = items.find((i) => i.metadata.name === name);
      if (!found) throw notFound({ resource: `${resource}.metrics.k8s.io`, name });
      return found;
    }
    return { kind: resource === 'nodes' ? 'NodeMetricsList' : 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items };
  }
}
