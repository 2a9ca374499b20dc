import { KubeObject } from '@coxswain/api';
import { EventEmitter } from 'node:events';
import { CachedObjectStore } from '../storage/cached-object-store';
import { ListResult, ObjectStore, StoredResource, WatchCallbacks } from '../storage/object-store';
import { ipcPeerWrites, PeerWrites, RelayMessage, WriteRelay } from './write-relay';

describe('WriteRelay (the primary fans a write out and answers when every other worker noted it)', () => {
  const setup = () => {
    const sent: Array<[number, RelayMessage]> = [];
    return { sent, relay: new WriteRelay((w, m) => sent.push([w, m])) };
  };

  it('tells every other live worker, then acks the writer once all acked', () => {
    const { sent, relay } = setup();
    relay.receive(0, { t: 'cox-write', seq: 7, resource: '/pods', revision: 42 }, [0, 1, 2]);
    expect(sent).toEqual([
      [1, { t: 'cox-write', seq: 1, resource: '/pods', revision: 42 }],
      [2, { t: 'cox-write', seq: 1, resource: '/pods', revision: 42 }],
    ]);
    relay.receive(1, { t: 'cox-ack', seq: 1 }, [0, 1, 2]);
    expect(sent).toHaveLength(2);
    relay.receive(2, { t: 'cox-ack', seq: 1 }, [0, 1, 2]);
    expect(sent[2]).toEqual([0, { t: 'cox-ack', seq: 7 }]);
  });

  it('acks at once when the writer is alone, and stops waiting for a worker that died', () => {
    const { sent, relay } = setup();
    relay.receive(1, { t: 'cox-write', seq: 3, resource: '/pods', revision: 5 }, [1]);
    expect(sent).toEqual([[1, { t: 'cox-ack', seq: 3 }]]);
    relay.receive(0, { t: 'cox-write', seq: 4, resource: '/pods', revision: 6 }, [0, 1]);
    relay.gone(1);
    expect(sent[sent.length - 1]).toEqual([0, { t: 'cox-ack', seq: 4 }]);
  });

  it('ignores duplicate and unknown acks', () => {
    const { sent, relay } = setup();
    relay.receive(0, { t: 'cox-write', seq: 1, resource: '/pods', revision: 5 }, [0, 1, 2]);
    relay.receive(1, { t: 'cox-ack', seq: 1 }, [0, 1, 2]);
    relay.receive(1, { t: 'cox-ack', seq: 1 }, [0, 1, 2]);
    relay.receive(1, { t: 'cox-ack', seq: 99 }, [0, 1, 2]);
    expect(sent.filter(([w]) => w === 0)).toEqual([]);
  });
});

describe('ipcPeerWrites (the worker side)', () => {
  it('publish resolves on the ack; a peer write is noted and acked', async () => {
    const channel = new EventEmitter() as EventEmitter & { send: (m: RelayMessage) => boolean };
    const out: RelayMessage[] = [];
    channel.send = (m) => (out.push(m), true);
    const peers = ipcPeerWrites(channel as never);
    const noted: Array<[string, number]> = [];
    peers.onPeerWrite((r, rev) => noted.push([r, rev]));
    let done = false;
    const published = peers.publish('/pods', 10).then(() => (done = true));
    expect(out).toEqual([{ t: 'cox-write', seq: 1, resource: '/pods', revision: 10 }]);
    await Promise.resolve();
    expect(done).toBe(false);
    channel.emit('message', { t: 'cox-ack', seq: 1 });
    await published;
    channel.emit('message', { t: 'cox-write', seq: 5, resource: '/configmaps', revision: 11 });
    expect(noted).toEqual([['/configmaps', 11]]);
    expect(out[1]).toEqual({ t: 'cox-ack', seq: 5 });
  });
});

describe('CachedObjectStore with peers', () => {
  const pods: StoredResource = { group: '', plural: 'pods', namespaced: true };
  const pod = (rv: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name: 'web', resourceVersion: rv } });

  function fakes() {
    const watchers: WatchCallbacks[] = [];
    const etcd = {
      async list(): Promise<ListResult> {
        return { items: [pod('5')], resourceVersion: '5' };
      },
      async watch(_r: unknown, _o: unknown, callbacks: WatchCallbacks) {
        watchers.push(callbacks);
        return { lastRevision: () => 5, stop: async () => undefined };
      },
      async update(_r: unknown, obj: KubeObject) {
        return { ...obj, metadata: { ...obj.metadata, resourceVersion: '9' } };
      },
      async close() {},
    } as unknown as ObjectStore;
    let peerWrite: (resource: string, revision: number) => void = () => undefined;
    const published: Array<[string, number]> = [];
    let release: () => void = () => undefined;
    const peers: PeerWrites = {
      publish: (r, rev) => {
        published.push([r, rev]);
        return new Promise((resolve) => (release = resolve));
      },
      onPeerWrite: (h) => (peerWrite = h),
    };
    return { watchers, etcd, peers, published, peerWrite: (r: string, rev: number) => peerWrite(r, rev), release: () => release() };
  }

  it("makes a read wait for another worker's write it heard of", async () => {
    const f = fakes();
    const cache = new CachedObjectStore(f.etcd, f.peers);
    expect((await cache.get(pods, 'default', 'web'))?.metadata.resourceVersion).toBe('5');
    f.peerWrite('/pods', 7);
    let read: KubeObject | undefined;
    const pending = cache.get(pods, 'default', 'web').then((o) => (read = o));
    await new Promise((r) => setTimeout(r, 20));
    expect(read).toBeUndefined(); // the cache is at 5, a peer wrote 7
    f.watchers[0].onEvent({ type: 'MODIFIED', object: pod('7'), revision: 7 });
    await pending;
    expect(read?.metadata.resourceVersion).toBe('7');
    await cache.close();
  });

  it('answers a write only after the peers noted it', async () => {
    const f = fakes();
    const cache = new CachedObjectStore(f.etcd, f.peers);
    let answered = false;
    const write = cache.update(pods, pod('5'), 5).then(() => (answered = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(f.published).toEqual([['/pods', 9]]);
    expect(answered).toBe(false);
    f.release();
    await write;
    expect(answered).toBe(true);
    await cache.close();
  });
});
