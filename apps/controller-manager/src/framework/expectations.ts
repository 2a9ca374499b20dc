// Controller expectations (Kubernetes' ControllerExpectations): after a controller creates
// or deletes objects, its informer cache lags behind. Until the cache has seen those
// changes (or a timeout passes) the controller must not act on the stale count again, or
// it would create duplicates. Creations are counted; deletions are tracked by name.
import { Clock } from '@coxswain/client';

interface Expectation {
  adds: number;
  deletes: Set<string>;
  at: number;
}

export class Expectations {
  private readonly items = new Map<string, Expectation>();

  /** `ttlMs`: how long to wait for the cache before acting anyway (Kubernetes: 5 min). */
  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 60_000,
  ) {}

  /** True when nothing is outstanding for `key` (or what was expected is too old to wait for). */
  satisfied(key: string): boolean {
    const e = this.items.get(key);
    if (!e) return true;
    if ((e.adds <= 0 && e.deletes.size === 0) || this.clock.now() - e.at > this.ttlMs) {
      this.items.delete(key);
      return true;
    }
    return false;
  }

  /** Replaces what `key` waits for. */
  expect(key: string, adds: number, deletes: Iterable<string> = []): void {
    this.items.set(key, { adds, deletes: new Set(deletes), at: this.clock.now() });
  }

  creationObserved(key: string): void {
    const e = this.items.get(key);
    if (e) e.adds--;
  }

  /** A create that failed will never be observed. */
  creationFailed(key: string, count = 1): void {
    const e = this.items.get(key);
    if (e) e.adds -= count;
  }

  deletionObserved(key: string, name: string): void {
    this.items.get(key)?.deletes.delete(name);
  }

  forget(key: string): void {
    this.items.delete(key);
  }
}
