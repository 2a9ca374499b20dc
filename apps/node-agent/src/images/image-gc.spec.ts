import { DEFAULT_IMAGE_GC, ImageGc, ImageRecord, planImageGc, workloadImages } from './image-gc';

const GB = 1024 ** 3;
const img = (ref: string, sizeGb: number, lastUsedMs: number, firstSeenMs = 0): ImageRecord => ({ ref, sizeBytes: sizeGb * GB, lastUsedMs, firstSeenMs });
const NOW = 10 * 60_000;

describe('planImageGc', () => {
  const images = [img('a', 1, 3000), img('b', 2, 1000), img('c', 1, 2000), img('d', 1, 500)];
  it.each<[string, { used: number; inUse?: string[]; images?: ImageRecord[] }, string[]]>([
    ['under the high threshold: nothing', { used: 84 }, []],
    ['at 90 % of 100 GB: frees 10 GB, least recently used first, as far as it can', { used: 90 }, ['d', 'b', 'c', 'a']],
    ['at 85 %: frees 5 GB', { used: 85 }, ['d', 'b', 'c', 'a']],
    ['at 86 %, needing 6 GB of 5 present: all unused ones', { used: 86, inUse: ['a'] }, ['d', 'b', 'c']],
    ['needs 5 GB: takes both 3 GB images', { used: 85, images: [img('x', 3, 1), img('y', 3, 2)] }, ['x', 'y']],
    ['needs 5 GB: the oldest (10 GB) alone frees it', { used: 85, images: [img('x', 10, 1), img('y', 3, 2)] }, ['x']],
    ['in-use images stay', { used: 95, inUse: ['a', 'b', 'c', 'd'] }, []],
    ['images younger than the minimum age stay', { used: 95, images: [img('new', 5, NOW, NOW - 60_000), img('old', 1, 5, 0)] }, ['old']],
  ])('%s', (_name, { used, inUse = [], images: list = images }, want) => {
    const plan = planImageGc({ images: list, inUse: new Set(inUse), capacityBytes: 100 * GB, availableBytes: (100 - used) * GB, nowMs: NOW, settings: DEFAULT_IMAGE_GC });
    expect(plan.remove).toEqual(want);
  });

  it('reports usage and how much it needed and freed', () => {
    const plan = planImageGc({ images, inUse: new Set(), capacityBytes: 100 * GB, availableBytes: 12 * GB, nowMs: NOW, settings: DEFAULT_IMAGE_GC });
    expect(plan).toEqual({ usagePercent: 88, bytesToFree: 8 * GB, remove: ['d', 'b', 'c', 'a'], freedBytes: 5 * GB });
  });
});

describe('workloadImages', () => {
  it('takes containers, init containers, containerDisks and the kernel-boot container', () => {
    const pod = { spec: { containers: [{ name: 'c', image: 'nginx' }], initContainers: [{ name: 'i', image: 'busybox' }] } };
    const vmi = { spec: { domain: { firmware: { kernelBoot: { container: { image: 'kernel' } } } }, volumes: [{ name: 'd', containerDisk: { image: 'disk' } }, { name: 'c', cloudInitNoCloud: {} }] } };
    expect(workloadImages([pod, vmi] as never)).toEqual(['nginx', 'busybox', 'disk', 'kernel']);
  });
});

describe('ImageGc', () => {
  function setup(inUse: string[]) {
    const store: { root: string; refs: string[]; list(): Promise<Array<{ ref: string; size: number }>>; gc: jest.Mock<Promise<{ removedRefs: string[] }>, [Iterable<string>]> } = {
      root: '/images',
      refs: ['docker.io/library/a:latest', 'docker.io/library/b:latest', 'docker.io/library/c:latest'],
      list: async () => store.refs.map((ref) => ({ ref, size: GB })),
      gc: jest.fn(async (keep: Iterable<string>) => {
        const kept = new Set(keep);
        const removedRefs = store.refs.filter((r) => !kept.has(r));
        store.refs = store.refs.filter((r) => kept.has(r));
        return { removedRefs };
      }),
    };
    let now = 0;
    let available = 50 * GB;
    const gc = new ImageGc({
      store,
      inUse: () => inUse,
      normalize: (r) => (r.includes('/') ? r : `docker.io/library/${r}:latest`),
      now: () => now,
      usage: async () => ({ capacityBytes: 100 * GB, availableBytes: available }),
    });
    return { store, gc, tick: (ms: number) => (now += ms), fill: (gb: number) => (available = (100 - gb) * GB) };
  }

  it('does nothing under the threshold; over it, removes the least recently used unused image and keeps the rest', async () => {
    const inUse = ['b'];
    const { store, gc, tick, fill } = setup(inUse);
    await gc.check(); // first seen at 0
    tick(3 * 60_000);
    inUse.push('a'); // a used now, c never
    await gc.check();
    inUse.splice(0, inUse.length, 'b'); // a no longer used
    tick(60_000);
    expect((await gc.check()).remove).toEqual([]);
    expect(store.gc).not.toHaveBeenCalled();
    fill(81 + 5); // 86 %: 6 GB to free, c (never used) first, then a
    const plan = await gc.check();
    expect(plan.remove).toEqual(['docker.io/library/c:latest', 'docker.io/library/a:latest']);
    expect(store.refs).toEqual(['docker.io/library/b:latest']);
  });

  it('never removes an image seen for less than the minimum age', async () => {
    const { store, gc, fill } = setup([]);
    fill(99);
    expect((await gc.check()).remove).toEqual([]);
    expect(store.gc).not.toHaveBeenCalled();
  });
});
