import { FakeClock, flushMicrotasks } from '../testing/fake-clock';
import { Semaphore } from './semaphore';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst, then refills at qps', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(10, 3, clock);
    expect([bucket.tryAcquire(), bucket.tryAcquire(), bucket.tryAcquire(), bucket.tryAcquire()]).toEqual([true, true, true, false]);
    clock.advance(99);
    expect(bucket.tryAcquire()).toBe(false);
    clock.advance(1);
    expect(bucket.tryAcquire()).toBe(true);
    clock.advance(10_000);
    // never more than burst after a long idle time
    expect([bucket.tryAcquire(), bucket.tryAcquire(), bucket.tryAcquire(), bucket.tryAcquire()]).toEqual([true, true, true, false]);
  });

  it('makes waiters wait for tokens in arrival order', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(2, 1, clock);
    const order: number[] = [];
    const waits = [1, 2, 3].map((n) => bucket.acquire().then(() => order.push(n)));
    await flushMicrotasks();
    expect(order).toEqual([1]);
    await clock.advanceAsync(500);
    expect(order).toEqual([1, 2]);
    await clock.advanceAsync(500);
    expect(order).toEqual([1, 2, 3]);
    await Promise.all(waits);
  });

  it('rejects bad settings', () => {
    expect(() => new TokenBucket(0, 1)).toThrow(/qps > 0/);
  });
});

describe('Semaphore', () => {
  it('never runs more than the limit at once', async () => {
    const sem = new Semaphore(2);
    let active = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const tasks = Array.from({ length: 5 }, () =>
      sem.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise<void>((resolve) => gates.push(resolve));
        active--;
      }),
    );
    await flushMicrotasks();
    expect(sem.inFlight).toBe(2);
    expect(sem.waiting).toBe(3);
    while (gates.length) {
      gates.shift()!();
      await flushMicrotasks();
    }
    await Promise.all(tasks);
    expect(peak).toBe(2);
    expect(sem.inFlight).toBe(0);
  });
});
