// /metrics for the whole server with `--workers N`. A scrape lands on one worker (the kernel
// picks); that worker asks the primary, which collects every live worker's registry as JSON
// and sums them with prom-client's AggregatorRegistry (counters and histograms add up; so do
// the gauges: in-flight requests, watchers, process memory), then answers the asking worker.
import { AggregatorRegistry, MetricObjectWithValues, MetricValue, Registry } from 'prom-client';

type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

export type MetricsMessage =
  | { t: 'cox-metrics-req'; id: number } // worker → primary: a scrape arrived
  | { t: 'cox-metrics-collect'; id: number } // primary → every worker
  | { t: 'cox-metrics-part'; id: number; metrics?: MetricsJson; error?: string } // worker → primary
  | { t: 'cox-metrics-res'; id: number; text?: string; error?: string }; // primary → the asking worker

const TYPES = new Set(['cox-metrics-req', 'cox-metrics-collect', 'cox-metrics-part', 'cox-metrics-res']);
export const isMetricsMessage = (m: unknown): m is MetricsMessage => typeof m === 'object' && m !== null && TYPES.has((m as MetricsMessage).t);

interface Gathering {
  origin: number;
  originId: number;
  waiting: Set<number>;
  parts: MetricsJson[];
}

/** The primary's part: fan a scrape out, sum the parts, answer the asker. No I/O but `send`. */
export class MetricsGather {
  private seq = 0;
  private readonly pending = new Map<number, Gathering>();

  constructor(
    private readonly send: (worker: number, message: MetricsMessage) => void,
    private readonly aggregate: (parts: MetricsJson[]) => Promise<string> = async (parts) => AggregatorRegistry.aggregate(parts).metrics(),
  ) {}

  /** Returns the gathering's id on a new scrape (the caller may `expire` it later). */
  receive(from: number, message: MetricsMessage, live: number[]): number | undefined {
    if (message.t === 'cox-metrics-req') {
      const id = ++this.seq;
      this.pending.set(id, { origin: from, originId: message.id, waiting: new Set(live), parts: [] });
      for (const w of live) this.send(w, { t: 'cox-metrics-collect', id });
      if (live.length === 0) this.finish(id);
      return id;
    }
    if (message.t === 'cox-metrics-part') {
      const g = this.pending.get(message.id);
      if (!g || !g.waiting.delete(from)) return undefined;
      if (message.metrics) g.parts.push(message.metrics);
      if (g.waiting.size === 0) this.finish(message.id);
    }
    return undefined;
  }

  /** A worker went away: nothing waits for its part any more. */
  gone(worker: number): void {
    for (const [id, g] of [...this.pending]) if (g.waiting.delete(worker) && g.waiting.size === 0) this.finish(id);
  }

  /** Answers with the parts that came (a worker too busy to answer in time is left out). */
  expire(id: number): void {
    if (this.pending.has(id)) this.finish(id);
  }

  private finish(id: number): void {
    const g = this.pending.get(id)!;
    this.pending.delete(id);
    this.aggregate(g.parts).then(
      (text) => this.send(g.origin, { t: 'cox-metrics-res', id: g.originId, text }),
      (error: Error) => this.send(g.origin, { t: 'cox-metrics-res', id: g.originId, error: error.message }),
    );
  }
}

/**
 * The worker's side: answer the primary's collects with this worker's registry, and scrape
 * the whole server through the primary (this worker's own figures if that fails).
 */
export function ipcMetrics(registry: Registry, channel: Pick<NodeJS.Process, 'send' | 'on'> = process, timeoutMs = 5000): () => Promise<string> {
  let seq = 0;
  const waiting = new Map<number, (text?: string) => void>();
  channel.on('message', (message: unknown) => {
    if (!isMetricsMessage(message)) return;
    if (message.t === 'cox-metrics-collect') {
      registry.getMetricsAsJSON().then(
        (metrics) => channel.send!({ t: 'cox-metrics-part', id: message.id, metrics: metrics as MetricsJson } satisfies MetricsMessage),
        (error: Error) => channel.send!({ t: 'cox-metrics-part', id: message.id, error: error.message } satisfies MetricsMessage),
      );
    } else if (message.t === 'cox-metrics-res') {
      waiting.get(message.id)?.(message.text);
    }
  });
  return async () => {
    const id = ++seq;
    const text = await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => done(undefined), timeoutMs);
      function done(result?: string) {
        clearTimeout(timer);
        waiting.delete(id);
        resolve(result);
      }
      waiting.set(id, done);
      channel.send!({ t: 'cox-metrics-req', id } satisfies MetricsMessage);
    });
    return text ?? registry.metrics();
  };
}
