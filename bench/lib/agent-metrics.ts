// What a node agent's own /metrics say about starting workloads: the sum and count of its
// start-duration histogram by kind (sandbox: cgroup, network, DNS files, namespaces;
// container: rootfs, create and start) and of image pulls.
import { request } from 'undici';
import { round } from './stats';

export type StartTotals = Record<'sandbox' | 'container' | 'pull', { sum: number; count: number }>;

/** Sums and counts as a Prometheus text exposition gives them. */
export function startTotals(text: string): StartTotals {
  const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  const histogram = (name: string, labels = '') => ({ sum: value(`${name}_sum${labels}`), count: value(`${name}_count${labels}`) });
  return {
    sandbox: histogram('node_agent_workload_start_duration_seconds', '{kind="sandbox"}'),
    container: histogram('node_agent_workload_start_duration_seconds', '{kind="container"}'),
    pull: histogram('node_agent_image_pull_duration_seconds'),
  };
}

/** Mean seconds per observation (`sandbox_s_mean`, …), of all of them or of those since `before`. */
export function meanSeconds(after: StartTotals, before?: StartTotals): Record<string, number> {
  const out: Record<string, number> = {};
  for (const kind of ['sandbox', 'container', 'pull'] as const) {
    const count = after[kind].count - (before?.[kind].count ?? 0);
    if (count > 0) out[`${kind}_s_mean`] = round((after[kind].sum - (before?.[kind].sum ?? 0)) / count, 3);
  }
  return out;
}

/** The agent's totals, from its metrics port (10255) at `address`. */
export async function agentStartTotals(address: string): Promise<StartTotals> {
  const res = await request(`http://${address}:10255/metrics`, { headersTimeout: 5000, bodyTimeout: 5000 });
  return startTotals(await res.body.text());
}
