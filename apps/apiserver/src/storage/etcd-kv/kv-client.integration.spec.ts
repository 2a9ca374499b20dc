// EtcdKvClient against real etcd: the calls the object store makes, etcd's own errors as
// grpc-js words them (so the store classifies them alike), a dead endpoint skipped, a member
// killed under a 3-member cluster, and a closed client keeping nothing alive.
import { Etcd3 } from 'etcd3';
import { freePort, startEtcd, RunningEtcd } from '@coxswain/harness';
import { EtcdKvClient } from './kv-client';
import { GrpcError } from './grpc-h2';

jest.setTimeout(120_000);

describe('one member', () => {
  let etcd: RunningEtcd;
  let kv: EtcdKvClient;
  let reference: Etcd3;

  beforeAll(async () => {
    etcd = await startEtcd();
    kv = new EtcdKvClient([etcd.endpoint]);
    reference = new Etcd3({ hosts: [etcd.endpoint] });
  });
  afterAll(async () => {
    kv?.close();
    reference?.close();
    await etcd?.stop();
  });

  it('creates only what does not exist, reads it back as etcd3 does, updates and deletes under a revision guard', async () => {
    const key = '/t/a';
    const created = await kv.txn({ compare: [{ key, target: 'Create', result: '==', value: 0 }], success: [{ put: { key, value: '{"v":1}' } }] });
    expect(created.succeeded).toBe(true);
    const again = await kv.txn({ compare: [{ key, target: 'Create', result: '==', value: 0 }], success: [{ put: { key, value: '{"v":2}' } }] });
    expect(again.succeeded).toBe(false);

    const read = await kv.range({ key });
    const theirs = await reference.get(key).exec();
    expect(read.revision).toBe(Number(theirs.header.revision));
    expect(read.kvs.map((k) => [k.key.toString(), k.value.toString(), k.create_revision, k.mod_revision, k.version])).toEqual(
      theirs.kvs.map((k) => [k.key.toString(), k.value.toString(), Number(k.create_revision), Number(k.mod_revision), Number(k.version)]),
    );
    expect(read.kvs[0].mod_revision).toBe(created.revision);

    const stale = await kv.txn({ compare: [{ key, target: 'Mod', result: '==', value: created.revision - 1 }], success: [{ put: { key, value: 'x' } }], failure: [{ range: { key } }] });
    expect(stale.succeeded).toBe(false);
    expect(stale.responses[0].range?.kvs[0].mod_revision).toBe(created.revision);

    const removed = await kv.txn({ compare: [{ key, target: 'Mod', result: '==', value: created.revision }], success: [{ range: { key } }, { deleteRange: { key } }] });
    expect(removed.succeeded).toBe(true);
    expect(removed.responses[0].range?.kvs[0].value.toString()).toBe('{"v":1}');
    expect(removed.responses[1].deleteRange?.deleted).toBe(1);
    expect((await kv.range({ key })).kvs).toEqual([]);
  });

  it('pages a range with a limit at a fixed revision', async () => {
    for (let i = 0; i < 25; i++) await kv.txn({ compare: [], success: [{ put: { key: `/p/${String(i).padStart(2, '0')}`, value: String(i) } }] });
    const first = await kv.range({ key: '/p/', rangeEnd: '/p0', limit: 10 });
    expect(first.kvs.map((k) => k.value.toString())).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(first.more).toBe(true);
    expect(first.count).toBe(25);
    await kv.txn({ compare: [], success: [{ put: { key: '/p/00', value: 'changed' } }] });
    const old = await kv.range({ key: '/p/', rangeEnd: '/p0', limit: 1, revision: first.revision });
    expect(old.kvs[0].value.toString()).toBe('0');
  });

  it("words etcd's errors as grpc-js does: a compacted revision, a future one, a value too large", async () => {
    const { revision } = await kv.txn({ compare: [], success: [{ put: { key: '/c', value: '1' } }] });
    await kv.txn({ compare: [], success: [{ put: { key: '/c', value: '2' } }] });
    await reference.kv.compact({ revision: String(revision + 1), physical: true });
    await expect(kv.range({ key: '/c', revision })).rejects.toThrow(/^11 OUT_OF_RANGE: etcdserver: mvcc: required revision has been compacted$/);
    await expect(kv.range({ key: '/c', revision: revision + 1000 })).rejects.toThrow(/future revision/);
    const error = await kv.txn({ compare: [], success: [{ put: { key: '/big', value: Buffer.alloc(1_700_000) } }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrpcError);
    expect((error as Error).message).toMatch(/request is too large/);
    // The connection is still good after errors.
    expect((await kv.range({ key: '/c' })).kvs[0].value.toString()).toBe('2');
  });

  it('skips an endpoint nothing listens on, and says UNAVAILABLE when none answers', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const failover = new EtcdKvClient([dead, etcd.endpoint]);
    try {
      expect((await failover.range({ key: '/c' })).kvs).toHaveLength(1);
    } finally {
      failover.close();
    }
    const none = new EtcdKvClient([dead]);
    try {
      await expect(none.range({ key: '/c' })).rejects.toThrow(/^14 UNAVAILABLE: no connection to etcd/);
    } finally {
      none.close();
    }
  });
});

it('carries on on the remaining members when the one it talks to is killed', async () => {
  const etcd = await startEtcd({ members: 3 });
  const kv = new EtcdKvClient(etcd.endpoints);
  try {
    await kv.txn({ compare: [], success: [{ put: { key: '/m', value: 'before' } }] });
    etcd.members[0].process.child.kill('SIGKILL');
    await etcd.members[0].process.exited;
    // A call in flight may fail (UNAVAILABLE); the next connects to a live member.
    let written = false;
    for (let attempt = 0; attempt < 5 && !written; attempt++) {
      written = await kv.txn({ compare: [], success: [{ put: { key: '/m', value: 'after' } }] }).then(
        () => true,
        (error: Error) => (expect(error.message).toMatch(/^14 UNAVAILABLE|etcdserver: (request timed out|leader changed|no leader)/), false),
      );
    }
    expect(written).toBe(true);
    expect((await kv.range({ key: '/m' })).kvs[0].value.toString()).toBe('after');
  } finally {
    kv.close();
    await etcd.stop();
  }
});
