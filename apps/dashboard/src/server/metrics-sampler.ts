// Samples the metrics API into a MetricsStore on a timer while someone is using the
// dashboard (a chart or overview is open, or a request came recently), then goes quiet.
import { MetricsList, MetricsStore, usageOf } from './metrics-store';

export interface SamplerOptions {
  intervalMs: number;
  capacity: number;
  /** Keep sampling this long after the last request when no stream listens. */
  idleMs?: number;
  now?: () => number;
}

export class MetricsSampler {
  readonly store: MetricsStore;
  lastError?: string;
  private readonly listeners = new Set<() => void>();
  private timer?: ReturnType<typeof setTimeout>;
  private lastActive: number;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly fetchLists: () => Promise<[MetricsList, MetricsList]>, private readonly options: SamplerOptions) {
    this.store = new MetricsStore(options.capacity);
    this.now = options.now ?? Date.now;
    this.lastActive = this.now();
  }

  /** Marks activity and makes sure sampling runs. */
  touch(): void {
    this.lastActive = this.now();
    if (!this.timer && !this.stopped) this.schedule(0);
  }

  /** Called after every sample (success or failure) until the returned function is called. */
  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    this.touch();
    return () => this.listeners.delete(listener);
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  async sample(): Promise<void> {
    try {
      const [nodes, pods] = await this.fetchLists();
      this.store.record(this.now(), usageOf(nodes, pods));
      this.lastError = undefined;
    } catch (error) {
      this.lastError = (error as Error).message;
    }
    for (const listener of [...this.listeners]) listener();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(async () => {
      await this.sample();
      const idle = this.listeners.size === 0 && this.now() - this.lastActive > (this.options.idleMs ?? 30 * 60_000);
      if (idle || this.stopped) this.timer = undefined;
      else this.schedule(this.options.intervalMs);
    }, delay);
    this.timer.unref?.();
  }
}
