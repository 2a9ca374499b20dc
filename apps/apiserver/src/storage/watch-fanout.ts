// Watch fan-out from the watch cache (Kubernetes' cacher, simplified): the cache's one etcd
// watch per resource feeds every `?watch` on that resource. Each event is decoded once (by
// the cache) and offered to every watcher whose scope (namespace, name) it falls in; a bounded
// history of recent events lets a watch resume from a resourceVersion without etcd. A watch
// from before the history falls back to its own etcd watch (410 there when compacted).
import { StoreEvent, WatchCallbacks, WatchHandle } from './object-store';

/** Events kept per resource for resuming watches (Kubernetes sizes its window similarly). */
export const HISTORY_EVENTS = 1000;

export interface KeyedEvent {
  key: string;
  event: StoreEvent;
}

export interface Scope {
  /** Key prefix of the watched collection (etcd layout), or the object's exact key. */
  prefix: string;
  exact: boolean;
}

const inScope = (scope: Scope, key: string) => (scope.exact ? key === scope.prefix : key.startsWith(scope.prefix));

interface Subscriber {
  scope: Scope;
  after: number;
  callbacks: WatchCallbacks;
  /** The cache lost its etcd watch; every event through `revision` was offered. */
  lost(revision: number): void;
}

/** One resource's recent events and live watchers. Pure bookkeeping: no I/O. */
export class WatchFanout {
  private readonly history: KeyedEvent[] = [];
  private readonly subscribers = new Set<Subscriber>();

  /** `complete`: the history holds every event with a revision above this (the fill's list revision at first). */
  constructor(
    private complete: number,
    private readonly capacity = HISTORY_EVENTS,
  ) {}

  get watchers(): number {
    return this.subscribers.size;
  }

  /** Can a watch resume after `revision` from here? */
  covers(revision: number): boolean {
    return revision >= this.complete;
  }

  /** Records an event and hands it to every watcher it concerns, in revision order. */
  publish(key: string, event: StoreEvent): void {
    this.history.push({ key, event });
    if (this.history.length > this.capacity) this.complete = this.history.shift()!.event.revision;
    for (const s of this.subscribers) {
      if (event.revision > s.after && inScope(s.scope, key)) s.callbacks.onEvent(event);
    }
  }

  /**
   * Replays the history after `after` and subscribes, in one step (no event can fall in
   * between). `revision()` is the cache's current revision, for bookmarks.
   */
  subscribe(scope: Scope, after: number, callbacks: WatchCallbacks, revision: () => number, lost: (revision: number) => void): WatchHandle {
    const subscriber: Subscriber = { scope, after, callbacks, lost };
    for (const { key, event } of this.history) {
      if (event.revision > after && inScope(scope, key)) callbacks.onEvent(event);
    }
    this.subscribers.add(subscriber);
    return {
      lastRevision: () => Math.max(after, revision()),
      stop: async () => {
        this.subscribers.delete(subscriber);
      },
    };
  }

  /** The cache lost its etcd watch at `revision`: every watcher is told, to carry on from etcd. */
  fail(revision: number): void {
    const all = [...this.subscribers];
    this.subscribers.clear();
    for (const s of all) s.lost(Math.max(s.after, revision));
  }
}
