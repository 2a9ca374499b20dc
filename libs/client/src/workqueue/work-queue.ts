import { Clock, realClock, TimerHandle } from '../core/clock';
import { ExponentialBackoffRateLimiter, ItemRateLimiter } from './rate-limiter';

/** Hooks for queue metrics; see promWorkQueueMetrics for the Prometheus adapter. */
export interface WorkQueueMetrics {
  add?(): void;
  depth?(depth: number): void;
  /** Seconds a key waited between add and get. */
  queueDuration?(seconds: number): void;
  /** Seconds between get and done. */
  workDuration?(seconds: number): void;
  retry?(): void;
}

export interface WorkQueueOptions<K> {
  clock?: Clock;
  rateLimiter?: ItemRateLimiter<K>;
  metrics?: WorkQueueMetrics;
}

/**
 * De-duplicating keyed work queue with client-go's guarantees:
 * - a key added several times before a worker takes it is processed once;
 * - a key is never handed to two workers at once: re-added while being processed, it is
 *   queued again only when the worker calls done();
 * - addRateLimited retries with per-key exponential back-off; forget resets it.
 */
export class WorkQueue<K = string> {
  private readonly queue: K[] = [];
  /** Keys waiting to be processed (queued, or re-added while processing). */
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly addedAt = new Map<K, number>();
  private readonly startedAt = new Map<K, number>();
  private readonly delayed = new Map<K, { at: number; timer: TimerHandle }>();
  private readonly getters: Array<(key: K | undefined) => void> = [];
  private readonly drained: Array<() => void> = [];
  private shuttingDown = false;
  private readonly clock: Clock;
  private readonly rateLimiter: ItemRateLimiter<K>;
  private readonly metrics: WorkQueueMetrics;

  constructor(options: WorkQueueOptions<K> = {}) {
    this.clock = options.clock ?? realClock;
    this.rateLimiter = options.rateLimiter ?? new ExponentialBackoffRateLimiter<K>();
    this.metrics = options.metrics ?? {};
  }

  /** Keys ready to be taken (not counting ones being processed or waiting on a delay). */
  len(): number {
    return this.queue.length;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.metrics.add?.();
    this.dirty.add(key);
    this.addedAt.set(key, this.clock.now());
    if (this.processing.has(key)) return;
    this.enqueue(key);
  }

  /** Adds `key` after `ms`; an earlier pending delay for the same key wins. */
  addAfter(key: K, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.at <= at) return;
    if (pending) this.clock.clearTimeout(pending.timer);
    const timer = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, timer });
  }

  /** Re-adds a failed key after its back-off delay. */
  addRateLimited(key: K): void {
    this.metrics.retry?.();
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Stops tracking failures for `key` (call when it was processed successfully). */
  forget(key: K): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.rateLimiter.numRequeues(key);
  }

  /**
   * Waits for the next key. Resolves undefined once the queue is shut down and empty: the
   * worker should exit. The caller must call done(key) when finished with it.
   */
  get(): Promise<K | undefined> {
    if (this.queue.length > 0) return Promise.resolve(this.take());
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Marks `key` finished; if it was re-added meanwhile it goes back in the queue now. */
  done(key: K): void {
    if (!this.processing.delete(key)) return;
    const started = this.startedAt.get(key);
    this.startedAt.delete(key);
    if (started !== undefined) this.metrics.workDuration?.((this.clock.now() - started) / 1000);
    if (this.dirty.has(key)) this.enqueue(key);
    else if (this.processing.size === 0 && this.queue.length === 0) this.drained.splice(0).forEach((fn) => fn());
  }

  /** Stops accepting keys, cancels delayed adds and releases idle workers; queued keys still drain. */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const { timer } of this.delayed.values()) this.clock.clearTimeout(timer);
    this.delayed.clear();
    this.getters.splice(0).forEach((resolve) => resolve(undefined));
    if (this.processing.size === 0 && this.queue.length === 0) this.drained.splice(0).forEach((fn) => fn());
  }

  /** Shuts down and resolves once every key taken or queued has been marked done. */
  shutDownWithDrain(): Promise<void> {
    const done = new Promise<void>((resolve) => {
      if (this.processing.size === 0 && this.queue.length === 0) resolve();
      else this.drained.push(resolve);
    });
    this.shutDown();
    return done;
  }

  private enqueue(key: K): void {
    const getter = this.getters.shift();
    if (getter) {
      this.queue.push(key);
      getter(this.take());
      return;
    }
    this.queue.push(key);
    this.metrics.depth?.(this.queue.length);
  }

  private take(): K {
    const key = this.queue.shift() as K;
    this.metrics.depth?.(this.queue.length);
    this.dirty.delete(key);
    this.processing.add(key);
    const now = this.clock.now();
    this.startedAt.set(key, now);
    const added = this.addedAt.get(key);
    this.addedAt.delete(key);
    if (added !== undefined) this.metrics.queueDuration?.((now - added) / 1000);
    return key;
  }
}
