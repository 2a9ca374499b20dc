// coxctl compare: containers vs VMs side by side, from the cluster's own measurements. It reads
// Prometheus (--prometheus URL or COXSWAIN_PROMETHEUS_URL; `npm run up -- --prometheus` starts
// one) rather than the agents directly: start latency is a histogram summed over every node
// and over time, which is what Prometheus keeps, and the API server has no node proxy to the
// agents' /metrics. Printed as bar charts, not tables of digits.
import { ParsedArgs } from '../cli/spec';
import { CommandContext } from '../context';
import { CliError } from '../errors';

export type Kind = 'container' | 'vm';
export const KINDS: Kind[] = ['container', 'vm'];

export interface KindFigures {
  startP50?: number;
  startP90?: number;
  starts?: number;
  /** Average working set per workload: a pod's containers vs a whole QEMU process. */
  memoryPerWorkload?: number;
  running?: number;
}
export type Comparison = Record<Kind, KindFigures>;

const LATENCY = 'node_agent_workload_start_latency_seconds';
export const COMPARE_QUERIES = {
  startP50: `histogram_quantile(0.5, sum by (kind, le) (${LATENCY}_bucket))`,
  startP90: `histogram_quantile(0.9, sum by (kind, le) (${LATENCY}_bucket))`,
  starts: `sum by (kind) (${LATENCY}_count)`,
  running: 'sum by (kind) (node_agent_running_workloads)',
  containerMemory: 'avg(sum by (namespace, pod) (container_memory_working_set_bytes))',
  vmMemory: 'avg(kubevirt_vmi_memory_used_bytes)',
} as const;

type Vector = Array<{ metric: Record<string, string>; value: [number, string] }>;
export type Query = (promql: string) => Promise<Vector>;

export function prometheusQuery(baseUrl: string, fetchFn: typeof fetch = fetch): Query {
  return async (promql) => {
    const res = await fetchFn(`${baseUrl.replace(/\/$/, '')}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; error?: string; data?: { result?: Vector } };
    if (body.status !== 'success') throw new CliError(`Prometheus: ${body.error ?? res.status}`);
    return body.data?.result ?? [];
  };
}

const num = (v: string) => (Number.isFinite(Number(v)) ? Number(v) : undefined);

export async function fetchComparison(query: Query): Promise<Comparison> {
  const out: Comparison = { container: {}, vm: {} };
  for (const field of ['startP50', 'startP90', 'starts', 'running'] as const) {
    for (const s of await query(COMPARE_QUERIES[field])) {
      const kind = s.metric.kind as Kind;
      if (KINDS.includes(kind)) out[kind][field] = num(s.value[1]);
    }
  }
  out.container.memoryPerWorkload = num((await query(COMPARE_QUERIES.containerMemory))[0]?.value[1] ?? '');
  out.vm.memoryPerWorkload = num((await query(COMPARE_QUERIES.vmMemory))[0]?.value[1] ?? '');
  return out;
}

const ISOLATION: Record<Kind, string> = {
  container: 'namespaces, cgroups, seccomp and capabilities; shares the host kernel',
  vm: 'its own guest kernel under QEMU (KVM when available): a hardware virtualization boundary',
};

/** A bar of `width` cells scaled to `max` (at least one cell for any non-zero value). */
export function bar(value: number | undefined, max: number, width = 30): string {
  if (value === undefined || max <= 0) return ''.padEnd(width);
  const cells = value > 0 ? Math.max(1, Math.round((value / max) * width)) : 0;
  return '█'.repeat(cells).padEnd(width);
}

const seconds = (s?: number) => (s === undefined ? '-' : s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(2)} s`);
const mib = (b?: number) => (b === undefined ? '-' : `${(b / (1024 * 1024)).toFixed(1)} MiB`);

export function renderComparison(c: Comparison, width = 30): string {
  const chart = (title: string, value: (f: KindFigures) => number | undefined, label: (f: KindFigures) => string) => {
    const max = Math.max(0, ...KINDS.map((k) => value(c[k]) ?? 0));
    return [title, ...KINDS.map((k) => `${k.padEnd(10)} ${bar(value(c[k]), max, width)} ${label(c[k])}`.trimEnd())];
  };
  const lines = [
    ...chart('START LATENCY (apply → Running), p50 / p90', (f) => f.startP50, (f) => (f.starts ? `${seconds(f.startP50)} / ${seconds(f.startP90)}  (${f.starts} starts)` : 'no starts measured yet')),
    '',
    ...chart('MEMORY PER WORKLOAD (working set: a pod\'s containers / the whole QEMU process)', (f) => f.memoryPerWorkload, (f) => mib(f.memoryPerWorkload)),
    '',
    ...chart('RUNNING NOW', (f) => f.running, (f) => String(f.running ?? 0)),
    '',
    'ISOLATION',
    ...KINDS.map((k) => `${k.padEnd(10)} ${ISOLATION[k]}`),
  ];
  return `${lines.join('\n')}\n`;
}

export async function runCompare(ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  const url = ctx.str('prometheus') || process.env.COXSWAIN_PROMETHEUS_URL;
  if (!url) throw new CliError('compare reads the cluster\'s measurements from Prometheus: pass --prometheus URL or set COXSWAIN_PROMETHEUS_URL (npm run up -- --prometheus starts one)');
  ctx.out(renderComparison(await fetchComparison(prometheusQuery(url))));
  return 0;
}
