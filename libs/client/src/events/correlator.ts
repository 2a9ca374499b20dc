// client-go's EventCorrelator (tools/record/events_cache.go), pure and clocked by the caller:
//  1. aggregation of similar events: events that differ only in their message, for one
//     (source, object, type, reason), are counted per distinct message; from the
//     `maxSimilar`-th distinct message within `similarIntervalMs` on they become one Event
//     whose message starts with "(combined from similar events): ".
//  2. the key an Event is counted under: the full event (message included), or the
//     aggregate key once combined — the recorder bumps count/lastTimestamp on that Event.
//  3. a spam filter: a token bucket per (source, object) — `spamBurst` events at once, then
//     one per `spamRefillMs` — drops what a misbehaving component would flood etcd with.
// Defaults are client-go's: 10 similar in 600 s; burst 25, one token per 300 s.

export interface CorrelatorOptions {
  maxSimilar?: number;
  similarIntervalMs?: number;
  spamBurst?: number;
  spamRefillMs?: number;
  /** Keys remembered per cache (LRU), client-go's maxLruCacheEntries. Default 4096. */
  maxKeys?: number;
}

export interface CorrelatorInput {
  component: string;
  host?: string;
  target: { kind?: string; apiVersion?: string; namespace?: string; name: string; uid?: string };
  type: string;
  reason: string;
  message: string;
}

export type Correlation = { skip: true } | { skip: false; key: string; message: string; combined: boolean };

export const COMBINED_PREFIX = '(combined from similar events): ';

/** A Map that forgets its least recently used entry past `max`. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
  get size(): number {
    return this.map.size;
  }
}

interface Bucket {
  tokens: number;
  at: number;
}
interface Similar {
  messages: Set<string>;
  last: number;
}

export class EventCorrelator {
  private readonly buckets: Lru<Bucket>;
  private readonly similar: Lru<Similar>;

  constructor(private readonly options: CorrelatorOptions = {}) {
    this.buckets = new Lru(options.maxKeys ?? 4096);
    this.similar = new Lru(options.maxKeys ?? 4096);
  }

  correlate(e: CorrelatorInput, now: number): Correlation {
    const object = [e.component, e.host ?? '', e.target.kind ?? '', e.target.namespace ?? '', e.target.name, e.target.uid ?? '', e.target.apiVersion ?? ''];
    const aggregateKey = [...object, e.type, e.reason].join('\u0000');
    const interval = this.options.similarIntervalMs ?? 600_000;
    let record = this.similar.get(aggregateKey);
    if (!record || now - record.last > interval) record = { messages: new Set(), last: now };
    record.messages.add(e.message);
    record.last = now;
    this.similar.set(aggregateKey, record);
    const combined = record.messages.size >= (this.options.maxSimilar ?? 10);
    if (!this.allow(object.join('\u0000'), now)) return { skip: true };
    if (combined) return { skip: false, key: aggregateKey, message: COMBINED_PREFIX + e.message, combined: true };
    return { skip: false, key: `${aggregateKey}\u0000${e.message}`, message: e.message, combined: false };
  }

  /** Token bucket per object: takes a token if there is one. */
  private allow(key: string, now: number): boolean {
    const burst = this.options.spamBurst ?? 25;
    const refill = this.options.spamRefillMs ?? 300_000;
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / refill);
    bucket.at = now;
    const ok = bucket.tokens >= 1;
    if (ok) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return ok;
  }
}
