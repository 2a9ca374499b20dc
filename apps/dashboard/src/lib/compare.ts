// Containers vs VMs, side by side, from what the cluster measures: start time (create →
// Running), memory and CPU per running workload, and density per node. Pure: the compare page
// feeds it the watched Pods, VMIs and Nodes, the latest metrics.k8s.io usage and, when the
// dashboard has Prometheus, the agents' start-latency histogram and runtime-overhead gauges.
import { nameOf, namespaceOf, Obj } from './objects';
import { parseQuantity } from './quantity';

export type WorkloadKind = 'container' | 'vm';
export const WORKLOAD_KINDS: WorkloadKind[] = ['container', 'vm'];

export interface Usage {
  cpu: number;
  mem: number;
}

/** What the dashboard server sends on /api/compare after each sample. */
export interface CompareFeed {
  /** `namespace/name` → latest usage of a Pod or VMI (metrics.k8s.io lists VMIs as pods). */
  usage: Record<string, Usage>;
  /** Present when Prometheus is configured and answered. */
  prometheus?: PrometheusFigures;
  error?: string;
}

export interface PrometheusFigures {
  /** Cumulative buckets of node_agent_workload_start_latency_seconds per kind (`le` in seconds, Infinity last). */
  startBuckets: Record<WorkloadKind, Bucket[]>;
  /** `namespace/name` → runtime memory beyond the workload: QEMU beyond guest RAM, or the pod's container shims. */
  overhead: Record<string, number>;
}

export interface Bucket {
  le: number;
  count: number;
}

/** A feed parsed from JSON: `+Inf` bounds arrive as null (JSON has no Infinity). */
export function reviveFeed<T extends Partial<CompareFeed>>(feed: T): T {
  if (!feed.prometheus) return feed;
  const revive = (buckets: Array<{ le: number | null; count: number }> = []) => buckets.map((b) => ({ le: b.le ?? Infinity, count: b.count }));
  const { startBuckets } = feed.prometheus;
  return { ...feed, prometheus: { ...feed.prometheus, startBuckets: { container: revive(startBuckets?.container), vm: revive(startBuckets?.vm) } } };
}

export interface WorkloadFigure {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  node?: string;
  /** Seconds from creationTimestamp to Running (object timestamps: whole seconds). */
  startSeconds?: number;
  usage?: Usage;
  /** VMs: the guest's RAM as the VMI asks for it. */
  guestMemory?: number;
  overhead?: number;
}

const seconds = (from: string | undefined, to: string | undefined): number | undefined => {
  const a = Date.parse(from ?? '');
  const b = Date.parse(to ?? '');
  return Number.isFinite(a) && Number.isFinite(b) ? Math.max(0, (b - a) / 1000) : undefined;
};

/** A Running Pod's start time: creation → the last of its containers running (the Ready transition otherwise). */
export function podStartSeconds(pod: Obj): number | undefined {
  if (pod.status?.phase !== 'Running') return undefined;
  const statuses: Obj[] = pod.status?.containerStatuses ?? [];
  const started = statuses.map((s) => s.state?.running?.startedAt).filter((t): t is string => typeof t === 'string');
  if (statuses.length && started.length === statuses.length) return seconds(pod.metadata?.creationTimestamp, started.sort().pop());
  const ready = (pod.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready' && c.status === 'True');
  return seconds(pod.metadata?.creationTimestamp, ready?.lastTransitionTime);
}

/** A VMI's start time: creation → its Running phase transition (KubeVirt's phaseTransitionTimestamps). */
export function vmiStartSeconds(vmi: Obj): number | undefined {
  const running = (vmi.status?.phaseTransitionTimestamps ?? []).find((t: Obj) => t.phase === 'Running');
  return seconds(vmi.metadata?.creationTimestamp, running?.phaseTransitionTimestamp);
}

/** Guest RAM of a VMI: `domain.memory.guest`, else the memory request (KubeVirt's default), else the limit. */
export function vmiGuestMemory(vmi: Obj): number | undefined {
  const domain = vmi.spec?.domain ?? {};
  const q = domain.memory?.guest ?? domain.resources?.requests?.memory ?? domain.resources?.limits?.memory;
  const n = parseQuantity(q);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

const key = (o: Obj) => `${namespaceOf(o) ?? ''}/${nameOf(o)}`;

/** Running Pods and VMIs with what is known about each. */
export function workloadFigures(pods: Obj[], vmis: Obj[], feed?: CompareFeed): WorkloadFigure[] {
  const base = (kind: WorkloadKind, o: Obj, node: string | undefined, startSeconds: number | undefined): WorkloadFigure => {
    const k = key(o);
    const out: WorkloadFigure = { kind, namespace: namespaceOf(o) ?? '', name: nameOf(o), node, startSeconds };
    if (feed?.usage[k]) out.usage = feed.usage[k];
    if (feed?.prometheus?.overhead[k] !== undefined) out.overhead = feed.prometheus.overhead[k];
    return out;
  };
  return [
    ...pods.filter((p) => p.status?.phase === 'Running').map((p) => base('container', p, p.spec?.nodeName, podStartSeconds(p))),
    ...vmis
      .filter((v) => v.status?.phase === 'Running')
      .map((v) => ({ ...base('vm', v, v.status?.nodeName, vmiStartSeconds(v)), guestMemory: vmiGuestMemory(v) })),
  ];
}

/** Linear interpolation between closest ranks (`q` in 0..1) of sorted values. */
export function quantile(sorted: number[], q: number): number | undefined {
  if (!sorted.length) return undefined;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Prometheus' histogram_quantile over cumulative buckets (linear within a bucket). */
export function bucketQuantile(buckets: Bucket[], q: number): number | undefined {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted[sorted.length - 1]?.count ?? 0;
  if (!total) return undefined;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of sorted) {
    if (b.count >= rank) {
      if (b.le === Infinity) return prevLe; // like Prometheus: the highest finite bound
      return prevLe + ((b.le - prevLe) * (rank - prevCount)) / Math.max(1e-12, b.count - prevCount);
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}

/** Upper bounds (seconds) of the start-time distribution bars, the agent's histogram buckets. */
export const START_BOUNDS = [0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, Infinity];

/** Per-bar counts (not cumulative) of values over `bounds`. */
export function histogram(values: number[], bounds = START_BOUNDS): Bucket[] {
  return bounds.map((le, i) => ({ le, count: values.filter((v) => v <= le && (i === 0 || v > bounds[i - 1])).length }));
}

/** Cumulative buckets → per-bar counts over `bounds` (bounds the histogram lacks get 0). */
export function bucketsToBars(buckets: Bucket[], bounds = START_BOUNDS): Bucket[] {
  const cumulative = (le: number) => [...buckets].filter((b) => b.le <= le).sort((a, b) => b.le - a.le)[0]?.count ?? 0;
  return bounds.map((le, i) => ({ le, count: cumulative(le) - (i ? cumulative(bounds[i - 1]) : 0) }));
}

export interface StartSummary {
  source: 'prometheus' | 'objects';
  count: number;
  p50?: number;
  p90?: number;
  bars: Bucket[];
}

export interface KindSummary {
  running: number;
  start: StartSummary;
  /** Averages over running workloads that have the figure. */
  memory?: number;
  cpu?: number;
  guestMemory?: number;
  overhead?: number;
}

const avg = (values: Array<number | undefined>): number | undefined => {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return known.length ? known.reduce((s, v) => s + v, 0) / known.length : undefined;
};

/** Both kinds side by side; start times from Prometheus' histogram when it has starts, else from object timestamps. */
export function summarize(figures: WorkloadFigure[], prometheus?: PrometheusFigures): Record<WorkloadKind, KindSummary> {
  const out = {} as Record<WorkloadKind, KindSummary>;
  for (const kind of WORKLOAD_KINDS) {
    const mine = figures.filter((f) => f.kind === kind);
    const buckets = prometheus?.startBuckets[kind] ?? [];
    const promCount = buckets.reduce((m, b) => Math.max(m, b.count), 0);
    let start: StartSummary;
    if (promCount > 0) {
      start = { source: 'prometheus', count: promCount, p50: bucketQuantile(buckets, 0.5), p90: bucketQuantile(buckets, 0.9), bars: bucketsToBars(buckets) };
    } else {
      const values = mine.map((f) => f.startSeconds).filter((v): v is number => v !== undefined).sort((a, b) => a - b);
      start = { source: 'objects', count: values.length, p50: quantile(values, 0.5), p90: quantile(values, 0.9), bars: histogram(values) };
    }
    out[kind] = {
      running: mine.length,
      start,
      memory: avg(mine.map((f) => f.usage?.mem)),
      cpu: avg(mine.map((f) => f.usage?.cpu)),
      guestMemory: avg(mine.map((f) => f.guestMemory)),
      overhead: avg(mine.map((f) => f.overhead)),
    };
  }
  return out;
}

export interface NodeDensity {
  node: string;
  containers: number;
  vms: number;
  containerMemory: number;
  vmMemory: number;
}

/** Running workloads per node, every node listed (an empty node is a figure too). */
export function densityPerNode(nodes: Obj[], figures: WorkloadFigure[]): NodeDensity[] {
  const rows = new Map<string, NodeDensity>(nodes.map((n) => [nameOf(n), { node: nameOf(n), containers: 0, vms: 0, containerMemory: 0, vmMemory: 0 }]));
  for (const f of figures) {
    if (!f.node) continue;
    let row = rows.get(f.node);
    if (!row) rows.set(f.node, (row = { node: f.node, containers: 0, vms: 0, containerMemory: 0, vmMemory: 0 }));
    if (f.kind === 'container') {
      row.containers++;
      row.containerMemory += f.usage?.mem ?? 0;
    } else {
      row.vms++;
      row.vmMemory += f.usage?.mem ?? 0;
    }
  }
  return [...rows.values()].sort((a, b) => a.node.localeCompare(b.node));
}

/** `0.12` → `120 ms`, `3.5` → `3.5 s`. */
export function formatSeconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '–';
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  return `${Number(s.toFixed(s < 10 ? 2 : 1))} s`;
}

/** A bar's label: `≤ 150 ms`, `≤ 2.5 s`, `> 60 s`. */
export function boundLabel(bars: Bucket[], i: number): string {
  const le = bars[i].le;
  return le === Infinity ? `> ${formatSeconds(bars[i - 1]?.le ?? 0)}` : `≤ ${formatSeconds(le)}`;
}
