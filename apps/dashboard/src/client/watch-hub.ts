// Live lists in the browser: list once, then follow the API's watch through one SSE stream
// (/api/watch) shared by every list on the page. Events are applied to a Map per list and
// subscribers are told in batches, so 10,000 Pods updating stay cheap. A 410 (history gone)
// relists that one list; a dropped stream reconnects with back-off from the last versions.
import type { Obj } from '../lib/objects';
import { keyOf } from '../lib/objects';

export interface ListState {
  items: Obj[];
  status: 'loading' | 'live' | 'reconnecting' | 'error';
  error?: string;
  resourceVersion: string;
}

export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data: string }) => void): void;
  onerror: ((event: unknown) => void) | null;
  onopen: ((event: unknown) => void) | null;
  close(): void;
}

export interface HubDeps {
  list(path: string, query: string, signal?: AbortSignal): Promise<{ metadata?: { resourceVersion?: string }; items?: Obj[] }>;
  open(url: string): EventSourceLike;
  /** Batches notifications; setTimeout in the browser. */
  schedule(fn: () => void, ms: number): unknown;
  cancel(handle: unknown): void;
  /** Called when the stream keeps failing (e.g. to check whether the session expired). */
  onRepeatedFailure?(failures: number): void;
}

const EMPTY: ListState = { items: [], status: 'loading', resourceVersion: '' };

class ListStore {
  readonly objects = new Map<string, Obj>();
  readonly listeners = new Set<() => void>();
  rv = '';
  status: ListState['status'] = 'loading';
  error?: string;
  refs = 0;
  snapshot: ListState = EMPTY;
  dirty = true;
  generation = 0;
  constructor(readonly id: string, readonly path: string, readonly query: string) {}

  state(): ListState {
    if (this.dirty) {
      this.snapshot = { items: [...this.objects.values()], status: this.status, error: this.error, resourceVersion: this.rv };
      this.dirty = false;
    }
    return this.snapshot;
  }
}

export class WatchHub {
  private readonly stores = new Map<string, ListStore>();
  private nextId = 1;
  private source?: EventSourceLike;
  private reopenHandle?: unknown;
  private flushHandle?: unknown;
  private readonly pending = new Set<ListStore>();
  private failures = 0;
  private closed = false;

  constructor(private readonly deps: HubDeps, private readonly options: { batchMs?: number; debounceMs?: number } = {}) {}

  static keyFor(path: string, query: string): string {
    return `${path}?${query}`;
  }

  /** Starts (or shares) a live list; returns the unsubscribe function. */
  subscribe(path: string, query: string, listener: () => void): () => void {
    const key = WatchHub.keyFor(path, query);
    let store = this.stores.get(key);
    if (!store) {
      store = new ListStore(`w${this.nextId++}`, path, query);
      this.stores.set(key, store);
      void this.relist(store);
    }
    store.refs++;
    store.listeners.add(listener);
    const s = store;
    return () => {
      s.listeners.delete(listener);
      s.refs--;
      if (s.refs === 0) {
        this.stores.delete(key);
        this.scheduleReopen();
      }
    };
  }

  state(path: string, query: string): ListState {
    return this.stores.get(WatchHub.keyFor(path, query))?.state() ?? EMPTY;
  }

  close(): void {
    this.closed = true;
    this.source?.close();
    this.source = undefined;
    if (this.reopenHandle !== undefined) this.deps.cancel(this.reopenHandle);
    if (this.flushHandle !== undefined) this.deps.cancel(this.flushHandle);
  }

  /** The URL of the SSE stream for the current lists (exposed for tests). */
  streamUrl(): string | undefined {
    const live = [...this.stores.values()].filter((s) => s.status !== 'error' && s.status !== 'loading' && s.rv);
    if (!live.length) return undefined;
    const params = new URLSearchParams();
    for (const s of live) params.append('s', JSON.stringify({ k: s.id, p: s.path, q: s.query, rv: s.rv }));
    return `/api/watch?${params}`;
  }

  private async relist(store: ListStore): Promise<void> {
    const generation = ++store.generation;
    try {
      const list = await this.deps.list(store.path, store.query);
      if (generation !== store.generation || !this.isCurrent(store)) return;
      store.objects.clear();
      for (const item of list.items ?? []) store.objects.set(keyOf(item), item);
      store.rv = list.metadata?.resourceVersion ?? '';
      store.status = 'live';
      store.error = undefined;
    } catch (error) {
      if (generation !== store.generation || !this.isCurrent(store)) return;
      store.status = 'error';
      store.error = (error as Error).message;
    }
    this.markChanged(store, true);
    this.scheduleReopen();
  }

  private isCurrent(store: ListStore): boolean {
    return this.stores.get(WatchHub.keyFor(store.path, store.query)) === store;
  }

  private scheduleReopen(delay = this.options.debounceMs ?? 30): void {
    if (this.closed) return;
    if (this.reopenHandle !== undefined) this.deps.cancel(this.reopenHandle);
    this.reopenHandle = this.deps.schedule(() => {
      this.reopenHandle = undefined;
      this.reopen();
    }, delay);
  }

  private reopen(): void {
    this.source?.close();
    this.source = undefined;
    const url = this.streamUrl();
    if (!url || this.closed) return;
    const source = this.deps.open(url);
    this.source = source;
    const byId = new Map([...this.stores.values()].map((s) => [s.id, s]));
    for (const id of new URLSearchParams(url.split('?')[1]).getAll('s').map((s) => (JSON.parse(s) as { k: string }).k)) {
      source.addEventListener(id, (event) => {
        const store = byId.get(id);
        if (store && this.isCurrent(store) && this.source === source) this.apply(store, event.data);
      });
    }
    source.onopen = () => {
      this.failures = 0;
      for (const s of this.stores.values()) {
        if (s.status === 'reconnecting') {
          s.status = 'live';
          this.markChanged(s, true);
        }
      }
    };
    source.onerror = () => {
      if (this.source !== source) return;
      source.close();
      this.source = undefined;
      this.failures++;
      if (this.failures >= 3) this.deps.onRepeatedFailure?.(this.failures);
      for (const s of this.stores.values()) {
        if (s.status === 'live') {
          s.status = 'reconnecting';
          this.markChanged(s, true);
        }
      }
      this.scheduleReopen(Math.min(10_000, 500 * 2 ** Math.min(this.failures, 5)));
    };
  }

  /** Applies one watch event line to its list. */
  apply(store: ListStore, data: string): void {
    let event: { type: string; object: Obj };
    try {
      event = JSON.parse(data);
    } catch {
      return;
    }
    const rv = event.object?.metadata?.resourceVersion;
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
        store.objects.set(keyOf(event.object), event.object);
        break;
      case 'DELETED':
        store.objects.delete(keyOf(event.object));
        break;
      case 'BOOKMARK':
        if (rv) store.rv = rv;
        return;
      case 'ERROR': {
        const status = event.object as { code?: number; message?: string };
        if (status.code === 410) {
          store.status = 'loading';
          void this.relist(store);
        } else {
          store.status = 'error';
          store.error = status.message ?? `watch failed (${status.code ?? 'unknown'})`;
          this.markChanged(store, true);
          this.scheduleReopen();
        }
        return;
      }
      default:
        return;
    }
    if (rv) store.rv = rv;
    this.markChanged(store, false);
  }

  private markChanged(store: ListStore, now: boolean): void {
    store.dirty = true;
    this.pending.add(store);
    if (now) return this.flush();
    if (this.flushHandle === undefined) this.flushHandle = this.deps.schedule(() => this.flush(), this.options.batchMs ?? 100);
  }

  private flush(): void {
    if (this.flushHandle !== undefined) {
      this.deps.cancel(this.flushHandle);
      this.flushHandle = undefined;
    }
    const stores = [...this.pending];
    this.pending.clear();
    for (const s of stores) for (const l of [...s.listeners]) l();
  }
}

/** The browser's hub dependencies; a stream that keeps failing because the session ended sends the user to log in. */
export function browserHubDeps(list: HubDeps['list'], onLoggedOut: () => void): HubDeps {
  return {
    list,
    open: (url) => new EventSource(url) as unknown as EventSourceLike,
    schedule: (fn, ms) => setTimeout(fn, ms),
    cancel: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    onRepeatedFailure: () => {
      void fetch('/api/session')
        .then((r) => r.json() as Promise<{ authenticated?: boolean }>)
        .then((s) => {
          if (s.authenticated === false) onLoggedOut();
        })
        .catch(() => undefined);
    },
  };
}
