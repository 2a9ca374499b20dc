import { MetricsSampler } from './metrics-sampler';

describe('MetricsSampler', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const lists = (cpu: string) => [{ items: [{ metadata: { name: 'n1' }, usage: { cpu, memory: '1Ki' } }] }, { items: [] }] as [object, object];

  it('samples on a timer while listened to and notifies after each sample', async () => {
    let now = 0;
    const fetches = ['100m', '200m', '300m'];
    const fetchLists = jest.fn(async () => lists(fetches.shift() ?? '1'));
    const sampler = new MetricsSampler(fetchLists as never, { intervalMs: 1000, capacity: 10, now: () => now });
    const seen: number[] = [];
    const stop = sampler.listen(() => seen.push(sampler.store.nodes().n1?.cpu));
    await jest.advanceTimersByTimeAsync(0);
    now = 1000;
    await jest.advanceTimersByTimeAsync(1000);
    now = 2000;
    await jest.advanceTimersByTimeAsync(1000);
    // Float32 storage: a series costs 16 bytes per point.
    expect(seen.map((v) => Math.round(v * 1000))).toEqual([100, 200, 300]);
    stop();
    sampler.stop();
  });

  it('records the error instead of throwing and goes idle without listeners', async () => {
    let now = 0;
    const sampler = new MetricsSampler(async () => { throw new Error('metrics API unavailable'); }, { intervalMs: 1000, capacity: 10, idleMs: 1500, now: () => now });
    sampler.touch();
    await jest.advanceTimersByTimeAsync(0);
    expect(sampler.lastError).toBe('metrics API unavailable');
    expect(sampler.running).toBe(true);
    now = 5000;
    await jest.advanceTimersByTimeAsync(1000);
    expect(sampler.running).toBe(false);
    sampler.touch();
    expect(sampler.running).toBe(true);
    sampler.stop();
    expect(sampler.running).toBe(false);
  });
});
