import { Clock, realClock, sleep } from './clock';

/**
 * Client-side QPS limit (client-go's flowcontrol token bucket): `burst` tokens refill at
 * `qps` per second; acquire() waits for a token. Waiters are served in arrival order.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  /** Tail of the waiter chain; each acquire waits for the previous one to get its token. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly clock: Clock = realClock,
  ) {
    if (!(qps > 0) || !(burst >= 1)) throw new Error(`token bucket needs qps > 0 and burst >= 1 (got ${qps}/${burst})`);
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Takes a token now if one is available. */
  tryAcquire(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.tail.then(() => this.waitForToken(signal));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async waitForToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (this.tryAcquire()) return;
      await sleep(this.clock, Math.ceil(((1 - this.tokens) * 1000) / this.qps), signal);
    }
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
  }
}
