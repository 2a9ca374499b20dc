import { Registry } from 'prom-client';
import { FakeClock, flushMicrotasks } from '../testing/fake-clock';
import { promWorkQueueMetrics } from './prom-metrics';
import { ExponentialBackoffRateLimiter } from './rate-limiter';
import { WorkQueue } from './work-queue';
import { runWorkers } from './workers';

describe('WorkQueue de-duplication', () => {
  it.each([
    ['repeated adds collapse', ['a', 'a', 'b', 'a'], ['a', 'b']],
    ['order of first add is kept', ['c', 'b', 'a', 'c'], ['c', 'b', 'a']],
    ['nothing', [], []],
  ])('%s', async (_name, adds, want) => {
    const q = new WorkQueue<string>();
    adds.forEach((k) => q.add(k));
    expect(q.len()).toBe(want.length);
    const got: string[] = [];
    while (q.len() > 0) got.push((await q.get())!);
    expect(got).toEqual(want);
  });

  it('never hands out a key that is being processed; re-adding it queues it after done', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    const key = await q.get();
    q.add('a'); // changed while being worked on
    q.add('a');
    expect(q.len()).toBe(0);
    let second: string | undefined;
    void q.get().then((k) => (second = k));
    await flushMicrotasks();
    expect(second).toBeUndefined();
    q.done(key!);
    await flushMicrotasks();
    expect(second).toBe('a');
    q.done('a');
    expect(q.len()).toBe(0);
  });

  it('wakes a waiting worker when a key arrives', async () => {
    const q = new WorkQueue<string>();
    const pending = q.get();
    q.add('x');
    await expect(pending).resolves.toBe('x');
  });
});

describe('WorkQueue delays and back-off', () => {
  it('addAfter adds when the clock reaches the delay; the earliest request wins', () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock });
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 500);
    clock.advance(49);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(q.len()).toBe(1);
    clock.advance(1000);
    expect(q.len()).toBe(1);
  });

  it('addRateLimited backs off exponentially per key and forget resets', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock, rateLimiter: new ExponentialBackoffRateLimiter(5, 1000) });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = clock.now();
      q.addRateLimited('a');
      clock.advance(clock.nextTimerAt()! - before);
      delays.push(clock.now() - before);
      expect(q.len()).toBe(1);
      q.done((await q.get())!);
    }
    expect(delays).toEqual([5, 10, 20, 40, 80]);
    expect(q.numRequeues('a')).toBe(5);
    expect(q.numRequeues('b')).toBe(0);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
  });

  it('addAfter with zero or negative delay adds at once', () => {
    const q = new WorkQueue<string>({ clock: new FakeClock() });
    q.addAfter('a', 0);
    expect(q.len()).toBe(1);
  });
});

describe('ExponentialBackoffRateLimiter', () => {
  it.each([
    ['defaults start at 5 ms', 5, 1_000_000, 1, 5],
    ['doubles', 5, 1_000_000, 4, 40],
    ['caps at max (1000 s by default)', 5, 1_000_000, 40, 1_000_000],
    ['never overflows', 5, 1_000_000, 2000, 1_000_000],
    ['custom base and cap', 100, 250, 3, 250],
  ])('%s', (_name, base, max, failures, want) => {
    const limiter = new ExponentialBackoffRateLimiter<string>(base, max);
    let last = 0;
    for (let i = 0; i < failures; i++) last = limiter.when('k');
    expect(last).toBe(want);
  });

  it('uses 5 ms / 1000 s when not configured', () => {
    const limiter = new ExponentialBackoffRateLimiter<string>();
    expect([limiter.baseMs, limiter.maxMs]).toEqual([5, 1_000_000]);
  });
});

describe('WorkQueue shutdown', () => {
  it('releases idle workers, drops new adds and delayed adds, but drains queued keys', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock });
    q.add('queued');
    q.addAfter('later', 10);
    q.shutDown();
    q.add('ignored');
    clock.advance(100);
    expect(await q.get()).toBe('queued');
    q.done('queued');
    expect(await q.get()).toBeUndefined();
    expect(clock.pending()).toBe(0);
  });

  it('shutDownWithDrain waits for in-flight work', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    const key = await q.get();
    let drained = false;
    const waiting = q.shutDownWithDrain().then(() => (drained = true));
    await flushMicrotasks();
    expect(drained).toBe(false);
    q.done(key!);
    await waiting;
    expect(drained).toBe(true);
  });
});

describe('runWorkers', () => {
  it('processes keys concurrently but never the same key twice at once, retrying failures', async () => {
    const q = new WorkQueue<string>({ rateLimiter: new ExponentialBackoffRateLimiter(1, 1) });
    const active = new Set<string>();
    const overlaps: string[] = [];
    const attempts = new Map<string, number>();
    const reconcile = async (key: string) => {
      if (active.has(key)) overlaps.push(key);
      active.add(key);
      await new Promise((r) => setImmediate(r));
      if (key === 'a') q.add('a'); // re-added while processing, like an event during reconcile
      active.delete(key);
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      if (key === 'flaky' && n < 3) throw new Error('transient');
    };
    ['a', 'b', 'flaky', 'c'].forEach((k) => q.add(k));
    const workers = runWorkers(q, reconcile, { concurrency: 3 });
    for (let i = 0; i < 200 && (attempts.get('flaky') ?? 0) < 3; i++) await new Promise((r) => setTimeout(r, 2));
    await q.shutDownWithDrain();
    await workers;
    expect(overlaps).toEqual([]);
    expect(attempts.get('flaky')).toBe(3);
    expect(q.numRequeues('flaky')).toBe(0);
    expect(attempts.get('a')).toBeGreaterThanOrEqual(2);
  });
});

describe('promWorkQueueMetrics', () => {
  it('counts adds, depth, retries and durations per queue name', async () => {
    const registry = new Registry();
    const clock = new FakeClock();
    const q = new WorkQueue<string>({ clock, metrics: promWorkQueueMetrics(registry, 'pods') });
    promWorkQueueMetrics(registry, 'nodes'); // a second queue reuses the same metric families
    q.add('a');
    q.add('b');
    q.add('a');
    clock.advance(2000);
    const key = await q.get();
    clock.advance(500);
    q.done(key!);
    q.addRateLimited('c');
    const text = await registry.metrics();
    expect(text).toContain('workqueue_adds_total{name="pods"} 2');
    expect(text).toContain('workqueue_depth{name="pods"} 1');
    expect(text).toContain('workqueue_retries_total{name="pods"} 1');
    expect(text).toContain('workqueue_work_duration_seconds_sum{name="pods"} 0.5');
    expect(text).toContain('workqueue_queue_duration_seconds_sum{name="pods"} 2');
  });
});
