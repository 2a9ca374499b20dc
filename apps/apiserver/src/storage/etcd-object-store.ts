// ObjectStore on etcd. Objects are stored as JSON without their resourceVersion; reads stamp
// resourceVersion = the key's mod revision. All calls go through the hand-written gRPC client in
// ./etcd-kv (a third of etcd3's CPU per call, and none of its 10 MB of protobuf machinery).
import { alreadyExists, KubeObject, notFound, qualifiedResource, serverTimeout, staleConflict } from '@coxswain/api';
import { collectionPrefix, decodeContinue, encodeContinue, objectKey, prefixEnd } from './keys';
import { Compare, EtcdKvClient, EtcdWatch, EtcdWatchClient, WatchEvent } from './etcd-kv';
import { markStaleAtRest, TransformerLookup, ValueTransformer } from './encryption';
import { CompactedError, ListOptions, withCurrentRevision, ListResult, ObjectStore, StoredResource, WatchCallbacks, WatchHandle, WatchOptions } from './object-store';

export type EtcdObserver = (operation: string, resource: string, seconds: number) => void;

export interface EtcdObjectStoreOptions {
  endpoints: string[];
  /** Called with the duration of every etcd request, for metrics. */
  observe?: EtcdObserver;
  /** Page size used when scanning etcd for a list. */
  scanPage?: number;
  /** Encryption at rest per resource (`secrets`, `deployments.apps`), from --encryption-provider-config. */
  transformers?: TransformerLookup;
}

const encode = (obj: KubeObject, key: string, transformer?: ValueTransformer): string | Buffer => {
  const { resourceVersion: _rv, ...metadata } = obj.metadata ?? {};  
  const text = JSON.stringify({ ...obj, metadata });
  return transformer ? transformer.toStorage(Buffer.from(text), key) : text;
};

/** A stored key-value pair as either client delivers it. */
interface StoredKeyValue {
  key: Buffer;
  value: Buffer;
  mod_revision: string | number;
}

function decode(kv: StoredKeyValue, revision?: string | number, transformer?: ValueTransformer): KubeObject {
  const read = transformer ? transformer.fromStorage(kv.value, kv.key.toString('utf8')) : { plain: kv.value, stale: false };
  const obj = JSON.parse(read.plain.toString('utf8')) as KubeObject;
  if (read.stale) markStaleAtRest(obj);
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(revision ?? kv.mod_revision) };
  return obj;
}

const REVISION_PROBE = '/registry/__revision_probe__';

/** An update or delete applies at the revision the caller read, or to whatever exists. */
const guardOf = (key: string, expectedRevision: number | undefined): Compare =>
  expectedRevision !== undefined ? { key, target: 'Mod', result: '==', value: expectedRevision } : { key, target: 'Create', result: '>', value: 0 };

const isCompacted = (error: unknown) => /compacted/i.test(String((error as Error)?.message ?? error));

/**
 * etcd failures that say "not now" rather than "no": a member lost, a leader election, a request
 * that timed out inside etcd, no endpoint reachable. Answered as 500 ServerTimeout with
 * Retry-After (Kubernetes' storage errors do the same for an unreachable store).
 */
export const isTransientEtcdError = (error: unknown): boolean =>
  /etcdserver: (request timed out|leader changed|no leader|too many requests)|\b(14 UNAVAILABLE|4 DEADLINE_EXCEEDED)\b|No connections available|ECONNREFUSED/.test(String((error as Error)?.message ?? error));

export class EtcdObjectStore implements ObjectStore {
  /** KV and maintenance calls (the compactor and the Service allocators use it too). */
  readonly kv: EtcdKvClient;
  private readonly watches: EtcdWatchClient;
  private readonly observe: EtcdObserver;
  private readonly scanPage: number;
  private readonly transformers?: TransformerLookup;

  constructor(options: EtcdObjectStoreOptions) {
    this.kv = new EtcdKvClient(options.endpoints);
    this.watches = new EtcdWatchClient(options.endpoints);
    this.observe = options.observe ?? (() => undefined);
    this.scanPage = options.scanPage ?? 1000;
    this.transformers = options.transformers;
  }

  private transformerFor(resource: StoredResource): ValueTransformer | undefined {
    // Called for every object read and every watch event: without encryption, no lookup.
    return this.transformers?.(qualifiedResource(resource));
  }

  private async timed<T>(operation: string, resource: StoredResource, work: () => Promise<T>): Promise<T> {
    const start = process.hrtime.bigint();
    try {
      return await work();
    } catch (error) {
      if (isTransientEtcdError(error)) throw serverTimeout(qualifiedResource(resource), operation, 2);
      throw error;
    } finally {
      this.observe(operation, qualifiedResource(resource), Number(process.hrtime.bigint() - start) / 1e9);
    }
  }

  async get(resource: StoredResource, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const response = await this.timed('get', resource, () => this.kv.range({ key: objectKey(resource, namespace, name) }));
    return response.kvs.length ? decode(response.kvs[0], undefined, this.transformerFor(resource)) : undefined;
  }

  async list(resource: StoredResource, options: ListOptions = {}): Promise<ListResult> {
    const prefix = collectionPrefix(resource, options.namespace);
    const end = prefixEnd(prefix);
    let start = prefix;
    let revision: number | undefined;
    if (options.continueToken) {
      const token = decodeContinue(options.continueToken, prefix);
      start = token.start;
      revision = token.rev;
    }
    const limit = options.limit && options.limit > 0 ? options.limit : undefined;
    const pageSize = limit && !options.predicate ? Math.min(limit, this.scanPage) : this.scanPage;
    const items: KubeObject[] = [];
    let nextKey: string | undefined;
    scan: for (;;) {
      const request = { key: start, rangeEnd: end, limit: pageSize + 1, revision };
      let response;
      try {
        response = await this.timed('list', resource, () => this.kv.range(request));
      } catch (error) {
        if (isCompacted(error)) throw new CompactedError(revision ?? 0);
        throw error;
      }
      revision ??= response.revision;
      const kvs = response.kvs;
      const more = kvs.length > pageSize;
      const page = more ? kvs.slice(0, pageSize) : kvs;
      for (let i = 0; i < page.length; i++) {
        const obj = decode(page[i], undefined, this.transformerFor(resource));
        if (options.predicate && !options.predicate(obj)) continue;
        items.push(obj);
        if (limit && items.length === limit) {
          const next = i + 1 < page.length ? page[i + 1] : more ? kvs[pageSize] : undefined;
          if (next) nextKey = next.key.toString('utf8');
          break scan;
        }
      }
      if (!more) break;
      start = kvs[pageSize].key.toString('utf8');
    }
    const result: ListResult = { items, resourceVersion: String(revision) };
    if (nextKey) result.continue = encodeContinue({ rev: revision!, start: nextKey });
    return result;
  }

  async create(resource: StoredResource, obj: KubeObject): Promise<KubeObject> {
    const key = objectKey(resource, obj.metadata.namespace, obj.metadata.name!);
    const value = encode(obj, key, this.transformerFor(resource));
    const response = await this.timed('create', resource, () => this.kv.txn({ compare: [{ key, target: 'Create', result: '==', value: 0 }], success: [{ put: { key, value } }] }));
    if (!response.succeeded) throw alreadyExists({ resource: qualifiedResource(resource), name: obj.metadata.name, group: resource.group || undefined });
    return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(response.revision) } };
  }

  async update(resource: StoredResource, obj: KubeObject, expectedRevision?: number): Promise<KubeObject> {
    const key = objectKey(resource, obj.metadata.namespace, obj.metadata.name!);
    const value = encode(obj, key, this.transformerFor(resource));
    const response = await this.timed('update', resource, () => this.kv.txn({ compare: [guardOf(key, expectedRevision)], success: [{ put: { key, value } }], failure: [{ range: { key } }] }));
    if (!response.succeeded) throw this.missOrConflict(resource, obj.metadata.name!, response.responses[0]?.range?.kvs[0]);
    return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(response.revision) } };
  }

  async delete(resource: StoredResource, namespace: string | undefined, name: string, expectedRevision?: number): Promise<KubeObject> {
    const key = objectKey(resource, namespace, name);
    const response = await this.timed('delete', resource, () => this.kv.txn({ compare: [guardOf(key, expectedRevision)], success: [{ range: { key } }, { deleteRange: { key } }], failure: [{ range: { key } }] }));
    const kvs = response.responses[0]?.range?.kvs ?? [];
    if (!response.succeeded) throw this.missOrConflict(resource, name, kvs[0]);
    return decode(kvs[0], response.revision, this.transformerFor(resource));
  }

  private missOrConflict(resource: StoredResource, name: string, current: { mod_revision: number } | undefined): Error {
    const ref = { resource: qualifiedResource(resource), name, group: resource.group || undefined };
    return current ? withCurrentRevision(staleConflict(ref), Number(current.mod_revision)) : notFound(ref);
  }

  /**
   * Watches from a revision, one etcd watch stream per call. A stream lost for any reason but
   * compaction (a member gone, a connection reset) is opened again from the last revision it
   * delivered, so callers see one unbroken stream. etcd refusing a compacted start revision
   * reaches the caller as CompactedError, thrown or through onError.
   */
  async watch(resource: StoredResource, options: WatchOptions, callbacks: WatchCallbacks): Promise<WatchHandle> {
    let last = options.afterRevision;
    let stopped = false;
    let current: EtcdWatch | undefined;
    let failures = 0;
    const known = options.previousOf;
    const key = options.name ? objectKey(resource, options.namespace, options.name) : collectionPrefix(resource, options.namespace);
    const deliver = (events: WatchEvent[]) => {
      const transformer = this.transformerFor(resource);
      for (const { type: etcdType, kv, prevKv } of events) {
        const revision = kv.mod_revision;
        if (revision <= last) continue; // replayed after a re-open
        last = revision;
        if (etcdType === 'PUT') {
          const type = kv.create_revision === kv.mod_revision ? 'ADDED' : 'MODIFIED';
          const before = type !== 'MODIFIED' ? undefined : known ? known(kv.key.toString('utf8')) : prevKv && decode(prevKv, undefined, transformer);
          callbacks.onEvent({ type, object: decode(kv, undefined, transformer), previous: before, revision });
          continue;
        }
        const gone = known ? known(kv.key.toString('utf8')) : undefined;
        // The last state, stamped with the deletion's revision (as Kubernetes sends it).
        if (gone) callbacks.onEvent({ type: 'DELETED', object: { ...gone, metadata: { ...gone.metadata, resourceVersion: String(revision) } }, revision });
        else if (prevKv) callbacks.onEvent({ type: 'DELETED', object: decode(prevKv, revision, transformer), revision });
        // (History without the previous value cannot be rendered.)
      }
    };
    // Each open is a generation: only the newest delivers (events can arrive before the open's
    // promise settles, in the same read as etcd's "created").
    let generation = 0;
    const attach = async (): Promise<void> => {
      const mine = ++generation;
      const watch = await this.watches.watch(
        { key, rangeEnd: options.name ? undefined : prefixEnd(key), startRevision: last + 1, prevKv: !known, progressNotify: true },
        {
          onEvents: (events) => {
            if (!stopped && generation === mine) deliver(events);
          },
          // A progress notification: every event up to this revision has been sent.
          onProgress: (through) => {
            if (through > last) last = through;
          },
          onError: (error) => {
            if (stopped || generation !== mine) return;
            current = undefined;
            reattach(error);
          },
        },
      );
      if (stopped) {
        watch.cancel();
        return;
      }
      current = watch;
      failures = 0;
    };
    // Opened again after a back-off while etcd is unreachable (a member restarting), for about
    // half a minute; then the caller hears of it (the cache rebuilds from a fresh list).
    const reattach = (error: unknown) => {
      if (stopped) return;
      if (isCompacted(error)) {
        stopped = true;
        callbacks.onError(new CompactedError(options.afterRevision));
        return;
      }
      if (++failures > 30) {
        stopped = true;
        callbacks.onError(error as Error);
        return;
      }
      setTimeout(() => {
        if (!stopped) attach().catch(reattach);
      }, Math.min(1_000, 50 * 2 ** failures)).unref();
    };
    try {
      await attach();
    } catch (error) {
      if (isCompacted(error)) throw new CompactedError(options.afterRevision);
      throw error;
    }
    return {
      lastRevision: () => last,
      stop: async () => {
        stopped = true;
        current?.cancel();
      },
    };
  }

  /** Throws CompactedError when etcd no longer holds history at this revision. */
  async checkRevision(revision: number): Promise<void> {
    if (revision === 0) return;
    try {
      await this.kv.range({ key: REVISION_PROBE, revision });
    } catch (error) {
      if (isCompacted(error)) throw new CompactedError(revision);
      if (/future revision/i.test(String((error as Error).message))) return;
      throw error;
    }
  }

  async currentRevision(): Promise<number> {
    return (await this.kv.range({ key: REVISION_PROBE })).revision;
  }

  /** Compacts history up to a revision (tests and maintenance). */
  async compact(revision: number): Promise<void> {
    await this.kv.compact(revision, true);
  }

  async close(): Promise<void> {
    this.kv.close();
    this.watches.close();
  }
}
