import { Pod } from '@coxswain/api/browser';
import { emptyDirEvictionMessage, emptyDirLimits, evictionOf, exceededLimit, withEviction } from './eviction';
import { NodeMemory, PodView } from './model';

const podWith = (volumes: unknown[]): Pod => ({ metadata: { uid: 'u1', name: 'p', namespace: 'd' }, spec: { containers: [{ name: 'a', image: 'b' }], volumes } }) as unknown as Pod;

describe('emptyDirLimits', () => {
  it.each<[string, unknown[], unknown[]]>([
    ['disk emptyDir with a limit', [{ name: 'scratch', emptyDir: { sizeLimit: '1Mi' } }], [{ volume: 'scratch', limit: '1Mi', bytes: 1048576 }]],
    ['no limit: nothing to enforce', [{ name: 'scratch', emptyDir: {} }], []],
    ['memory-backed: the tmpfs size enforces it', [{ name: 'ram', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }], []],
    ['other kinds of volume', [{ name: 'cfg', configMap: { name: 'c' } }, { name: 'h', hostPath: { path: '/tmp' } }], []],
    ['decimal units', [{ name: 'a', emptyDir: { sizeLimit: '2M' } }, { name: 'b', emptyDir: { sizeLimit: '500Ki' } }], [{ volume: 'a', limit: '2M', bytes: 2_000_000 }, { volume: 'b', limit: '500Ki', bytes: 512_000 }]],
  ])('%s', (_name, volumes, want) => {
    expect(emptyDirLimits(podWith(volumes))).toEqual(want);
  });
});

describe('exceededLimit', () => {
  const limits = [{ volume: 'a', limit: '1Mi', bytes: 1048576 }, { volume: 'b', limit: '2Mi', bytes: 2097152 }];
  it.each<[string, Array<[string, number]>, string | undefined]>([
    ['under both', [['a', 1000], ['b', 1000]], undefined],
    ['exactly at the limit is not over', [['a', 1048576]], undefined],
    ['one byte over', [['a', 1048577]], 'a'],
    ['the second over', [['a', 0], ['b', 3_000_000]], 'b'],
    ['not measured (no directory yet): not over', [], undefined],
  ])('%s', (_name, usage, want) => {
    expect(exceededLimit(limits, new Map(usage))?.volume).toBe(want);
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
