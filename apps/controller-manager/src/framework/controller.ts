// The loop every controller shares: informer handlers enqueue keys, workers pop a key and
// call reconcile(key); success forgets the key, failure re-queues it with back-off. Each
// controller only writes register() and reconcile().
import { KubeObject } from '@coxswain/api';
import { Clock, isConflict, KubeClient, Logger, objectKey, runWorkers, WorkQueue } from '@coxswain/client';
import { EventRecorder } from './events';
import { SharedInformers } from './informers';
import { ControllerMetrics, ReconcileMetrics } from './metrics';

export interface ControllerDeps {
  client: KubeClient;
  informers: SharedInformers;
  /** Events are written under the component name the controller passes. */
  recorderFor(component: string): EventRecorder;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}

export abstract class Controller {
  readonly queue: WorkQueue<string>;
  protected readonly logger: Logger;
  protected readonly recorder: EventRecorder;
  private readonly reconcileMetrics?: ReconcileMetrics;
  private running?: Promise<void>;

  constructor(
    readonly name: string,
    protected readonly deps: ControllerDeps,
    private readonly concurrency = 2,
  ) {
    this.reconcileMetrics = deps.metrics?.forController(name);
    this.queue = new WorkQueue<string>({ clock: deps.clock, metrics: this.reconcileMetrics?.queue });
    this.logger = deps.logger.child({ controller: name });
    this.recorder = deps.recorderFor(name);
  }

  /** Subscribes to informers; called once before they start. */
  abstract register(): void;

  /** Makes the world match the object named by `key`; throws to retry with back-off. */
  protected abstract reconcile(key: string): Promise<void>;

  enqueue(objOrKey: KubeObject | string): void {
    this.queue.add(typeof objOrKey === 'string' ? objOrKey : objectKey(objOrKey));
  }

  enqueueAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  /** Starts the workers; resolves after shutdown() once in-flight keys finish. */
  run(): Promise<void> {
    this.running ??= runWorkers(this.queue, (key) => this.timed(key), { concurrency: this.concurrency, logger: this.quietConflicts() });
    return this.running;
  }

  async shutdown(): Promise<void> {
    await this.queue.shutDownWithDrain();
    await this.running;
  }

  private async timed(key: string): Promise<void> {
    const started = process.hrtime.bigint();
    let ok = false;
    try {
      await this.reconcile(key);
      ok = true;
    } finally {
      this.reconcileMetrics?.observe(Number(process.hrtime.bigint() - started) / 1e9, ok);
    }
  }

  /** A stale cache makes 409s routine: they are retried quietly, everything else is a warning. */
  private quietConflicts(): Pick<Logger, 'warn'> {
    const logger = this.logger;
    return {
      warn: ((fields: { err?: unknown }, message?: string) => {
        if (isConflict(fields?.err)) logger.debug(fields, message);
        else logger.warn(fields, message);
      }) as Logger['warn'],
    };
  }
}
