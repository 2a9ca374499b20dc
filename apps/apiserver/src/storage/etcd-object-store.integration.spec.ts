// The etcd adapter's watch on a real etcd that sends progress notifications every 100 ms
// (Kubernetes' clusters send them too): an event written right after a notification still
// arrives. Before the fix the watch took "next revision to ask for" as "seen" and dropped the
// event at exactly that revision (a pod the scheduler never saw in the scheduler bench).
import { resourceForKind } from '@coxswain/api';
import { RunningEtcd, startEtcd } from '@coxswain/harness';
import { EtcdObjectStore } from './etcd-object-store';
import { StoreEvent } from './object-store';

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
