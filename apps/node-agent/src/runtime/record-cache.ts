// Records that are written once and only ever removed (sandbox.json), keyed by pod uid. The
// relist reads the directory every pass; the cache spares re-reading every file and drops what
// vanished from disk so it never outgrows what the node holds.
export class RecordCache<T> {
  private readonly byKey = new Map<string, T>();

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): T | undefined {
    return this.byKey.get(key);
  }

  set(key: string, value: T): void {
    this.byKey.set(key, value);
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }

  /** Forgets every key not in `present` (what a directory listing just returned). */
  retainOnly(present: Iterable<string>): void {
    const keep = new Set(present);
    for (const key of this.byKey.keys()) if (!keep.has(key)) this.byKey.delete(key);
  }
}
