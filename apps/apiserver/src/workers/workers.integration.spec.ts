// `--workers 2` on a real etcd: interleaved writers on many connections (the kernel spreads
// them over both workers), each write read back at once on another connection, watches opened
// on several connections. Reads see every write already answered, watches deliver the same
// events in the same revision order, lists agree on resourceVersion, stale writes conflict.
import { readdirSync, readFileSync } from 'node:fs';
import { Client } from 'undici';
import { RunningApiServerHarness, RunningEtcd, startApiServer, startEtcd } from '@coxswain/harness';

jest.setTimeout(120_000);

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let etcd: RunningEtcd;
let api: RunningApiServerHarness;
let clients: Client[] = [];

const NS = 'workers';
const WRITERS = 6;
const ROUNDS = 8;

async function call(client: Client, method: string, path: string, body?: unknown, token = api.tokens.admin): Promise<{ status: number; body: Obj }> {
  const res = await client.request({ method: method as 'GET', path, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? (JSON.parse(text) as Obj) : {} };
}

function children(pid: number): number[] {
  return readdirTasks(pid).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
}

function readdirTasks(pid: number): string[] {
  return readdirSync(`/proc/${pid}/task`);
}

/** A watch on its own connection, each event handed to `onEvent` until stopped; `done` settles when the stream ends. */
function watchPath(client: Client, path: string, onEvent: (event: Obj) => void): { done: Promise<void>; stop: () => void } {
  const controller = new AbortController();
  const done = client
    .request({ method: 'GET', path, headers: { authorization: `Bearer ${api.tokens.admin}` }, signal: controller.signal })
    .then(async (res) => {
      let buffer = '';
      for await (const chunk of res.body) {
        buffer += chunk.toString();
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          onEvent(JSON.parse(buffer.slice(0, nl)));
          buffer = buffer.slice(nl + 1);
        }
      }
    });
  return { done, stop: () => controller.abort() };
}

/** A watch on the test namespace's ConfigMaps, collecting events until stopped. */
function watch(client: Client, resourceVersion: string): { events: Obj[]; stop: () => void } {
  const events: Obj[] = [];
  const { done, stop } = watchPath(client, `/api/v1/namespaces/${NS}/configmaps?watch=1&resourceVersion=${resourceVersion}`, (event) => events.push(event));
  done.catch(() => undefined);
  return { events, stop };
}

beforeAll(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint, workers: 2 });
  clients = Array.from({ length: 12 }, () => new Client(api.url, { pipelining: 1 }));
  expect((await call(clients[0], 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })).status).toBe(201);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  await api?.stop();
  await etcd?.stop();
});

it('runs two worker processes under one primary', () => {
  expect(children(api.pid).length).toBe(2);
});

it('keeps read-your-writes, watch order and resourceVersion semantics across workers', async () => {
  const start = await call(clients[0], 'GET', `/api/v1/namespaces/${NS}/configmaps`);
  const watches = clients.slice(8).map((c) => watch(c, start.body.metadata.resourceVersion));
  await new Promise((r) => setTimeout(r, 300));

  const written: Array<{ type: string; name: string; rv: string }> = [];
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      const mine = clients[w % 8];
      const other = clients[(w + 3) % 8];
      for (let round = 0; round < ROUNDS; round++) {
        const name = `w${w}-r${round}`;
        const created = await call(mine, 'POST', `/api/v1/namespaces/${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { round: String(round) } });
        expect(created.status).toBe(201);
        written.push({ type: 'ADDED', name, rv: created.body.metadata.resourceVersion });
        // Read back at once on another connection: the write is visible, at its revision.
        const read = await call(other, 'GET', `/api/v1/namespaces/${NS}/configmaps/${name}`);
        expect([read.status, read.body.metadata?.resourceVersion]).toEqual([200, created.body.metadata.resourceVersion]);
        const updated = await call(other, 'PUT', `/api/v1/namespaces/${NS}/configmaps/${name}`, { ...read.body, data: { round: String(round), updated: 'yes' } });
        expect(updated.status).toBe(200);
        written.push({ type: 'MODIFIED', name, rv: updated.body.metadata.resourceVersion });
        // The stale copy conflicts, whichever worker gets it.
        const stale = await call(mine, 'PUT', `/api/v1/namespaces/${NS}/configmaps/${name}`, { ...read.body, data: { stale: 'yes' } });
        expect(stale.status).toBe(409);
        const again = await call(mine, 'GET', `/api/v1/namespaces/${NS}/configmaps/${name}`);
        expect(again.body.data).toEqual({ round: String(round), updated: 'yes' });
      }
    }),
  );

  const expected = [...written].sort((a, b) => Number(a.rv) - Number(b.rv));
  const last = expected[expected.length - 1].rv;
  // Every list, on every connection, is at the last write's revision and holds every object.
  for (const client of clients.slice(0, 8)) {
    const list = await call(client, 'GET', `/api/v1/namespaces/${NS}/configmaps`);
    expect(list.body.metadata.resourceVersion).toBe(last);
    expect(list.body.items).toHaveLength(WRITERS * ROUNDS);
  }
  const deadline = Date.now() + 20_000;
  while (watches.some((w) => w.events.length < expected.length) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const w of watches) {
    w.stop();
    expect(w.events.map((e) => ({ type: e.type, name: e.object.metadata.name, rv: e.object.metadata.resourceVersion }))).toEqual(expected);
  }
});

it('finds an object on every worker as soon as a watch on any worker delivered it (the scheduler binds what it watched)', async () => {
  // The scheduler's pattern: a watch on one connection, a bind per ADDED pod on others. A
  // worker whose watch cache had not yet seen the pod answered 404, and the scheduler dropped
  // the pod as deleted (30 of 3,150 pods never bound in the 2-worker bench).
  const PODS = 150;
  const start = await call(clients[0], 'GET', `/api/v1/namespaces/${NS}/pods`);
  const binds: Array<Promise<{ name: string; status: number; message?: string }>> = [];
  let next = 0;
  let allBound: () => void = () => {};
  const seen = new Promise<void>((resolve) => (allBound = resolve));
  const podWatch = watchPath(clients[11], `/api/v1/namespaces/${NS}/pods?watch=1&resourceVersion=${start.body.metadata.resourceVersion}`, (event) => {
    if (event.type !== 'ADDED') return;
    const name = event.object.metadata.name as string;
    const client = clients[next++ % 11];
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name, uid: event.object.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-a' } };
    binds.push(call(client, 'POST', `/api/v1/namespaces/${NS}/pods/${name}/binding`, binding, api.tokens.scheduler).then((r) => ({ name, status: r.status, message: r.status === 201 ? undefined : r.body.message })));
    if (binds.length === PODS) allBound();
  });
  await Promise.all(
    Array.from({ length: PODS }, (_, i) =>
      call(clients[i % 6], 'POST', `/api/v1/namespaces/${NS}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}` }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }).then((r) => expect(r.status).toBe(201)),
    ),
  );
  await Promise.race([seen, podWatch.done.then(() => Promise.reject(new Error('the pod watch ended early')))]);
  podWatch.stop();
  const results = await Promise.all(binds);
  expect(results.filter((r) => r.status !== 201)).toEqual([]);
});

it("serves /metrics for the whole server: every worker's requests, summed, whichever worker is scraped", async () => {
  // The bind test above created 150 pods through connections spread over both workers.
  const created = /apiserver_request_total\{verb="POST",group="",version="v1",resource="pods",subresource="",scope="namespace",code="201"\} (\d+)/;
  for (const client of clients.slice(0, 6)) {
    const res = await client.request({ method: 'GET', path: '/metrics' });
    const text = await res.body.text();
    expect(res.statusCode).toBe(200);
    expect(Number(created.exec(text)?.[1])).toBe(150);
  }
});
