// Prometheus metrics with kube-scheduler's names.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { QueueName } from './queue/scheduling-queue';

export type AttemptResult = 'scheduled' | 'unschedulable' | 'error';

export interface SchedulerMetrics {
  attempt(result: AttemptResult, profile: string, seconds: number): void;
  /** Where pending counts come from at scrape time (the current leader term's queue). */
  setPendingSource(source: (() => Record<QueueName, number>) | undefined): void;
  eventDropped(): void;
  setLeader(leading: boolean): void;
}

const ATTEMPT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function schedulerMetrics(registry: Registry, leaseName = 'coxswain-scheduler'): SchedulerMetrics {
  const registers = [registry];
  const attempts = new Counter({
    name: 'scheduler_schedule_attempts_total',
    help: 'Number of attempts to schedule pods and VMIs, by the result.',
    labelNames: ['result', 'profile'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'scheduler_scheduling_attempt_duration_seconds',
    help: 'Scheduling attempt latency in seconds (scheduling algorithm + binding).',
    labelNames: ['result', 'profile'] as const,
    buckets: ATTEMPT_BUCKETS,
    registers,
  });
  let source: (() => Record<QueueName, number>) | undefined;
  new Gauge({
    name: 'scheduler_pending_pods',
    help: 'Number of pending pods and VMIs, by the queue type.',
    labelNames: ['queue'] as const,
    registers,
    collect() {
      const counts = source?.() ?? { active: 0, backoff: 0, unschedulable: 0 };
      for (const [queue, n] of Object.entries(counts)) this.set({ queue }, n);
    },
  });
  const dropped = new Counter({ name: 'scheduler_events_dropped_total', help: 'Events not written because the event queue was full.', registers });
  const leader = new Gauge({ name: 'leader_election_master_status', help: '1 while this instance holds the lease.', labelNames: ['name'] as const, registers });
  leader.set({ name: leaseName }, 0);
  for (const result of ['scheduled', 'unschedulable', 'error']) attempts.inc({ result, profile: 'default-scheduler' }, 0);
  return {
    attempt: (result, profile, seconds) => {
      attempts.inc({ result, profile });
      duration.observe({ result, profile }, seconds);
    },
    setPendingSource: (fn) => (source = fn),
    eventDropped: () => dropped.inc(),
    setLeader: (leading) => leader.set({ name: leaseName }, leading ? 1 : 0),
  };
}
