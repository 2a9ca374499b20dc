import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { WorkQueueMetrics } from './work-queue';

const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60];

function metric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * client-go's workqueue metric names (workqueue_depth, workqueue_adds_total, …) labelled
 * by queue name; several queues share one set of metrics in a registry.
 */
export function promWorkQueueMetrics(registry: Registry, queueName: string): WorkQueueMetrics {
  const labelNames = ['name'] as const;
  const registers = [registry];
  const depth = metric(registry, 'workqueue_depth', () => new Gauge({ name: 'workqueue_depth', help: 'Current depth of the work queue', labelNames, registers }));
  const adds = metric(registry, 'workqueue_adds_total', () => new Counter({ name: 'workqueue_adds_total', help: 'Keys added to the work queue', labelNames, registers }));
  const retries = metric(registry, 'workqueue_retries_total', () => new Counter({ name: 'workqueue_retries_total', help: 'Rate-limited re-adds', labelNames, registers }));
  const queueDuration = metric(registry, 'workqueue_queue_duration_seconds', () =>
    new Histogram({ name: 'workqueue_queue_duration_seconds', help: 'Time a key waits before a worker takes it', labelNames, buckets: DURATION_BUCKETS, registers }),
  );
  const workDuration = metric(registry, 'workqueue_work_duration_seconds', () =>
    new Histogram({ name: 'workqueue_work_duration_seconds', help: 'Time spent processing a key', labelNames, buckets: DURATION_BUCKETS, registers }),
  );
  const labels = { name: queueName };
  return {
    add: () => adds.inc(labels),
    depth: (n) => depth.set(labels, n),
    retry: () => retries.inc(labels),
    queueDuration: (s) => queueDuration.observe(labels, s),
    workDuration: (s) => workDuration.observe(labels, s),
  };
}
