import { Pod } from '@coxswain/api/browser';
import { containerStorageLimits, emptyDirEvictionMessage, emptyDirLimits, evictionOf, hasStorageLimits, localStorageEviction, StorageUsage, withEviction } from './eviction';
import { NodeMemory, PodView } from './model';

const podWith = (volumes: unknown[], limits: Array<string | undefined> = []): Pod =>
  ({
    metadata: { uid: 'u1', name: 'p', namespace: 'd' },
    spec: {
      containers: (limits.length ? limits : [undefined]).map((limit, i) => ({ name: `c${i}`, image: 'b', ...(limit ? { resources: { limits: { 'ephemeral-storage': limit } } } : {}) })),
      volumes,
    },
  }) as unknown as Pod;

describe('emptyDirLimits and containerStorageLimits', () => {
  it.each<[string, unknown[], unknown[]]>([
    ['disk emptyDir with a limit', [{ name: 'scratch', emptyDir: { sizeLimit: '1Mi' } }], [{ name: 'scratch', limit: '1Mi', bytes: 1048576 }]],
    ['no limit: nothing to enforce', [{ name: 'scratch', emptyDir: {} }], []],
    ['memory-backed: the tmpfs size enforces it', [{ name: 'ram', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }], []],
    ['other kinds of volume', [{ name: 'cfg', configMap: { name: 'c' } }, { name: 'h', hostPath: { path: '/tmp' } }], []],
    ['decimal units', [{ name: 'a', emptyDir: { sizeLimit: '2M' } }, { name: 'b', emptyDir: { sizeLimit: '500Ki' } }], [{ name: 'a', limit: '2M', bytes: 2_000_000 }, { name: 'b', limit: '500Ki', bytes: 512_000 }]],
  ])('%s', (_name, volumes, want) => {
    expect(emptyDirLimits(podWith(volumes))).toEqual(want);
  });

  it('reads containers\' ephemeral-storage limits, and says when a pod has any limit at all', () => {
    expect(containerStorageLimits(podWith([], ['1Mi', undefined, '2M']))).toEqual([{ name: 'c0', limit: '1Mi', bytes: 1048576 }, { name: 'c2', limit: '2M', bytes: 2_000_000 }]);
    expect(hasStorageLimits(podWith([], ['1Mi']))).toBe(true);
    expect(hasStorageLimits(podWith([{ name: 'v', emptyDir: { sizeLimit: '1Mi' } }]))).toBe(true);
    expect(hasStorageLimits(podWith([{ name: 'v', emptyDir: {} }]))).toBe(false);
  });
});

describe('localStorageEviction', () => {
  const usage = (volumes: Array<[string, number]>, containers: Array<[string, number]> = []): StorageUsage => ({ volumes: new Map(volumes), containers: new Map(containers) });
  const MiB = 1048576;
  const limited = [{ name: 'a', emptyDir: { sizeLimit: '1Mi' } }, { name: 'b', emptyDir: { sizeLimit: '2Mi' } }];
  it.each<[string, Pod, StorageUsage, string | undefined]>([
    ['emptyDirs under their limits', podWith(limited), usage([['a', 1000], ['b', 1000]]), undefined],
    ['exactly at the limit is not over', podWith(limited), usage([['a', MiB]]), undefined],
    ['one byte over', podWith(limited), usage([['a', MiB + 1]]), 'Usage of EmptyDir volume "a" exceeds the limit "1Mi". '],
    ['the second emptyDir over', podWith(limited), usage([['a', 0], ['b', 3 * MiB]]), 'Usage of EmptyDir volume "b" exceeds the limit "2Mi". '],
    ['not measured (no directory yet): not over', podWith(limited), usage([]), undefined],
    ['a container over its own limit', podWith([], ['1Mi', '4Mi']), usage([], [['c0', 2 * MiB], ['c1', 0]]), 'Container c0 exceeded its local ephemeral storage limit "1Mi". '],
    ['containers under their limits', podWith([], ['1Mi', '4Mi']), usage([], [['c0', MiB], ['c1', 4 * MiB]]), undefined],
    // The pod's total (disk emptyDirs without a limit count too) over the sum of the limits, checked before each container's own.
    ['the pod over the sum of its containers\' limits', podWith([{ name: 'v', emptyDir: {} }], ['1Mi', '2Mi']), usage([['v', 3 * MiB]], [['c0', 1]]), 'Pod ephemeral local storage usage exceeds the total limit of containers 3Mi. '],
    ['a memory emptyDir does not count towards the pod\'s total', podWith([{ name: 'm', emptyDir: { medium: 'Memory' } }], ['1Mi']), usage([['m', 5 * MiB]]), undefined],
    ['a container without a limit counts in the total only', podWith([], ['1Mi', undefined]), usage([], [['c1', 2 * MiB]]), 'Pod ephemeral local storage usage exceeds the total limit of containers 1Mi. '],
    ['an emptyDir limit is checked first', podWith([{ name: 'a', emptyDir: { sizeLimit: '1Mi' } }], ['1Mi']), usage([['a', 2 * MiB]], [['c0', 2 * MiB]]), 'Usage of EmptyDir volume "a" exceeds the limit "1Mi". '],
  ])('%s', (_name, pod, measured, want) => {
    expect(localStorageEviction(pod, measured)).toBe(want);
  });
});

describe('evictionOf and withEviction', () => {
  const view: PodView = { metadata: { uid: 'u1', namespace: 'd', name: 'p' }, spec: { containers: [] } };
  const message = emptyDirEvictionMessage('scratch', '1Mi');
  it('words the message as the kubelet does', () => {
    expect(message).toBe('Usage of EmptyDir volume "scratch" exceeds the limit "1Mi". ');
  });
  it('reads this agent\'s decision, else the last status', () => {
    const memory: NodeMemory = { pods: {}, images: new Set(), evictions: new Map([['u1', message]]) };
    expect(evictionOf(view, memory)).toBe(message);
    expect(evictionOf({ ...view, status: { evicted: 'from status' } }, { pods: {}, images: new Set() })).toBe('from status');
    expect(evictionOf(view, { pods: {}, images: new Set() })).toBeUndefined();
  });
  it('puts the decision where computePodStatus reads it, and leaves other pods alone', () => {
    const memory: NodeMemory = { pods: {}, images: new Set(), evictions: new Map([['u1', message]]) };
    expect(withEviction(view, memory).status?.evicted).toBe(message);
    const other = { ...view, metadata: { ...view.metadata, uid: 'u2' } };
    expect(withEviction(other, memory)).toBe(other);
  });
});
