// Events for every controller decision, written as core/v1 Events the way client-go's
// recorder does: one object per (object, type, reason, message), its count bumped when the
// same thing happens again. Writes run in the background so reconciles never wait on them.
import { KubeObject } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, Clock, isNotFound, KubeClient, Logger } from '@coxswain/client';
import { rfc3339 } from './time';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
}

export interface RecordedEvent {
  kind?: string;
  namespace?: string;
  name?: string;
  type: EventType;
  reason: string;
  message: string;
}

/** Keeps events in memory; for tests and for running without an API. */
export class MemoryRecorder implements EventRecorder {
  readonly events: RecordedEvent[] = [];
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    this.events.push({ kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, type, reason, message });
  }
  reasons(): string[] {
    return this.events.map((e) => e.reason);
  }
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
  first: string;
  at: number;
}

const AGGREGATE_MS = 10 * 60_000;
const CACHE_LIMIT = 4096;
const BACKLOG_LIMIT = 1000;

export interface ApiRecorderOptions {
  client: Pick<KubeClient, 'create' | 'patch'>;
  /** source.component / reportingComponent, e.g. 'deployment-controller'. */
  component: string;
  instance?: string;
  clock: Clock;
  logger?: Pick<Logger, 'warn'>;
}

export class ApiEventRecorder implements EventRecorder {
  private readonly seen = new Map<string, Seen>();
  private chain: Promise<void> = Promise.resolve();
  private backlog = 0;
  private seq = 0;

  constructor(private readonly options: ApiRecorderOptions) {}

  /** A recorder for another component sharing this one's cache-less settings. */
  forComponent(component: string): ApiEventRecorder {
    return new ApiEventRecorder({ ...this.options, component });
  }

  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    if (this.backlog >= BACKLOG_LIMIT) {
      this.options.logger?.warn({ reason, object: obj.metadata.name }, 'event backlog full; dropping event');
      return;
    }
    this.backlog++;
    const at = this.options.clock.now();
    this.chain = this.chain
      .then(() => this.write(obj, type, reason, message, at))
      .catch((err) => this.options.logger?.warn({ err, reason, object: obj.metadata.name }, 'writing event failed'))
      .finally(() => {
        this.backlog--;
      });
  }

  /** Resolves once every event recorded so far has been written (or failed). */
  flush(): Promise<void> {
    return this.chain;
  }

  private async write(obj: KubeObject, type: EventType, reason: string, message: string, now: number): Promise<void> {
    const stamp = rfc3339(now);
    // Cluster-scoped objects (nodes) get their events in `default`, as Kubernetes does.
    const namespace = obj.metadata.namespace ?? 'default';
    const key = `${obj.metadata.uid ?? `${namespace}/${obj.kind}/${obj.metadata.name}`}|${type}|${reason}|${message}`;
    const previous = this.seen.get(key);
    if (previous && now - previous.at < AGGREGATE_MS) {
      previous.count++;
      previous.at = now;
      try {
        await this.options.client.patch(R.Event, previous.name, { count: previous.count, lastTimestamp: stamp }, { namespace: previous.namespace });
        return;
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    const name = `${obj.metadata.name}.${(BigInt(now) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16)}`;
    await this.options.client.create(R.Event, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      source: { component: this.options.component },
      reportingComponent: this.options.component,
      reportingInstance: this.options.instance ?? '',
    } as KubeObject);
    if (this.seen.size >= CACHE_LIMIT) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, { name, namespace, count: 1, first: stamp, at: now });
  }
}
