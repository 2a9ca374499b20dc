// Watches served from the watch cache on a real etcd: many `?watch` requests on one resource
// ride the cache's single etcd watch (etcd's own watcher gauge does not move), each gets its
// own correct stream (namespaces, selectors, resume), and a watch from before the cache's
// history gets an etcd watch of its own.
import { RunningApiServerHarness, RunningEtcd, startApiServer, startEtcd } from '@coxswain/harness';

jest.setTimeout(90_000);

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let etcd: RunningEtcd;
let api: RunningApiServerHarness;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Obj }> {
  const res = await fetch(`${api.url}${path}`, { method, headers: { authorization: `Bearer ${api.tokens.admin}`, 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Obj };
}

/** A watch collecting "TYPE name" lines until stopped. */
function watch(path: string): { events: string[]; objects: Obj[]; stop: () => void } {
  const events: string[] = [];
  const objects: Obj[] = [];
  const controller = new AbortController();
  void fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${api.tokens.admin}` }, signal: controller.signal })
    .then(async (res) => {
      let buffer = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += Buffer.from(chunk).toString();
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const event = JSON.parse(buffer.slice(0, nl)) as Obj;
          buffer = buffer.slice(nl + 1);
          if (event.type === 'BOOKMARK') continue;
          events.push(`${event.type} ${event.object.metadata?.name}`);
          objects.push(event.object);
        }
      }
    })
    .catch(() => undefined);
  return { events, objects, stop: () => controller.abort() };
}

/** etcd's count of open watchers (all streams). */
async function etcdWatchers(): Promise<number> {
  const text = await (await fetch(`${etcd.endpoint.split(',')[0]}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('etcd_debugging_mvcc_watcher_total '));
  if (!line) throw new Error('etcd exposes no etcd_debugging_mvcc_watcher_total');
  return Number(line.split(' ')[1]);
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const cm = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { v: '1' } });

beforeAll(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint });
  for (const ns of ['fan-a', 'fan-b']) expect((await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status).toBe(201);
});

afterAll(async () => {
  await api?.stop();
  await etcd?.stop();
});

it('serves many watches from one etcd watch, each with its own namespace, selector and start', async () => {
  const start = (await call('GET', '/api/v1/configmaps')).body.metadata.resourceVersion as string; // the cache exists from here
  const before = await etcdWatchers();
  const watches = {
    all: watch(`/api/v1/configmaps?watch=1&resourceVersion=${start}`),
    a: watch(`/api/v1/namespaces/fan-a/configmaps?watch=1&resourceVersion=${start}`),
    red: watch(`/api/v1/namespaces/fan-a/configmaps?watch=1&resourceVersion=${start}&labelSelector=team%3Dred`),
    one: watch(`/api/v1/namespaces/fan-a/configmaps?watch=1&resourceVersion=${start}&fieldSelector=metadata.name%3Dc1`),
    initial: watch(`/api/v1/namespaces/fan-b/configmaps?watch=1`),
  };
  const copies = Array.from({ length: 10 }, () => watch(`/api/v1/namespaces/fan-a/configmaps?watch=1&resourceVersion=${start}`));
  await new Promise((r) => setTimeout(r, 300));
  expect(await etcdWatchers()).toBe(before);

  expect((await call('POST', '/api/v1/namespaces/fan-a/configmaps', cm('c1', { team: 'red' }))).status).toBe(201);
  expect((await call('POST', '/api/v1/namespaces/fan-b/configmaps', cm('c2'))).status).toBe(201);
  const c3 = await call('POST', '/api/v1/namespaces/fan-a/configmaps', cm('c3', { team: 'blue' }));
  expect((await call('PATCH', '/api/v1/namespaces/fan-a/configmaps/c1', { metadata: { labels: { team: 'blue' } } })).status).toBe(200);
  expect((await call('PATCH', '/api/v1/namespaces/fan-a/configmaps/c3', { metadata: { labels: { team: 'red' } } })).status).toBe(200);
  expect((await call('DELETE', '/api/v1/namespaces/fan-a/configmaps/c1')).status).toBe(200);

  const want = {
    all: ['ADDED c1', 'ADDED c2', 'ADDED c3', 'MODIFIED c1', 'MODIFIED c3', 'DELETED c1'],
    a: ['ADDED c1', 'ADDED c3', 'MODIFIED c1', 'MODIFIED c3', 'DELETED c1'],
    red: ['ADDED c1', 'DELETED c1', 'ADDED c3'], // in and out of the selection
    one: ['ADDED c1', 'MODIFIED c1', 'DELETED c1'],
    initial: ['ADDED c2'],
  };
  await until(() => Object.entries(want).every(([k, v]) => watches[k as keyof typeof watches].events.length >= v.length) && copies.every((c) => c.events.length >= 5), 'every watch');
  await new Promise((r) => setTimeout(r, 300)); // nothing more arrives
  for (const [k, v] of Object.entries(want)) expect([k, watches[k as keyof typeof watches].events]).toEqual([k, v]);
  for (const c of copies) expect(c.events).toEqual(want.a);
  // Objects carry their type meta and their own revision; a resume from c3's revision replays what followed.
  expect(watches.all.objects[0]).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' } });
  const resumed = watch(`/api/v1/namespaces/fan-a/configmaps?watch=1&resourceVersion=${c3.body.metadata.resourceVersion}`);
  await until(() => resumed.events.length >= 3, 'the resumed watch');
  expect(resumed.events).toEqual(['MODIFIED c1', 'MODIFIED c3', 'DELETED c1']);
  expect(await etcdWatchers()).toBe(before);
  for (const w of [...Object.values(watches), ...copies, resumed]) w.stop();
});

it('gives a watch from before the cache existed an etcd watch of its own', async () => {
  const path = '/apis/apps/v1/namespaces/fan-b/controllerrevisions';
  const revision = (name: string) => ({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name }, revision: 1, data: {} });
  const first = await call('POST', path, revision('r1'));
  expect(first.status).toBe(201);
  expect((await call('POST', path, revision('r2'))).status).toBe(201);
  expect((await call('GET', path)).body.items).toHaveLength(2); // builds the cache after both writes
  const before = await etcdWatchers();
  const old = watch(`${path}?watch=1&resourceVersion=${first.body.metadata.resourceVersion}`);
  await until(() => old.events.length >= 1, 'the replay from etcd');
  expect(await etcdWatchers()).toBe(before + 1);
  expect((await call('DELETE', `${path}/r1`)).status).toBe(200);
  await until(() => old.events.length >= 2, 'the live event');
  expect(old.events).toEqual(['ADDED r2', 'DELETED r1']);
  old.stop();
});
