import { Clock, TimerHandle } from '../core/clock';

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A Clock that only moves when told to. `advance(ms)` fires due timers in time order,
 * including timers that fired callbacks schedule inside the window. Exported so other
 * projects' unit tests can drive informers, queues and leader election deterministically.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers = new Set<FakeTimer>();

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: FakeTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.add(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as FakeTimer);
  }

  /** Number of timers waiting to fire. */
  pending(): number {
    return this.timers.size;
  }

  /** Time of the earliest pending timer, or undefined. */
  nextTimerAt(): number | undefined {
    return this.earliest()?.at;
  }

  advance(ms: number): void {
    const target = this.current + ms;
    for (let next = this.earliest(); next && next.at <= target; next = this.earliest()) {
      this.timers.delete(next);
      this.current = Math.max(this.current, next.at);
      next.fn();
    }
    this.current = target;
  }

  /** Like advance, but lets promise callbacks run between timers so async chains make progress. */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.current + ms;
    for (let next = this.earliest(); next && next.at <= target; next = this.earliest()) {
      this.timers.delete(next);
      this.current = Math.max(this.current, next.at);
      next.fn();
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }

  private earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best;
  }
}

/** Lets already-settled promise chains run (a few turns, since chains hop through several thens). */
export async function flushMicrotasks(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}
