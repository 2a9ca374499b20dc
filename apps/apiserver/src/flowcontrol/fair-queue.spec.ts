import { FairQueue } from './fair-queue';

const settings = { seats: 2, queueLengthPerUser: 3, maxWaitMs: 1000 };
type Outcome = Awaited<ReturnType<FairQueue['acquire']>>;
const released = (o: Outcome) => ('release' in o ? o.release : undefined);

describe('FairQueue', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('seats requests at once while seats are free', async () => {
    const q = new FairQueue(settings);
    const a = await q.acquire('a');
    const b = await q.acquire('b');
    expect('release' in a && 'release' in b).toBe(true);
    expect(q.inflight).toBe(2);
    released(a)!();
    released(a)!(); // releasing twice frees one seat only
    expect(q.inflight).toBe(1);
  });

  it('serves a quiet user before the rest of a noisy user\'s queue', async () => {
    const q = new FairQueue(settings);
    const held = [await q.acquire('noisy'), await q.acquire('noisy')];
    const order: string[] = [];
    const track = (user: string) => q.acquire(user).then((o) => { order.push(user); return o; });
    const pending = [track('noisy'), track('noisy'), track('noisy'), track('quiet')];
    released(held[0])!();
    await Promise.resolve();
    released(held[1])!();
    const outcomes = await Promise.all(pending.slice(0, 1).concat(pending[3]));
    expect(order).toEqual(['noisy', 'quiet']);
    for (const o of outcomes) released(o)!();
    await Promise.all(pending);
    expect(order).toEqual(['noisy', 'quiet', 'noisy', 'noisy']);
  });

  it('rejects beyond the per-user queue length without affecting others', async () => {
    const q = new FairQueue(settings);
    await q.acquire('noisy');
    await q.acquire('noisy');
    const queued = [q.acquire('noisy'), q.acquire('noisy'), q.acquire('noisy')];
    expect(await q.acquire('noisy')).toEqual({ rejected: 'queue-full' });
    expect(q.waiting).toBe(3);
    const other = q.acquire('other');
    expect(q.waiting).toBe(4);
    jest.advanceTimersByTime(1000);
    expect(await Promise.all([...queued, other])).toEqual(Array(4).fill({ rejected: 'time-out' }));
    expect(q.waiting).toBe(0);
  });
});
