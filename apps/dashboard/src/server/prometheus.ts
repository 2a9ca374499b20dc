// Chart history from Prometheus when one is configured: cAdvisor series for Pods, KubeVirt's
// for VMIs, summed per node through the `node` target label the scrape config sets.
import { Point } from './metrics-store';

export type Target = { kind: 'node'; name: string } | { kind: 'pod' | 'vmi'; namespace: string; name: string };

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

export function promQueries(target: Target): { cpu: string; mem: string } {
  if (target.kind === 'node') {
    const sel = `node="${esc(target.name)}"`;
    return {
      cpu: `sum(rate(container_cpu_usage_seconds_total{${sel}}[1m])) + sum(rate(kubevirt_vmi_cpu_usage_seconds_total{${sel}}[1m]) or vector(0))`,
      mem: `sum(container_memory_working_set_bytes{${sel}}) + sum(kubevirt_vmi_memory_used_bytes{${sel}} or vector(0))`,
    };
  }
  if (target.kind === 'vmi') {
    const sel = `namespace="${esc(target.namespace)}",name="${esc(target.name)}"`;
    return { cpu: `sum(rate(kubevirt_vmi_cpu_usage_seconds_total{${sel}}[1m]))`, mem: `sum(kubevirt_vmi_memory_used_bytes{${sel}})` };
  }
  const sel = `namespace="${esc(target.namespace)}",pod="${esc(target.name)}"`;
  return { cpu: `sum(rate(container_cpu_usage_seconds_total{${sel}}[1m]))`, mem: `sum(container_memory_working_set_bytes{${sel}})` };
}

interface RangeResponse {
  status: string;
  data?: { result?: Array<{ values?: Array<[number, string]> }> };
}

/** Joins the cpu and memory range results on their timestamps. */
export function joinRanges(cpu: RangeResponse, mem: RangeResponse): Point[] {
  const byT = new Map<number, Point>();
  for (const [t, v] of cpu.data?.result?.[0]?.values ?? []) byT.set(t, { t: t * 1000, cpu: Number(v), mem: 0 });
  for (const [t, v] of mem.data?.result?.[0]?.values ?? []) {
    const p = byT.get(t);
    if (p) p.mem = Number(v);
  }
  return [...byT.values()].filter((p) => Number.isFinite(p.cpu) && Number.isFinite(p.mem)).sort((a, b) => a.t - b.t);
}

export async function prometheusHistory(baseUrl: string, target: Target, now: number, windowMs: number, stepSeconds = 15): Promise<Point[]> {
  const q = promQueries(target);
  const range = (query: string) =>
    fetch(`${baseUrl}/api/v1/query_range?${new URLSearchParams({ query, start: String((now - windowMs) / 1000), end: String(now / 1000), step: String(stepSeconds) })}`, { signal: AbortSignal.timeout(5000) }).then(async (r) => {
      if (!r.ok) throw new Error(`prometheus answered ${r.status}`);
      return (await r.json()) as RangeResponse;
    });
  const [cpu, mem] = await Promise.all([range(q.cpu), range(q.mem)]);
  return joinRanges(cpu, mem);
}

/** `node/n1`, `pod/ns/p`, `vmi/ns/v` → a target; undefined when malformed. */
export function parseTarget(text: string): Target | undefined {
  const parts = text.split('/');
  if (parts[0] === 'node' && parts.length === 2 && parts[1]) return { kind: 'node', name: parts[1] };
  if ((parts[0] === 'pod' || parts[0] === 'vmi') && parts.length === 3 && parts[1] && parts[2]) return { kind: parts[0], namespace: parts[1], name: parts[2] };
  return undefined;
}

/** The ring-buffer key of a target (the metrics API lists VMIs as pods). */
export const seriesKey = (t: Target) => (t.kind === 'node' ? `node/${t.name}` : `pod/${t.namespace}/${t.name}`);
