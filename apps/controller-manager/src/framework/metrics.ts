// controller_* metrics (queue depth, reconcile duration and errors per controller) plus
// client-go's workqueue_* names through libs/client, all labelled by controller name.
import { promWorkQueueMetrics, WorkQueueMetrics } from '@coxswain/client';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface ReconcileMetrics {
  queue: WorkQueueMetrics;
  observe(seconds: number, ok: boolean): void;
}

export class ControllerMetrics {
  private readonly depth: Gauge<'controller'>;
  private readonly duration: Histogram<'controller'>;
  private readonly errors: Counter<'controller'>;
  private readonly reconciles: Counter<'controller' | 'result'>;
  private readonly leader: Gauge;

  constructor(readonly registry: Registry) {
    const registers = [registry];
    this.depth = new Gauge({ name: 'controller_queue_depth', help: 'Keys waiting in the controller work queue', labelNames: ['controller'], registers });
    this.duration = new Histogram({ name: 'controller_reconcile_duration_seconds', help: 'Time spent in one reconcile of a key', labelNames: ['controller'], buckets: BUCKETS, registers });
    this.errors = new Counter({ name: 'controller_reconcile_errors_total', help: 'Reconciles that failed and were re-queued with back-off', labelNames: ['controller'], registers });
    this.reconciles = new Counter({ name: 'controller_reconcile_total', help: 'Reconciles by result', labelNames: ['controller', 'result'], registers });
    this.leader = new Gauge({ name: 'controller_leader', help: '1 while this controller-manager holds the leader lease', registers });
  }

  forController(controller: string): ReconcileMetrics {
    const base = promWorkQueueMetrics(this.registry, controller);
    this.depth.set({ controller }, 0);
    this.errors.inc({ controller }, 0);
    return {
      queue: {
        ...base,
        depth: (n) => {
          base.depth?.(n);
          this.depth.set({ controller }, n);
        },
      },
      observe: (seconds, ok) => {
        this.duration.observe({ controller }, seconds);
        this.reconciles.inc({ controller, result: ok ? 'success' : 'error' });
        if (!ok) this.errors.inc({ controller });
      },
    };
  }

  setLeader(leading: boolean): void {
    this.leader.set(leading ? 1 : 0);
  }
}
