// A watch cache in front of etcd (Kubernetes' cacher, simplified): per resource one list +
// watch keeps every object in memory, so gets and lists (with selectors and paging) never scan
// etcd. Writes go straight to etcd; a read waits until the cache has caught up with the last
// write this server made, so clients always read their own writes. A get the cache cannot
// answer for sure — a miss, or a revision the client saw elsewhere — is read from etcd.
import { KubeObject } from '@coxswain/api';
import { collectionPrefix, decodeContinue, encodeContinue, objectKey } from './keys';
import { currentRevisionOf, GetOptions, ListOptions, ListResult, ObjectStore, StoredResource, WatchCallbacks, WatchHandle, WatchOptions } from './object-store';
import type { PeerWrites } from '../workers/write-relay';
import { Scope, WatchFanout } from './watch-fanout';

interface ResourceCache {
  objects: Map<string, KubeObject>;
  /** Sorted keys, rebuilt lazily after changes (lists are key-ordered like etcd). */
  sorted?: string[];
  revision: number;
  ready: Promise<void>;
  handle?: WatchHandle;
  waiters: Array<{ revision: number; resolve: () => void }>;
  failed?: Error;
  /** Recent events and the `?watch` requests served from this cache (watch-fanout.ts). */
  fanout?: WatchFanout;
}

const cacheKey = (r: StoredResource) => `${r.group}/${r.plural}`;
const CATCH_UP_TIMEOUT_MS = 5000;
/** Back-off between attempts to rebuild a cache whose list or watch failed. */
const REFILL_DELAYS_MS = [250, 1000, 2000, 5000, 10_000, 30_000];

export class CachedObjectStore implements ObjectStore {
  private readonly caches = new Map<string, ResourceCache>();
  /** Highest revision this server wrote, per resource. */
  private readonly written = new Map<string, number>();
  /** Caches whose last fill failed, with the error and the attempt count (for readyz and back-off). */
  private readonly failing = new Map<string, { error: Error; attempts: number; timer?: NodeJS.Timeout }>();
  private closed = false;

  /**
   * `peers`: the other workers of this API server (workers/write-relay.ts). A write is
   * answered once they all know its revision, so their reads wait for it too.
   */
  constructor(
    private readonly etcd: ObjectStore,
    private readonly peers?: PeerWrites,
  ) {
    peers?.onPeerWrite((id, revision) => this.noteRevision(id, revision));
  }

  /**
   * Why the cache cannot serve, for readyz: one line per resource whose list or watch failed
   * and has not been rebuilt yet; empty when every cache in use is synced.
   */
  unsynced(): string[] {
    return [...this.failing].map(([id, { error }]) => `${id}: ${error.message}`);
  }

  checkRevision(revision: number): Promise<void> {
    return this.etcd.checkRevision(revision);
  }

  private cache(resource: StoredResource): ResourceCache {
    const id = cacheKey(resource);
    let cache = this.caches.get(id);
    if (!cache) {
      const created: ResourceCache = { objects: new Map(), revision: 0, waiters: [], ready: Promise.resolve() };
      created.ready = this.fill(resource, created).then(
        () => this.recovered(id),
        (error: Error) => {
          // A failed first list (etcd down) must not stick: drop the cache so the next read
          // tries again, and rebuild it in the background so readyz recovers on its own.
          if (this.caches.get(id) === created) this.caches.delete(id);
          this.failed(resource, error);
          throw error;
        },
      );
      this.caches.set(id, created);
      cache = created;
    }
    return cache;
  }

  private async fill(resource: StoredResource, cache: ResourceCache): Promise<void> {
    const list = await this.etcd.list(resource, {});
    for (const obj of list.items) cache.objects.set(objectKey(resource, obj.metadata.namespace, obj.metadata.name!), obj);
    cache.revision = Number(list.resourceVersion);
    const fanout = new WatchFanout(cache.revision);
    // The cache holds every object, so etcd need not send (nor this process decode) the
    // previous value with each event.
    cache.handle = await this.etcd.watch(resource, { afterRevision: cache.revision, previousOf: (key) => cache.objects.get(key) }, {
      onEvent: (event) => {
        const key = objectKey(resource, event.object.metadata.namespace, event.object.metadata.name!);
        if (event.type === 'DELETED') cache.objects.delete(key);
        else {
          if (!cache.objects.has(key)) cache.sorted = undefined;
          cache.objects.set(key, event.object);
        }
        if (event.type === 'DELETED') cache.sorted = undefined;
        this.advance(cache, event.revision);
        fanout.publish(key, event);
      },
      onError: (error) => {
        // Lost the stream (compaction, etcd restart): rebuild from scratch; the watches it
        // served carry on from etcd where it stopped.
        cache.failed = error;
        this.caches.delete(cacheKey(resource));
        for (const waiter of cache.waiters.splice(0)) waiter.resolve();
        fanout.fail(cache.revision);
        this.failed(resource, error);
      },
    });
    cache.fanout = fanout;
  }

  private failed(resource: StoredResource, error: Error): void {
    const id = cacheKey(resource);
    const previous = this.failing.get(id);
    if (previous?.timer || this.closed) return;
    const attempts = (previous?.attempts ?? 0) + 1;
    const delay = REFILL_DELAYS_MS[Math.min(attempts - 1, REFILL_DELAYS_MS.length - 1)];
    const entry: { error: Error; attempts: number; timer?: NodeJS.Timeout } = { error, attempts };
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      if (!this.closed) this.cache(resource).ready.catch(() => undefined);
    }, delay);
    entry.timer.unref();
    this.failing.set(id, entry);
  }

  private recovered(id: string): void {
    const entry = this.failing.get(id);
    if (entry?.timer) clearTimeout(entry.timer);
    this.failing.delete(id);
  }

  private advance(cache: ResourceCache, revision: number): void {
    if (revision > cache.revision) cache.revision = revision;
    cache.waiters = cache.waiters.filter((w) => {
      if (w.revision > cache.revision) return true;
      w.resolve();
      return false;
    });
  }

  /** The cache once filled, possibly behind this server's latest writes. */
  private async ready(resource: StoredResource): Promise<ResourceCache> {
    const cache = this.cache(resource);
    await cache.ready;
    return cache;
  }

  /** The cache, caught up with this server's own writes. */
  private async fresh(resource: StoredResource): Promise<ResourceCache> {
    const cache = await this.ready(resource);
    const wanted = this.written.get(cacheKey(resource)) ?? 0;
    if (cache.revision < wanted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, CATCH_UP_TIMEOUT_MS);
        cache.waiters.push({ revision: wanted, resolve: () => { clearTimeout(timer); resolve(); } });
      });
    }
    if (cache.failed) return this.fresh(resource);
    return cache;
  }

  private noteRevision(id: string, revision: number): void {
    if (revision > (this.written.get(id) ?? 0)) this.written.set(id, revision);
  }

  private async noteWrite(resource: StoredResource, obj: KubeObject): Promise<KubeObject> {
    const revision = Number(obj.metadata.resourceVersion);
    const id = cacheKey(resource);
    this.noteRevision(id, revision);
    if (this.peers) await this.peers.publish(id, revision);
    return obj;
  }

  async get(resource: StoredResource, namespace: string | undefined, name: string, options: GetOptions = {}): Promise<KubeObject | undefined> {
    const cache = options.allowStale ? await this.ready(resource) : await this.fresh(resource);
    const obj = cache.objects.get(objectKey(resource, namespace, name));
    if (obj && !(options.minRevision !== undefined && options.minRevision > cache.revision)) return obj;
    // Not sure: the object may have been written through another worker (or server) and shown
    // to the client by a watch there before this cache heard of it. A 404 must be true (the
    // scheduler drops a pod whose bind says NotFound), so etcd answers.
    return this.etcd.get(resource, namespace, name);
  }

  async list(resource: StoredResource, options: ListOptions = {}): Promise<ListResult> {
    const cache = await this.fresh(resource);
    const prefix = collectionPrefix(resource, options.namespace);
    cache.sorted ??= [...cache.objects.keys()].sort();
    let start = prefix;
    if (options.continueToken) start = decodeContinue(options.continueToken, prefix).start;
    const keys = cache.sorted;
    let i = lowerBound(keys, start);
    const items: KubeObject[] = [];
    const limit = options.limit && options.limit > 0 ? options.limit : undefined;
    let next: string | undefined;
    for (; i < keys.length && keys[i].startsWith(prefix); i++) {
      const obj = cache.objects.get(keys[i]);
      if (!obj || (options.predicate && !options.predicate(obj))) continue;
      if (limit && items.length === limit) {
        next = keys[i];
        break;
      }
      items.push(obj);
    }
    const result: ListResult = { items, resourceVersion: String(cache.revision) };
    if (next) result.continue = encodeContinue({ rev: cache.revision, start: next });
    return result;
  }

  async create(resource: StoredResource, obj: KubeObject): Promise<KubeObject> {
    return this.noteWrite(resource, await this.etcd.create(resource, obj));
  }

  async update(resource: StoredResource, obj: KubeObject, expectedRevision?: number): Promise<KubeObject> {
    return this.noteWrite(resource, await this.guarded(resource, () => this.etcd.update(resource, obj, expectedRevision)));
  }

  async delete(resource: StoredResource, namespace: string | undefined, name: string, expectedRevision?: number): Promise<KubeObject> {
    return this.noteWrite(resource, await this.guarded(resource, () => this.etcd.delete(resource, namespace, name, expectedRevision)));
  }

  /** A conflict names the key's current revision: the caller's retry reads at least that fresh. */
  private async guarded(resource: StoredResource, write: () => Promise<KubeObject>): Promise<KubeObject> {
    try {
      return await write();
    } catch (error) {
      const current = currentRevisionOf(error);
      if (current !== undefined) this.noteRevision(cacheKey(resource), current);
      throw error;
    }
  }

  /**
   * Served from the cache's event fan-out when its history reaches back to `afterRevision`;
   * otherwise (or when the cache cannot be built) from a watch of its own on etcd.
   */
  async watch(resource: StoredResource, options: WatchOptions, callbacks: WatchCallbacks): Promise<WatchHandle> {
    const cache = await this.ready(resource).catch(() => undefined);
    const fanout = cache?.fanout;
    if (!cache || !fanout || cache.failed || !fanout.covers(options.afterRevision)) return this.etcd.watch(resource, options, callbacks);
    const scope: Scope = options.name ? { prefix: objectKey(resource, options.namespace, options.name), exact: true } : { prefix: collectionPrefix(resource, options.namespace), exact: false };
    let stopped = false;
    let current: WatchHandle;
    const onEtcd = (from: number) => {
      if (stopped) return;
      this.etcd.watch(resource, { ...options, afterRevision: from }, callbacks).then(
        (handle) => (stopped ? void handle.stop() : (current = handle)),
        (error: Error) => callbacks.onError(error),
      );
    };
    current = fanout.subscribe(scope, options.afterRevision, callbacks, () => cache.revision, onEtcd);
    return {
      lastRevision: () => current.lastRevision(),
      stop: async () => {
        stopped = true;
        await current.stop();
      },
    };
  }

  /** `?watch` requests served from caches now (for metrics and tests). */
  cacheWatchers(): number {
    let n = 0;
    for (const cache of this.caches.values()) n += cache.fanout?.watchers ?? 0;
    return n;
  }

  currentRevision(): Promise<number> {
    return this.etcd.currentRevision();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.failing.values()) if (entry.timer) clearTimeout(entry.timer);
    this.failing.clear();
    for (const cache of this.caches.values()) await cache.handle?.stop();
    this.caches.clear();
    await this.etcd.close();
  }
}

function lowerBound(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
