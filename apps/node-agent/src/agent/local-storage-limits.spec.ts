import { Pod } from '@coxswain/api/browser';
import { ObservedContainer, ObservedPod } from '../sync/model';
import { checkLocalStorage as check, LocalStorageUsage } from './local-storage-limits';

const state = (evictions: Map<string, string>) => ({ evictions, notBefore: new Map<string, number>() });
const checkLocalStorage = (pods: Pod[], observed: ObservedPod[], usage: LocalStorageUsage, evictions: Map<string, string>) => check(pods, observed, usage, state(evictions), () => 0);

const pod = (uid: string, sizeLimit: string | undefined, over: Record<string, unknown> = {}, storageLimit?: string): Pod =>
  ({
    metadata: { uid, name: uid, namespace: 'd' },
    spec: {
      containers: [{ name: 'a', image: 'b', ...(storageLimit ? { resources: { limits: { 'ephemeral-storage': storageLimit } } } : {}) }],
      volumes: [{ name: 'scratch', emptyDir: sizeLimit ? { sizeLimit } : {} }],
    },
    status: { phase: 'Running' },
    ...over,
  }) as unknown as Pod;
const seen = (uid: string, containers: Array<Partial<ObservedContainer>> = []): ObservedPod =>
  ({ uid, namespace: 'd', name: uid, sandbox: { ready: true }, containers: containers.map((c) => ({ id: `${uid}-c`, name: 'a', attempt: 0, state: 'running', ...c })) });

function usage(volumes: Record<string, number | undefined>, containers: Record<string, number> = {}, asked: string[] = []): LocalStorageUsage {
  return {
    volumeUsageBytes: async (uid, volume) => (asked.push(`${uid}/${volume}`), volumes[uid]),
    containerStorageBytes: async (uid, instance) => (asked.push(`${uid}/${instance.id}`), containers[instance.id]),
  };
}

describe('checkLocalStorage', () => {
  it('evicts a pod over its emptyDir limit, with the kubelet\'s message, and measures only pods with limits', async () => {
    const asked: string[] = [];
    const evictions = new Map<string, string>();
    const pods = [pod('big', '1Mi'), pod('small', '1Mi'), pod('nolimit', undefined)];
    const evicted = await checkLocalStorage(pods, pods.map((p) => seen(p.metadata.uid!)), usage({ big: 5_000_000, small: 10, nolimit: 9e9 }, {}, asked), evictions);
    expect(evicted).toEqual(['big']);
    expect(evictions.get('big')).toBe('Usage of EmptyDir volume "scratch" exceeds the limit "1Mi". ');
    expect(asked).toEqual(['big/scratch', 'small/scratch']);
  });

  it('measures the latest running instance of each container against the ephemeral-storage limits', async () => {
    const evictions = new Map<string, string>();
    const observed = [seen('w', [{ id: 'old', attempt: 0, state: 'exited' }, { id: 'new', attempt: 1 }])];
    expect(await checkLocalStorage([pod('w', undefined, {}, '1Mi')], observed, usage({ w: 0 }, { old: 9e9, new: 2_000_000 }), evictions)).toEqual(['w']);
    // One container: the pod's total limit is its limit, and the kubelet checks the pod first.
    expect(evictions.get('w')).toBe('Pod ephemeral local storage usage exceeds the total limit of containers 1Mi. ');
  });

  it('an exited instance is not measured (what it wrote goes with it)', async () => {
    const evictions = new Map<string, string>();
    const observed = [seen('w', [{ id: 'done', state: 'exited' }])];
    expect(await checkLocalStorage([pod('w', undefined, {}, '1Mi')], observed, usage({ w: 0 }, { done: 9e9 }), evictions)).toEqual([]);
  });

  it('leaves alone pods that are done, being deleted, or already evicted', async () => {
    const evictions = new Map([['again', 'before']]);
    const pods = [
      pod('failed', '1Mi', { status: { phase: 'Failed' } }),
      pod('deleting', '1Mi', { metadata: { uid: 'deleting', name: 'x', namespace: 'd', deletionTimestamp: '2026-12-08T00:00:00Z' } }),
      pod('again', '1Mi'),
    ];
    expect(await checkLocalStorage(pods, [], usage({ failed: 9e9, deleting: 9e9, again: 9e9 }), evictions)).toEqual([]);
    expect(evictions.get('again')).toBe('before');
  });

  it('forgets evictions of pods no longer bound here', async () => {
    const evictions = new Map([['gone', 'm']]);
    await checkLocalStorage([], [], usage({}), evictions);
    expect(evictions.size).toBe(0);
  });

  it('a volume with no directory yet is not over', async () => {
    const evictions = new Map<string, string>();
    expect(await checkLocalStorage([pod('new', '1Mi')], [], usage({ new: undefined }), evictions)).toEqual([]);
  });

  it('a pod whose measurement took t is measured again only 20 t later (at the earliest)', async () => {
    let clock = 1_000;
    const slow: LocalStorageUsage = { volumeUsageBytes: async () => ((clock += 50), 10), containerStorageBytes: async () => undefined };
    const s = state(new Map());
    const asked = () => check([pod('p', '1Mi')], [], { volumeUsageBytes: async (...a) => ((calls += 1), slow.volumeUsageBytes(...a)), containerStorageBytes: slow.containerStorageBytes }, s, () => clock);
    let calls = 0;
    await asked();
    expect(calls).toBe(1);
    expect(s.notBefore.get('p')).toBe(1_050 + 50 * 20);
    clock = 2_000;
    await asked();
    expect(calls).toBe(1);
    clock = 2_050;
    await asked();
    expect(calls).toBe(2);
  });
});
