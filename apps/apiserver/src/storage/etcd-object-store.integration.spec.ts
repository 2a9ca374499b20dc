// The etcd adapter's watch on a real etcd that sends progress notifications every 100 ms
// (Kubernetes' clusters send them too): an event written right after a notification still
// arrives. Before the fix the watch took "next revision to ask for" as "seen" and dropped the
// event at exactly that revision (a pod the scheduler never saw in the scheduler bench).
import { resourceForKind } from '@coxswain/api';
import { RunningEtcd, startEtcd } from '@coxswain/harness';
import { EtcdObjectStore } from './etcd-object-store';
import { objectKey } from './keys';
import { CompactedError, StoreEvent } from './object-store';

jest.setTimeout(60_000);

const PODS = resourceForKind('Pod')!;
const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let etcd: RunningEtcd;
let store: EtcdObjectStore;

beforeAll(async () => {
  etcd = await startEtcd({ args: ['--experimental-watch-progress-notify-interval', '100ms'] });
  store = new EtcdObjectStore({ endpoints: [etcd.endpoint] });
});

afterAll(async () => {
  await store?.close();
  await etcd?.stop();
});

it('delivers every write after idle periods with progress notifications in between', async () => {
  const events: StoreEvent[] = [];
  const handle = await store.watch(PODS, { namespace: 'default', afterRevision: await store.currentRevision() }, { onEvent: (e) => events.push(e), onError: (e) => { throw e; } });
  try {
    const written: number[] = [];
    for (let i = 0; i < 5; i++) {
      await sleep(350); // idle: etcd sends a progress notification at the current revision
      written.push(Number((await store.create(PODS, pod(`p${i}`) as never)).metadata.resourceVersion));
    }
    const deadline = Date.now() + 10_000;
    while (events.length < written.length && Date.now() < deadline) await sleep(50);
    expect(events.map((e) => [e.type, e.object.metadata.name, e.revision])).toEqual(written.map((rv, i) => ['ADDED', `p${i}`, rv]));
    expect(handle.lastRevision()).toBe(written[written.length - 1]);
  } finally {
    await handle.stop();
  }
});

it.each([
  ['from etcd (prev_kv)', false],
  ['from the watcher that keeps every object (the cache)', true],
])('gives MODIFIED its previous state and DELETED the last state at the deletion revision, %s', async (_name, keeps) => {
  const held = new Map<string, Record<string, any>>(); // eslint-disable-line @typescript-eslint/no-explicit-any
  const lookups: string[] = [];
  const events: StoreEvent[] = [];
  const previousOf = keeps ? (key: string) => (lookups.push(key), held.get(key) as never) : undefined;
  const handle = await store.watch(PODS, { namespace: 'default', afterRevision: await store.currentRevision(), previousOf }, {
    onEvent: (e) => {
      events.push(e);
      held.set(objectKey(PODS, 'default', e.object.metadata.name!), e.object);
    },
    onError: (e) => { throw e; },
  });
  try {
    const name = keeps ? 'kept' : 'sent';
    const created = await store.create(PODS, { ...pod(name), metadata: { ...pod(name).metadata, labels: { v: '1' } } } as never);
    const updated = await store.update(PODS, { ...created, metadata: { ...created.metadata, labels: { v: '2' } } }, Number(created.metadata.resourceVersion));
    const deleted = await store.delete(PODS, 'default', name);
    const deadline = Date.now() + 10_000;
    while (events.length < 3 && Date.now() < deadline) await sleep(50);
    expect(events.map((e) => [e.type, e.object.metadata.labels, e.object.metadata.resourceVersion, e.previous?.metadata.labels])).toEqual([
      ['ADDED', { v: '1' }, created.metadata.resourceVersion, undefined],
      ['MODIFIED', { v: '2' }, updated.metadata.resourceVersion, { v: '1' }],
      ['DELETED', { v: '2' }, deleted.metadata.resourceVersion, undefined],
    ]);
    expect(lookups).toEqual(keeps ? [objectKey(PODS, 'default', name), objectKey(PODS, 'default', name)] : []);
  } finally {
    await handle.stop();
  }
});

const until = async (what: string, check: () => boolean) => {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

it('watches one object by name, and stops delivering once stopped', async () => {
  const events: StoreEvent[] = [];
  const handle = await store.watch(PODS, { namespace: 'default', name: 'one', afterRevision: await store.currentRevision() }, { onEvent: (e) => events.push(e), onError: (e) => { throw e; } });
  await store.create(PODS, pod('one-other') as never); // same prefix, another object
  const created = await store.create(PODS, pod('one') as never);
  await until('the ADDED event', () => events.length === 1);
  expect(events.map((e) => [e.type, e.object.metadata.name, e.object.metadata.resourceVersion])).toEqual([['ADDED', 'one', created.metadata.resourceVersion]]);
  await handle.stop();
  await store.delete(PODS, 'default', 'one');
  await sleep(300);
  expect(events).toHaveLength(1);
});

it('replays from a past revision in order, and refuses a compacted one with CompactedError', async () => {
  const from = await store.currentRevision();
  const written = [];
  for (let i = 0; i < 30; i++) written.push(Number((await store.create(PODS, pod(`r${i}`) as never)).metadata.resourceVersion));
  const events: StoreEvent[] = [];
  const handle = await store.watch(PODS, { afterRevision: from }, { onEvent: (e) => events.push(e), onError: (e) => { throw e; } });
  try {
    await until('30 replayed events', () => events.length === 30);
    expect(events.map((e) => e.revision)).toEqual(written);
  } finally {
    await handle.stop();
  }
  await store.compact(written[10]);
  // etcd creates the watch, then cancels it: the error comes through onError (or is thrown).
  const errors: unknown[] = [];
  const late: StoreEvent[] = [];
  const compacted = await store.watch(PODS, { afterRevision: from }, { onEvent: (e) => late.push(e), onError: (e) => errors.push(e) }).catch((e: unknown) => (errors.push(e), undefined));
  await until('the compaction error', () => errors.length > 0);
  expect(errors).toEqual([expect.any(CompactedError)]);
  expect(late).toEqual([]);
  await compacted?.stop();
});

it('carries on from where it was, without a gap or a repeat, when etcd is killed and comes back', async () => {
  let restarts = 0;
  const restartable = await startEtcd({ onRestart: () => restarts++ });
  const own = new EtcdObjectStore({ endpoints: [restartable.endpoint] });
  const events: StoreEvent[] = [];
  const errors: Error[] = [];
  try {
    const handle = await own.watch(PODS, { afterRevision: await own.currentRevision() }, { onEvent: (e) => events.push(e), onError: (e) => errors.push(e) });
    const written = [Number((await own.create(PODS, pod('before') as never)).metadata.resourceVersion)];
    await until('the first event', () => events.length === 1);
    restartable.process.child.kill('SIGKILL');
    await until('etcd started again', () => restarts === 1);
    for (let i = 0; i < 20; i++) {
      const rv = await own.create(PODS, pod(`after-${i}`) as never).then((p) => Number(p.metadata.resourceVersion), () => undefined);
      if (rv !== undefined) written.push(rv);
      else i--; // etcd still coming back: the write failed, try it again
    }
    await until('every event', () => events.length === written.length);
    expect(events.map((e) => e.revision)).toEqual(written);
    expect(errors).toEqual([]);
    await handle.stop();
  } finally {
    await own.close();
    await restartable.stop();
  }
});
