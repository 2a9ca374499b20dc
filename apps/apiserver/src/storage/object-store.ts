// The repository interface the REST layer stores objects through. Only the etcd adapter
// implements it for real; resourceVersion is always etcd's mod revision.
import { KubeObject, ResourceInfo } from '@coxswain/api';

export type StoredResource = Pick<ResourceInfo, 'group' | 'plural' | 'namespaced'>;

export interface ListOptions {
  namespace?: string;
  /** Extra filter (label/field selectors), applied before paging counts an item. */
  predicate?: (obj: KubeObject) => boolean;
  limit?: number;
  continueToken?: string;
}

export interface ListResult<T extends KubeObject = KubeObject> {
  items: T[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: StoreEventType;
  object: KubeObject;
  /** The object before this change (for selector transitions); absent for ADDED. */
  previous?: KubeObject;
  revision: number;
}

export interface WatchOptions {
  namespace?: string;
  name?: string;
  /** Deliver events after this revision. */
  afterRevision: number;
  /**
   * The watcher keeps every object itself (the watch cache): the previous state of a key comes
   * from here instead of etcd sending and the store decoding it with each event.
   */
  previousOf?: (key: string) => KubeObject | undefined;
}

export interface WatchHandle {
  /** Latest revision the watch has seen (for bookmarks). */
  lastRevision(): number;
  stop(): Promise<void>;
}

export interface WatchCallbacks {
  onEvent(event: StoreEvent): void;
  /** Fatal for this watch: history compacted (410) or etcd gone. */
  onError(error: Error): void;
}

export interface GetOptions {
  /**
   * The caller will write with a revision guard and retry on conflict, so a cached copy that
   * has not yet caught up is fine (no read-your-writes wait).
   */
  allowStale?: boolean;
  /** A revision the caller knows exists (a client's resourceVersion): read at least that fresh. */
  minRevision?: number;
}

export interface ObjectStore {
  get(resource: StoredResource, namespace: string | undefined, name: string, options?: GetOptions): Promise<KubeObject | undefined>;
  list(resource: StoredResource, options?: ListOptions): Promise<ListResult>;
  /** Fails with AlreadyExists (409) when the key exists. */
  create(resource: StoredResource, obj: KubeObject): Promise<KubeObject>;
  /** Fails with Conflict (409) when `expectedRevision` is stale, NotFound (404) when gone. */
  update(resource: StoredResource, obj: KubeObject, expectedRevision?: number): Promise<KubeObject>;
  /** Removes the key; returns the last state with the deletion's revision. */
  delete(resource: StoredResource, namespace: string | undefined, name: string, expectedRevision?: number): Promise<KubeObject>;
  watch(resource: StoredResource, options: WatchOptions, callbacks: WatchCallbacks): Promise<WatchHandle>;
  currentRevision(): Promise<number>;
  /** Throws CompactedError when history at this revision is gone (watch from it → 410). */
  checkRevision(revision: number): Promise<void>;
  close(): Promise<void>;
}

/** Error class for "history compacted", mapped to 410 by the REST layer. */
export class CompactedError extends Error {
  constructor(readonly revision: number) {
    super(`too old resource version: ${revision}`);
  }
}

/**
 * A revision-guard failure carries the key's current mod revision (etcd returns it with the
 * failed transaction), so a cache can make the retry's read wait until it has caught up.
 */
const CURRENT_REVISION = Symbol('currentRevision');

export function withCurrentRevision<E extends Error>(error: E, revision: number | undefined): E {
  if (revision !== undefined) Object.defineProperty(error, CURRENT_REVISION, { value: revision, enumerable: false });
  return error;
}

export function currentRevisionOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? ((error as Record<symbol, number | undefined>)[CURRENT_REVISION] ?? undefined) : undefined;
}
