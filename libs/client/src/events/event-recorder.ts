// core/v1 Events for every component (scheduler, controllers, node agents): client-go's
// recorder in one place. Each event first goes through client-go's correlator (correlator.ts):
// similar events on one object are combined, and a token bucket per object drops spam.
// Repeats of the same event on the same object bump `count` on the existing Event (as
// client-go's correlator does) instead of creating new ones, at most once per
// `minRepeatIntervalMs` per series (the count catches up on the next write); a series older
// than `seriesWindowMs` starts a new Event. Writes run in the background with bounded
// concurrency; a bounded queue drops events rather than let them compete with the
// component's own API calls when the API is saturated.
import type { Logger } from 'pino';
import { isNotFound } from '../core/api-error';
import { BUILTIN_RESOURCES } from '../core/builtin-resources';
import { Clock, realClock } from '../core/clock';
import type { KubeClient } from '../core/kube-client';
import type { KubeObject } from '../core/types';
import { CorrelatorOptions, EventCorrelator } from './correlator';

/** The involvedObject: what the event is about. */
export interface EventTarget {
  kind?: string;
  apiVersion?: string;
  /** Undefined for cluster-scoped objects (their events go to `default`, as in Kubernetes). */
  namespace?: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
}

export const eventTargetOf = (obj: KubeObject): EventTarget => ({
  kind: obj.kind,
  apiVersion: obj.apiVersion,
  namespace: obj.metadata?.namespace,
  name: obj.metadata?.name ?? '',
  uid: obj.metadata?.uid,
  resourceVersion: obj.metadata?.resourceVersion,
});

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  client: Pick<KubeClient, 'create' | 'patch'>;
  /** source.component and reportingComponent, e.g. 'default-scheduler'. */
  component: string;
  /** reportingInstance, e.g. the process identity. */
  instance?: string;
  /** source.host: the node a node agent reports from. */
  host?: string;
  /** Similar-event aggregation and the per-object spam filter (client-go's defaults). */
  correlator?: CorrelatorOptions;
  clock?: Clock;
  /** Event writes in flight at once. Default 4. */
  concurrency?: number;
  /** Pending events beyond this are dropped. Default 1000. */
  maxPending?: number;
  /** How many (object, reason, message) series to remember for aggregation. Default 4096. */
  maxSeries?: number;
  /** A repeat within this long after the last write is only counted locally. Default 10 s. */
  minRepeatIntervalMs?: number;
  /** A repeat this long after the series began starts a new Event. Default 10 min (client-go). */
  seriesWindowMs?: number;
  logger?: Pick<Logger, 'warn' | 'debug'>;
  /** An event dropped: the queue was full, or the spam filter refused it. */
  onDropped?: (why: 'queue' | 'spam') => void;
}

interface Pending {
  key: string;
  target: EventTarget;
  type: EventType;
  reason: string;
  message: string;
  times: number;
  /** Written with the event and refreshed on each repeat (e.g. the structured diagnosis). */
  annotations?: Record<string, string>;
}

interface Series {
  name: string;
  namespace: string;
  count: number;
  /** Repeats counted since the last write. */
  unsent: number;
  lastWrite: number;
  firstWrite: number;
}

const EVENT_NAMESPACE_OF_CLUSTER_OBJECTS = 'default';

export interface EventSource {
  component: string;
  instance?: string;
  host?: string;
}

export function buildEvent(target: EventTarget, type: EventType, reason: string, message: string, source: EventSource, name: string, now: string, count = 1, annotations?: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: target.namespace ?? EVENT_NAMESPACE_OF_CLUSTER_OBJECTS, ...(annotations ? { annotations } : {}) },
    involvedObject: { kind: target.kind, apiVersion: target.apiVersion, namespace: target.namespace, name: target.name, uid: target.uid, resourceVersion: target.resourceVersion },
    reason,
    message,
    type,
    source: source.host ? { component: source.component, host: source.host } : { component: source.component },
    reportingComponent: source.component,
    reportingInstance: source.instance ?? '',
    firstTimestamp: now,
    lastTimestamp: now,
    count,
  };
}

export class EventRecorder {
  private readonly clock: Clock;
  private readonly pending: Pending[] = [];
  private readonly pendingByKey = new Map<string, Pending>();
  private readonly series = new Map<string, Series>();
  private inFlight = 0;
  private seq = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly correlator: EventCorrelator;

  constructor(private readonly options: EventRecorderOptions) {
    this.clock = options.clock ?? realClock;
    this.correlator = new EventCorrelator(options.correlator);
  }

  /** A recorder with the same settings that reports as another component. */
  forComponent(component: string): EventRecorder {
    return new EventRecorder({ ...this.options, component });
  }

  /** Records an event about an object (controllers' form of record()). */
  event(obj: KubeObject, type: EventType, reason: string, message: string, annotations?: Record<string, string>): void {
    this.record(eventTargetOf(obj), type, reason, message, annotations);
  }

  record(target: EventTarget, type: EventType, reason: string, message: string, annotations?: Record<string, string>): void {
    const verdict = this.correlator.correlate({ component: this.options.component, host: this.options.host, target, type, reason, message }, this.clock.now());
    if (verdict.skip) {
      this.options.onDropped?.('spam');
      return;
    }
    const key = verdict.key;
    message = verdict.message;
    const queued = this.pendingByKey.get(key);
    if (queued) {
      queued.times++;
      queued.message = message;
      if (annotations) queued.annotations = annotations;
      return;
    }
    const known = this.series.get(key);
    if (known && this.clock.now() - known.firstWrite >= (this.options.seriesWindowMs ?? 600_000)) this.series.delete(key);
    else if (known && this.clock.now() - known.lastWrite < (this.options.minRepeatIntervalMs ?? 10_000)) {
      known.unsent++;
      return;
    }
    if (this.pending.length >= (this.options.maxPending ?? 1000)) {
      this.options.onDropped?.('queue');
      return;
    }
    const item: Pending = { key, target, type, reason, message, times: 1, annotations };
    this.pending.push(item);
    this.pendingByKey.set(key, item);
    this.pump();
  }

  /** Resolves once nothing is queued or being written. */
  flush(): Promise<void> {
    if (this.pending.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < (this.options.concurrency ?? 4) && this.pending.length > 0) {
      const item = this.pending.shift()!;
      this.pendingByKey.delete(item.key);
      this.inFlight++;
      this.write(item)
        .catch((err) => this.options.logger?.warn({ err, reason: item.reason, object: `${item.target.namespace ?? ''}/${item.target.name}` }, 'event write failed'))
        .finally(() => {
          this.inFlight--;
          this.pump();
          if (this.pending.length === 0 && this.inFlight === 0) this.idleWaiters.splice(0).forEach((fn) => fn());
        });
    }
  }

  private async write(item: Pending): Promise<void> {
    const now = new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const known = this.series.get(item.key);
    if (known) {
      const count = known.count + known.unsent + item.times;
      try {
        // client-go's eventObserve patches count, lastTimestamp and message (a combined
        // series carries the latest message).
        const base = { count, lastTimestamp: now, message: item.message };
        const patch = item.annotations ? { ...base, metadata: { annotations: item.annotations } } : base;
        await this.options.client.patch(BUILTIN_RESOURCES.Event, known.name, patch, { namespace: known.namespace });
        known.count = count;
        known.unsent = 0;
        known.lastWrite = this.clock.now();
        this.remember(item.key, known);
        return;
      } catch (error) {
        if (!isNotFound(error)) throw error;
        this.series.delete(item.key); // the Event expired: start a new series
      }
    }
    // client-go's naming: object name + hex nanoseconds (a counter keeps same-millisecond names apart).
    const name = `${item.target.name}.${(BigInt(this.clock.now()) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16)}`;
    const event = buildEvent(item.target, item.type, item.reason, item.message, this.options, name, now, item.times, item.annotations);
    const namespace = event.metadata.namespace;
    await this.options.client.create(BUILTIN_RESOURCES.Event, event as never, { namespace });
    this.remember(item.key, { name, namespace, count: item.times, unsent: 0, lastWrite: this.clock.now(), firstWrite: this.clock.now() });
  }

  private remember(key: string, series: Series): void {
    this.series.delete(key);
    this.series.set(key, series);
    const max = this.options.maxSeries ?? 4096;
    if (this.series.size > max) this.series.delete(this.series.keys().next().value as string);
  }
}
