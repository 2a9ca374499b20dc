import { Pod } from '@coxswain/api/browser';
import { checkEmptyDirLimits } from './empty-dir-limits';

const pod = (uid: string, sizeLimit: string | undefined, over: Record<string, unknown> = {}): Pod =>
  ({
    metadata: { uid, name: uid, namespace: 'd' },
    spec: { containers: [{ name: 'a', image: 'b' }], volumes: [{ name: 'scratch', emptyDir: sizeLimit ? { sizeLimit } : {} }] },
    status: { phase: 'Running' },
    ...over,
  }) as unknown as Pod;

describe('checkEmptyDirLimits', () => {
  it('evicts a pod over its limit, with the kubelet\'s message, and measures only limited volumes', async () => {
    const asked: string[] = [];
    const usage = async (uid: string, volume: string) => (asked.push(`${uid}/${volume}`), uid === 'big' ? 5_000_000 : 10);
    const evictions = new Map<string, string>();
    const evicted = await checkEmptyDirLimits([pod('big', '1Mi'), pod('small', '1Mi'), pod('nolimit', undefined)], usage, evictions);
    expect(evicted).toEqual(['big']);
    expect(evictions.get('big')).toBe('Usage of EmptyDir volume "scratch" exceeds the limit "1Mi". ');
    expect(asked).toEqual(['big/scratch', 'small/scratch']);
  });

  it('leaves alone pods that are done, being deleted, or already evicted', async () => {
    const usage = async () => 5_000_000;
    const evictions = new Map([['again', 'before']]);
    const evicted = await checkEmptyDirLimits([
      pod('failed', '1Mi', { status: { phase: 'Failed' } }),
      pod('deleting', '1Mi', { metadata: { uid: 'deleting', name: 'x', namespace: 'd', deletionTimestamp: '2026-12-08T00:00:00Z' } }),
      pod('again', '1Mi'),
    ], usage, evictions);
    expect(evicted).toEqual([]);
    expect(evictions.get('again')).toBe('before');
  });

  it('forgets evictions of pods no longer bound here', async () => {
    const evictions = new Map([['gone', 'm']]);
    await checkEmptyDirLimits([], async () => 0, evictions);
    expect(evictions.size).toBe(0);
  });

  it('a volume with no directory yet is not over', async () => {
    const evictions = new Map<string, string>();
    expect(await checkEmptyDirLimits([pod('new', '1Mi')], async () => undefined, evictions)).toEqual([]);
  });
});
