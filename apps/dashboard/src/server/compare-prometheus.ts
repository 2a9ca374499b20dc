// The compare page's Prometheus figures: the agents' start-latency histogram (apply → Running,
// millisecond resolution where object timestamps have whole seconds) and their runtime-overhead
// gauges (QEMU beyond guest RAM per VMI, the container shims per pod).
import type { Bucket, PrometheusFigures, WorkloadKind } from '../lib/compare';

export const COMPARE_PROMQL = {
  startBuckets: 'sum by (kind, le) (node_agent_workload_start_latency_seconds_bucket)',
  vmOverhead: 'sum by (namespace, name) (node_agent_vmi_memory_overhead_bytes)',
  shimOverhead: 'sum by (namespace, pod) (node_agent_container_shim_memory_bytes)',
} as const;

type Vector = Array<{ metric: Record<string, string>; value: [number, string] }>;

/** Instant-query answers → the page's figures. */
export function prometheusFigures(buckets: Vector, vmOverhead: Vector, shimOverhead: Vector): PrometheusFigures {
  const startBuckets: Record<WorkloadKind, Bucket[]> = { container: [], vm: [] };
  for (const s of buckets) {
    const kind = s.metric.kind as WorkloadKind;
    const le = s.metric.le === '+Inf' ? Infinity : Number(s.metric.le);
    const count = Number(s.value[1]);
    if (kind in startBuckets && !Number.isNaN(le) && Number.isFinite(count)) startBuckets[kind].push({ le, count });
  }
  for (const kind of Object.keys(startBuckets) as WorkloadKind[]) startBuckets[kind].sort((a, b) => a.le - b.le);
  const overhead: Record<string, number> = {};
  for (const s of vmOverhead) overhead[`${s.metric.namespace}/${s.metric.name}`] = Number(s.value[1]);
  for (const s of shimOverhead) overhead[`${s.metric.namespace}/${s.metric.pod}`] = Number(s.value[1]);
  return { startBuckets, overhead };
}

export async function fetchPrometheusFigures(baseUrl: string, fetchFn: typeof fetch = fetch): Promise<PrometheusFigures> {
  const query = async (promql: string): Promise<Vector> => {
    const res = await fetchFn(`${baseUrl.replace(/\/$/, '')}/api/v1/query?${new URLSearchParams({ query: promql })}`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`prometheus answered ${res.status}`);
    const body = (await res.json()) as { status: string; data?: { result?: Vector } };
    return body.data?.result ?? [];
  };
  const [buckets, vm, shim] = await Promise.all([query(COMPARE_PROMQL.startBuckets), query(COMPARE_PROMQL.vmOverhead), query(COMPARE_PROMQL.shimOverhead)]);
  return prometheusFigures(buckets, vm, shim);
}
