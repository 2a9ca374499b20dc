import { KubeObject, objectKey } from '../core/types';

/** Maps an object to the index values it should be found under (e.g. its spec.nodeName). */
export type IndexFunc<T> = (obj: T) => string[];

export const NAMESPACE_INDEX = 'namespace';

/**
 * The informer's cache: objects by `namespace/name` key plus secondary indexes kept in step
 * on every write. Readers must treat returned objects as immutable (they are shared).
 */
export class IndexedStore<T extends KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers: Record<string, IndexFunc<T>>;
  /** index name → index value → keys */
  private readonly indexes = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Record<string, IndexFunc<T>> = {}) {
    this.indexers = { [NAMESPACE_INDEX]: (obj) => (obj.metadata?.namespace ? [obj.metadata.namespace] : []), ...indexers };
    for (const name of Object.keys(this.indexers)) this.indexes.set(name, new Map());
  }

  /**
   * Adds indexes (client-go's AddIndexers): each is built over what is cached now and kept
   * in step from then on. A name already taken is an error, as in client-go.
   */
  addIndexers(indexers: Record<string, IndexFunc<T>>): void {
    for (const name of Object.keys(indexers)) if (this.indexers[name]) throw new Error(`indexer ${name} already exists`);
    for (const [name, fn] of Object.entries(indexers)) {
      this.indexers[name] = fn;
      this.indexes.set(name, new Map());
      for (const [key, obj] of this.items) this.addToIndex(name, fn, key, obj);
    }
  }

  /** Whether an index of this name exists. */
  hasIndex(name: string): boolean {
    return this.indexes.has(name);
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  /** Looks up by namespace and name (namespace undefined for cluster-scoped kinds). */
  getByName(namespace: string | undefined, name: string): T | undefined {
    return this.items.get(namespace ? `${namespace}/${name}` : name);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  /** Objects whose indexer returned `value`, e.g. byIndex('nodeName', 'node-1'). */
  byIndex(indexName: string, value: string): T[] {
    const index = this.indexes.get(indexName);
    if (!index) throw new Error(`no indexer named ${indexName}`);
    return [...(index.get(value) ?? [])].map((key) => this.items.get(key) as T);
  }

  /** Index values currently present, e.g. every node name that has pods. */
  indexValues(indexName: string): string[] {
    const index = this.indexes.get(indexName);
    if (!index) throw new Error(`no indexer named ${indexName}`);
    return [...index.keys()];
  }

  /** Inserts or replaces; returns the previous object. */
  upsert(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    this.index(key, obj);
    return old;
  }

  /** Removes by key; returns what was there. */
  remove(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  private index(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) this.addToIndex(name, fn, key, obj);
  }

  private addToIndex(name: string, fn: IndexFunc<T>, key: string, obj: T): void {
    const index = this.indexes.get(name)!;
    for (const value of fn(obj)) {
      let keys = index.get(value);
      if (!keys) index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const index = this.indexes.get(name)!;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}
