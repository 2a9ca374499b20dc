// prom-client's default process metrics, minus its three gauges named `*_total`
// (nodejs_active_{handles,requests,resources}_total), which `promtool check metrics` rejects
// (`_total` is for counters). Nothing is lost: the same counts stay available by type as
// nodejs_active_handles, nodejs_active_requests and nodejs_active_resources.
import { collectDefaultMetrics, Registry } from 'prom-client';

export const GAUGES_NAMED_TOTAL = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export function collectLintCleanDefaultMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of GAUGES_NAMED_TOTAL) if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
}
