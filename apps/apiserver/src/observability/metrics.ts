// Prometheus metrics with Kubernetes' apiserver names.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { collectLintCleanDefaultMetrics } from '@coxswain/metrics';

export interface FlowUsage {
  lane: string;
  kind: string;
  inflight: number;
  waiting: number;
}

export class ApiServerMetrics {
  readonly registry = new Registry();
  /** Where the flow-control gauges read seats in use and queued requests at scrape time. */
  flowSource: () => FlowUsage[] = () => [];
  /** What /metrics serves: this registry, or with `--workers N` every worker's, summed (workers/metrics-relay.ts). */
  scrape: () => Promise<string> = () => this.registry.metrics();
  readonly requests = this.counter(
    'apiserver_request_total',
    'Counter of apiserver requests broken out for each verb, group, version, resource, subresource, scope and HTTP response code.',
    ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'code'],
  );
  readonly duration = this.histogram(
    'apiserver_request_duration_seconds',
    'Response latency distribution in seconds for each verb, group, version, resource, subresource and scope.',
    ['verb', 'group', 'version', 'resource', 'subresource', 'scope'],
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  );
  readonly etcd = this.histogram(
    'etcd_request_duration_seconds',
    'Etcd request latency in seconds for each operation and object type.',
    ['operation', 'type'],
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  readonly watchers = this.gauge('apiserver_registered_watchers', 'Number of currently registered watchers for a given resource.', ['group', 'version', 'kind']);
  readonly watchTerminations = this.counter(
    'apiserver_watch_terminations_total',
    'Watches ended by the server, by reason (timeout, slow, error) or by the client.',
    ['resource', 'reason'],
  );
  readonly inflight = this.gauge('apiserver_current_inflight_requests', 'Requests currently being served (watches excluded).');

  readonly flowRejected = this.counter(
    'apiserver_flowcontrol_rejected_requests_total',
    'Requests rejected with 429 by overload protection, by priority level (lane) and reason.',
    ['priority_level', 'reason'],
  );
  readonly flowUsage = this.flowGauge('apiserver_flowcontrol_current_executing_requests', 'Requests holding a seat', (u) => u.inflight);
  readonly flowWaiting = this.flowGauge('apiserver_flowcontrol_current_inqueue_requests', 'Requests waiting for a seat', (u) => u.waiting);

  readonly compactions = this.counter('apiserver_storage_compactions_total', 'etcd history compactions this API server performed.');
  readonly defragmentations = this.counter('apiserver_storage_defragmentations_total', 'etcd defragmentations this API server triggered.');
  readonly dbSize = this.gauge('apiserver_storage_db_total_size_in_bytes', 'Size of the etcd database file, as etcd last reported it.');
  readonly alarms = this.gauge('apiserver_storage_alarm_active', 'etcd alarms currently raised (1 while active), e.g. NOSPACE when the quota is exhausted.', ['alarm']);

  constructor() {
    collectLintCleanDefaultMetrics(this.registry);
  }

  // Each metric registers only on this server's registry (never the global one), so
  // several servers in one process (tests, --workers) keep their counts apart.
  private counter<T extends string>(name: string, help: string, labelNames: readonly T[] = []): Counter<T> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge<T extends string>(name: string, help: string, labelNames: readonly T[] = []): Gauge<T> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  private histogram<T extends string>(name: string, help: string, labelNames: readonly T[], buckets: number[]): Histogram<T> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /** A flow-control gauge by priority level (lane) and kind (readonly, mutating), read from `flowSource` at scrape time. */
  private flowGauge(name: string, what: string, value: (u: FlowUsage) => number): Gauge<string> {
    const source = () => this.flowSource();
    return new Gauge({
      name,
      help: `${what}, by priority level (lane) and kind (readonly, mutating).`,
      labelNames: ['priority_level', 'kind'],
      registers: [this.registry],
      collect() {
        for (const u of source()) this.set({ priority_level: u.lane, kind: u.kind }, value(u));
      },
    });
  }
}
