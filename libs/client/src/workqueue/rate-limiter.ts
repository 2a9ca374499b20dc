/** Decides how long a failing key waits before its next attempt. */
export interface ItemRateLimiter<K> {
  /** Delay in ms for the next retry of `key`; counts the failure. */
  when(key: K): number;
  /** Clears the failure history of `key` (call after a success). */
  forget(key: K): void;
  numRequeues(key: K): number;
}

/**
 * Per-key exponential back-off (client-go's ItemExponentialFailureRateLimiter):
 * base × 2^failures, capped at max. Defaults: 5 ms base, 1000 s cap.
 */
export class ExponentialBackoffRateLimiter<K> implements ItemRateLimiter<K> {
  private readonly failures = new Map<K, number>();

  constructor(
    readonly baseMs = 5,
    readonly maxMs = 1_000_000,
  ) {
    if (!(baseMs > 0) || !(maxMs >= baseMs)) throw new Error(`back-off needs 0 < base <= max (got ${baseMs}/${maxMs})`);
  }

  when(key: K): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    // 2^n overflows to Infinity for large n, which the cap turns back into maxMs.
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }
}
