import { KubeObject } from '@coxswain/api';
import { CachedObjectStore } from './cached-object-store';
import { ListResult, ObjectStore, StoredResource, WatchCallbacks } from './object-store';

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
