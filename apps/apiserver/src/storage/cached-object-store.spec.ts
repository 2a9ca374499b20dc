import { KubeObject, staleConflict } from '@coxswain/api';
import { CachedObjectStore } from './cached-object-store';
import { ListResult, ObjectStore, StoredResource, WatchCallbacks, withCurrentRevision } from './object-store';

const pods: StoredResource = { group: '', plural: 'pods', namespaced: true };
const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name: 'web', resourceVersion: '5' } };

/** An etcd stand-in whose list fails while `down` is set. */
function flakyEtcd() {
  const state = { down: true, lists: 0, watchers: [] as WatchCallbacks[] };
  const store: Partial<ObjectStore> = {
    async list(): Promise<ListResult> {
      state.lists++;
      if (state.down) throw new Error('etcdserver: request timed out');
      return { items: [pod], resourceVersion: '5' };
    },
    async watch(_r, _o, callbacks) {
      state.watchers.push(callbacks);
      return { lastRevision: () => 5, stop: async () => undefined };
    },
    async close() {},
  };
  return { state, etcd: store as ObjectStore };
}

describe('CachedObjectStore when etcd fails', () => {
  afterEach(() => jest.useRealTimers());

  it('does not keep a failed first list: the next read tries etcd again', async () => {
    const { state, etcd } = flakyEtcd();
    const cache = new CachedObjectStore(etcd);
    await expect(cache.get(pods, 'default', 'web')).rejects.toThrow(/timed out/);
    expect(cache.unsynced()).toEqual(['/pods: etcdserver: request timed out']);
    state.down = false;
    await expect(cache.get(pods, 'default', 'web')).resolves.toMatchObject({ metadata: { name: 'web' } });
    expect(cache.unsynced()).toEqual([]);
    await cache.close();
  });

  it('rebuilds a failed cache in the background with back-off, so readiness recovers without traffic', async () => {
    jest.useFakeTimers();
    const { state, etcd } = flakyEtcd();
    const cache = new CachedObjectStore(etcd);
    await expect(cache.list(pods)).rejects.toThrow();
    await jest.advanceTimersByTimeAsync(250); // first retry, still down
    expect(state.lists).toBe(2);
    expect(cache.unsynced()).toHaveLength(1);
    state.down = false;
    await jest.advanceTimersByTimeAsync(999);
    expect(state.lists).toBe(2); // the second retry waits 1 s
    await jest.advanceTimersByTimeAsync(1);
    expect(state.lists).toBe(3);
    expect(cache.unsynced()).toEqual([]);
    await cache.close();
  });

  it('rebuilds after the watch stream is lost', async () => {
    jest.useFakeTimers();
    const { state, etcd } = flakyEtcd();
    state.down = false;
    const cache = new CachedObjectStore(etcd);
    await cache.list(pods);
    state.down = true;
    state.watchers[0].onError(new Error('etcd connection lost'));
    expect(cache.unsynced()).toEqual(['/pods: etcd connection lost']);
    state.down = false;
    await jest.advanceTimersByTimeAsync(250);
    expect(cache.unsynced()).toEqual([]);
    expect(state.watchers).toHaveLength(2);
    await cache.close();
  });
});

describe('CachedObjectStore reads it cannot answer for sure', () => {
  /** etcd holds `stored`; the cache was filled at revision 5 with `web` only. */
  function behindEtcd(stored: KubeObject[]) {
    const watchers: WatchCallbacks[] = [];
    const gets: string[] = [];
    const etcd = {
      async list(): Promise<ListResult> {
        return { items: [pod], resourceVersion: '5' };
      },
      async watch(_r: unknown, _o: unknown, callbacks: WatchCallbacks) {
        watchers.push(callbacks);
        return { lastRevision: () => 5, stop: async () => undefined };
      },
      async get(_r: unknown, _ns: string | undefined, name: string) {
        gets.push(name);
        return stored.find((o) => o.metadata.name === name);
      },
      async update() {
        throw withCurrentRevision(staleConflict({ resource: 'pods', name: 'web' }), 8);
      },
      async close() {},
    } as unknown as ObjectStore;
    return { etcd, watchers, gets };
  }
  const web8: KubeObject = { ...pod, metadata: { ...pod.metadata, resourceVersion: '8' } };
  const late: KubeObject = { ...pod, metadata: { ...pod.metadata, name: 'late', resourceVersion: '7' } };

  it.each<[string, Partial<{ allowStale: boolean; minRevision: number }>, string, KubeObject[], string | undefined, string[]]>([
    ['a hit at the cache revision', {}, 'web', [web8], '5', []],
    ['a hit when the client saw no newer revision', { minRevision: 5 }, 'web', [web8], '5', []],
    ['a miss: another worker wrote it, a watch there showed it', {}, 'late', [pod, late], '7', ['late']],
    ['a miss on a stale read too', { allowStale: true }, 'late', [pod, late], '7', ['late']],
    ['a true miss (etcd says 404 too)', {}, 'gone', [pod], undefined, ['gone']],
    ['a hit older than the revision the client holds', { minRevision: 8 }, 'web', [web8], '8', ['web']],
  ])('%s', async (_name, options, name, stored, wantRevision, wantEtcdGets) => {
    const f = behindEtcd(stored);
    const cache = new CachedObjectStore(f.etcd);
    const got = await cache.get(pods, 'default', name, options);
    expect(got?.metadata.resourceVersion).toBe(wantRevision);
    expect(f.gets).toEqual(wantEtcdGets);
    await cache.close();
  });

  it("makes the read after a conflict wait for the key's current revision", async () => {
    const f = behindEtcd([web8]);
    const cache = new CachedObjectStore(f.etcd);
    await cache.get(pods, 'default', 'web');
    await expect(cache.update(pods, pod, 5)).rejects.toMatchObject({ code: 409 });
    let read: KubeObject | undefined;
    const pending = cache.get(pods, 'default', 'web').then((o) => (read = o));
    await new Promise((r) => setTimeout(r, 20));
    expect(read).toBeUndefined(); // the cache is at 5, etcd said the key is at 8
    f.watchers[0].onEvent({ type: 'MODIFIED', object: web8, revision: 8 });
    await pending;
    expect(read?.metadata.resourceVersion).toBe('8');
    expect(f.gets).toEqual([]);
    await cache.close();
  });
});
