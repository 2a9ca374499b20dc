import type { Logger } from 'pino';
import { isGone } from '../core/api-error';
import { Clock, realClock, sleep } from '../core/clock';
import { KubeClient } from '../core/kube-client';
import { ResourceDescriptor } from '../core/resource';
import { SelectorInput } from '../core/selectors';
import { KubeObject, objectKey, WatchEvent } from '../core/types';
import { IndexedStore, IndexFunc } from './indexed-store';

export interface InformerHandlers<T> {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  /** Receives the last state seen (from the DELETED event, or the cache after a relist). */
  onDelete?(obj: T): void;
}

export interface InformerOptions<T extends KubeObject> {
  client: KubeClient;
  resource: ResourceDescriptor;
  /** Omit for all namespaces. */
  namespace?: string;
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
  /** Secondary indexes, e.g. { nodeName: (pod) => [pod.spec.nodeName] }. A 'namespace' index is built in. */
  indexers?: Record<string, IndexFunc<T>>;
  clock?: Clock;
  /** Reconnect back-off after failures: initial doubles up to max. Defaults 200 ms → 30 s. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** List page size. Default 500. */
  pageSize?: number;
  /** Ask the server to end each watch after this long (then resume). Default 300–600 s, randomized. */
  watchTimeoutSeconds?: number;
  /** Re-deliver every cached object as onUpdate(obj, obj) this often; 0 (default) = never. */
  resyncMs?: number;
  logger?: Pick<Logger, 'warn' | 'debug'>;
}

/** A watch that ends within this time without any event counts as a failure for back-off. */
const MIN_HEALTHY_WATCH_MS = 1000;

/**
 * List + watch cache for one resource (client-go's shared informer, minus sharing): lists
 * once, then watches from the list's resourceVersion; resumes from the last version seen
 * (events and bookmarks) when a watch ends; relists on 410 Expired; reconnects with
 * exponential back-off on errors. Handlers run synchronously in event order; keep them
 * cheap (enqueue a key).
 */
export class Informer<T extends KubeObject = KubeObject> {
  readonly store: IndexedStore<T>;
  private readonly handlers = new Set<InformerHandlers<T>>();
  private readonly clock: Clock;
  private readonly controller = new AbortController();
  private resourceVersion?: string;
  private synced = false;
  private running?: Promise<void>;
  private resyncTimer?: ReturnType<Clock['setTimeout']>;
  private readonly syncWaiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];

  constructor(private readonly options: InformerOptions<T>) {
    this.store = new IndexedStore<T>(options.indexers);
    this.clock = options.clock ?? realClock;
  }

  /** Subscribes; objects already cached are delivered as adds. Returns an unsubscribe function. */
  addEventHandler(handlers: InformerHandlers<T>): () => void {
    this.handlers.add(handlers);
    if (this.synced) for (const obj of this.store.list()) this.call(handlers, 'onAdd', obj);
    return () => this.handlers.delete(handlers);
  }

  /** Starts listing and watching in the background (idempotent). */
  start(): this {
    this.running ??= this.run();
    return this;
  }

  /** True once the first list has been applied to the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves after the first successful list; rejects if the informer stops first. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (this.controller.signal.aborted) return Promise.reject(new Error('informer stopped before it synced'));
    return new Promise((resolve, reject) => this.syncWaiters.push({ resolve, reject }));
  }

  /** The resourceVersion the next watch resumes from. */
  lastSyncResourceVersion(): string | undefined {
    return this.resourceVersion;
  }

  /** Ends the watch and the loop; the cache stays readable. */
  async stop(): Promise<void> {
    this.controller.abort(new Error('informer stopped'));
    if (this.resyncTimer) this.clock.clearTimeout(this.resyncTimer);
    this.syncWaiters.splice(0).forEach((w) => w.reject(new Error('informer stopped before it synced')));
    await this.running;
  }

  private get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  private async run(): Promise<void> {
    const { initialMs = 200, maxMs = 30_000 } = this.options.backoff ?? {};
    let needList = true;
    let failures = 0;
    this.scheduleResync();
    while (!this.stopped) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
        }
        const healthy = await this.watchOnce();
        failures = healthy ? 0 : failures + 1;
      } catch (error) {
        if (this.stopped) break;
        if (isGone(error)) {
          // History we need is compacted away: only a fresh list can tell what changed.
          this.options.logger?.debug({ resource: this.options.resource.plural, rv: this.resourceVersion }, 'watch expired; relisting');
          needList = true;
          continue;
        }
        failures++;
        this.options.logger?.warn({ resource: this.options.resource.plural, err: error, failures }, needList ? 'list failed' : 'watch failed');
      }
      if (failures > 0 && !this.stopped) {
        await sleep(this.clock, Math.min(maxMs, initialMs * 2 ** (failures - 1)), this.controller.signal).catch(() => undefined);
      }
    }
  }

  /** Lists everything and reconciles the cache with it, emitting the differences. */
  private async relist(): Promise<void> {
    const { client, resource, namespace, labelSelector, fieldSelector, pageSize } = this.options;
    const list = await client.listAll<T>(resource, { namespace, labelSelector, fieldSelector, pageSize, signal: this.controller.signal });
    if (this.stopped) return;
    const seen = new Set<string>();
    for (const obj of list.items) {
      const key = objectKey(obj);
      seen.add(key);
      const old = this.store.upsert(obj);
      if (!old) this.emit('onAdd', obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.emit('onUpdate', old, obj);
    }
    for (const key of this.store.keys()) {
      if (seen.has(key)) continue;
      const gone = this.store.remove(key);
      if (gone) this.emit('onDelete', gone);
    }
    this.resourceVersion = list.metadata.resourceVersion;
    if (!this.synced) {
      this.synced = true;
      this.syncWaiters.splice(0).forEach((w) => w.resolve());
    }
  }

  /** Runs one watch to its end; returns whether it was healthy (delivered events or lasted). */
  private async watchOnce(): Promise<boolean> {
    const { client, resource, namespace, labelSelector, fieldSelector } = this.options;
    const started = this.clock.now();
    const watch = await client.watch<T>(resource, {
      namespace,
      labelSelector,
      fieldSelector,
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: this.options.watchTimeoutSeconds ?? Math.floor(300 + Math.random() * 300),
      signal: this.controller.signal,
    });
    let events = 0;
    for await (const event of watch) {
      events++;
      this.apply(event);
    }
    return events > 0 || this.clock.now() - started >= MIN_HEALTHY_WATCH_MS;
  }

  private apply(event: WatchEvent<T>): void {
    const rv = event.object.metadata?.resourceVersion;
    if (event.type === 'BOOKMARK') {
      if (rv) this.resourceVersion = rv;
      return;
    }
    if (event.type === 'DELETED') {
      this.store.remove(objectKey(event.object));
      this.emit('onDelete', event.object);
    } else {
      const old = this.store.upsert(event.object);
      if (old) this.emit('onUpdate', old, event.object);
      else this.emit('onAdd', event.object);
    }
    if (rv) this.resourceVersion = rv;
  }

  private scheduleResync(): void {
    const every = this.options.resyncMs ?? 0;
    if (every <= 0 || this.stopped) return;
    this.resyncTimer = this.clock.setTimeout(() => {
      if (this.synced) for (const obj of this.store.list()) this.emit('onUpdate', obj, obj);
      this.scheduleResync();
    }, every);
  }

  private emit(kind: 'onAdd' | 'onDelete', obj: T): void;
  private emit(kind: 'onUpdate', oldObj: T, newObj: T): void;
  private emit(kind: keyof InformerHandlers<T>, a: T, b?: T): void {
    for (const handlers of this.handlers) this.call(handlers, kind, a, b);
  }

  /** A throwing handler is logged and skipped so it cannot stall the cache or other handlers. */
  private call(handlers: InformerHandlers<T>, kind: keyof InformerHandlers<T>, a: T, b?: T): void {
    try {
      if (kind === 'onUpdate') handlers.onUpdate?.(a, b as T);
      else handlers[kind]?.(a);
    } catch (error) {
      this.options.logger?.warn({ resource: this.options.resource.plural, handler: kind, err: error }, 'informer event handler threw');
    }
  }
}
