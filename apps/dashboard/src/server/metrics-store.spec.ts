import { MetricsStore, Ring, usageOf } from './metrics-store';

describe('Ring', () => {
  it('keeps the newest points in order once full', () => {
    const r = new Ring(3);
    for (let t = 1; t <= 5; t++) r.push({ t, cpu: t / 10, mem: t * 100 });
    expect(r.points().map((p) => p.t)).toEqual([3, 4, 5]);
    expect(r.last()).toEqual({ t: 5, cpu: expect.closeTo(0.5, 6), mem: 500 });
    expect(new Ring(2).last()).toBeUndefined();
  });
});

describe('usageOf', () => {
  it('reads metrics.k8s.io lists; pods sum their containers', () => {
    const got = usageOf(
      { items: [{ metadata: { name: 'n1' }, usage: { cpu: '1868m', memory: '3171300Ki' } }] },
      { items: [{ metadata: { name: 'web', namespace: 'd' }, containers: [{ usage: { cpu: '10m', memory: '1Mi' } }, { usage: { cpu: '5m', memory: '1Mi' } }] }, { metadata: { name: 'tiny', namespace: 'd' }, containers: [{ usage: { cpu: 'junk' } }] }] },
    );
    expect(got.get('node/n1')).toEqual({ cpu: 1.868, mem: 3171300 * 1024 });
    expect(got.get('pod/d/web')).toEqual({ cpu: expect.closeTo(0.015, 9), mem: 2 * 2 ** 20 });
    expect(got.get('pod/d/tiny')).toEqual({ cpu: 0, mem: 0 });
  });
});

describe('MetricsStore', () => {
  const usage = (entries: Record<string, number>) => new Map(Object.entries(entries).map(([k, v]) => [k, { cpu: v, mem: v * 10 }]));
  it('records series, serves history and latest node usage', () => {
    const store = new MetricsStore(10);
    store.record(1000, usage({ 'node/a': 1, 'pod/d/p': 0.1 }));
    store.record(2000, usage({ 'node/a': 2, 'pod/d/p': 0.2 }));
    expect(store.points('node/a').map((p) => p.cpu)).toEqual([1, 2]);
    expect(store.nodes()).toEqual({ a: { cpu: 2, mem: 20 } });
    expect(store.last('pod/d/p')?.t).toBe(2000);
    expect(store.workloads()).toEqual({ 'd/p': { cpu: expect.closeTo(0.2, 6), mem: expect.closeTo(2, 6) } });
  });
  it('a series missing from the latest sample has no current point and is dropped after a while', () => {
    const store = new MetricsStore(10, 2);
    store.record(1000, usage({ 'pod/d/gone': 1, 'node/a': 1 }));
    store.record(2000, usage({ 'node/a': 1 }));
    expect(store.last('pod/d/gone')).toBeUndefined();
    expect(store.workloads()).toEqual({});
    expect(store.points('pod/d/gone')).toHaveLength(1);
    store.record(3000, usage({ 'node/a': 1 }));
    store.record(4000, usage({ 'node/a': 1 }));
    expect(store.points('pod/d/gone')).toEqual([]);
    expect(store.size()).toBe(1);
  });
});
