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
  readonly requests = new Counter({
    name: 'apiserver_request_total',
    help: 'Counter of apiserver requests broken out for each verb, group, version, resource, subresource, scope and HTTP response code.',
    labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'code'],
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds for each verb, group, version, resource, subresource and scope.',
    labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly etcd = new Histogram({
    name: 'etcd_request_duration_seconds',
    help: 'Etcd request latency in seconds for each operation and object type.',
    labelNames: ['operation', 'type'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly watchers = new Gauge({
    name: 'apiserver_registered_watchers',
    help: 'Number of currently registered watchers for a given resource.',
    labelNames: ['group', 'version', 'kind'],
    registers: [this.registry],
  });
  readonly watchTerminations = new Counter({
    name: 'apiserver_watch_terminations_total',
    help: 'Watches ended by the server, by reason (timeout, slow, error) or by the client.',
    labelNames: ['resource', 'reason'],
    registers: [this.registry],
  });
  readonly inflight = new Gauge({
    name: 'apiserver_current_inflight_requests',
    help: 'Requests currently being served (watches excluded).',
    registers: [this.registry],
  });

  readonly flowRejected = new Counter({
    name: 'apiserver_flowcontrol_rejected_requests_total',
    help: 'Requests rejected with 429 by overload protection, by priority level (lane) and reason.',
    labelNames: ['priority_level', 'reason'],
    registers: [this.registry],
  });
  readonly flowUsage = this.flowGauge('apiserver_flowcontrol_current_executing_requests', 'Requests holding a seat', (u) => u.inflight);
  readonly flowWaiting = this.flowGauge('apiserver_flowcontrol_current_inqueue_requests', 'Requests waiting for a seat', (u) => u.waiting);

  readonly compactions = new Counter({
    name: 'apiserver_storage_compactions_total',
    help: 'etcd history compactions this API server performed.',
    registers: [this.registry],
  });
  readonly defragmentations = new Counter({
    name: 'apiserver_storage_defragmentations_total',
    help: 'etcd defragmentations this API server triggered.',
    registers: [this.registry],
  });
  readonly dbSize = new Gauge({
    name: 'apiserver_storage_db_total_size_in_bytes',
    help: 'Size of the etcd database file, as etcd last reported it.',
    registers: [this.registry],
  });
  readonly alarms = new Gauge({
    name: 'apiserver_storage_alarm_active',
    help: 'etcd alarms currently raised (1 while active), e.g. NOSPACE when the quota is exhausted.',
    labelNames: ['alarm'],
    registers: [this.registry],
  });

  constructor() {
    collectLintCleanDefaultMetrics(this.registry);
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
