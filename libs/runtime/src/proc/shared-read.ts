// One read at a time for many callers, never a stale one: a caller gets the result of a read
// that began after its call (so what it changed just before is in it); callers that come while
// a read runs share the next read. For state read whole from disk or /proc whose size grows
// with the node's pods (mountinfo, IPAM): a node removing N pods at once made N such reads at
// once, N × N in memory, and the agent's heap ran out.
const noop = () => undefined;

export class SharedRead<T> {
  private current?: Promise<T>;
  /** The read callers wait for while `current` runs; it starts when `current` ends. */
  private queued?: Promise<T>;

  constructor(private readonly read: () => Promise<T>) {}

  /** The result of a read that began after this call. */
  get(): Promise<T> {
    if (this.queued) return this.queued;
    if (!this.current) return this.start();
    const queued = this.current.then(noop, noop).then(() => {
      this.queued = undefined;
      return this.start();
    });
    this.queued = queued;
    return queued;
  }

  private start(): Promise<T> {
    const read = this.read();
    this.current = read;
    read.then(noop, noop).then(() => {
      if (this.current === read) this.current = undefined;
    });
    return read;
  }
}
