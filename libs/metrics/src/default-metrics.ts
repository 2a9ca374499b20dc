// prom-client's default process metrics, minus its three gauges named `*_total`
// (nodejs_active_{handles,requests,resources}_total), which `promtool check metrics` rejects
// (`_total` is for counters). Nothing is lost: the same counts stay available by type as
// nodejs_active_handles, nodejs_active_requests and nodejs_active_resources.
//
// The event-loop lag histogram samples every 100 ms, not prom-client's 10 ms: its libuv timer
// woke every component 100 times a second, which on an idle node agent was a third of its
// remaining CPU. Stalls that matter (tens of ms and more) are still seen.
import { collectDefaultMetrics, Registry } from 'prom-client';

export const EVENT_LOOP_SAMPLE_MS = 100;

export const GAUGES_NAMED_TOTAL = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export function collectLintCleanDefaultMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  for (const name of GAUGES_NAMED_TOTAL) if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
}
