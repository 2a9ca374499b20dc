// What a real fleet throws at the API server, on a real etcd and API server process: etcd
// frozen (readyz must say so within seconds and recover), a cache whose first fill failed
// (must recover without a restart), official clients' boolean spellings, bodies nested to
// crash a recursive decoder.
import { Etcd3 } from 'etcd3';
import { freePort, startApiServer, startEtcd, RunningApiServerHarness, RunningEtcd } from '@coxswain/harness';

jest.setTimeout(90_000);

let etcd: RunningEtcd;
let api: RunningApiServerHarness;

const auth = () => ({ authorization: `Bearer ${api.tokens.admin}` });
/** A request that must come back: a hang fails through the abort, never by timing. */
const call = (path: string, init: RequestInit = {}) => fetch(`${api.url}${path}`, { ...init, signal: AbortSignal.timeout(20_000) });

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint });
});

afterAll(async () => {
  etcd?.process.child.kill('SIGCONT');
  await api?.stop();
  await etcd?.stop();
});

describe('health', () => {
  it('lists its checks with ?verbose', async () => {
    const res = await call('/readyz?verbose');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('[+]ping ok\n[+]etcd ok\n[+]informer-sync ok\n[+]poststarthook/bootstrap-controller ok\n[+]shutdown ok\nreadyz check passed\n');
    expect((await call('/livez/etcd')).status).toBe(200);
    expect((await call('/readyz/nonexistent')).status).toBe(404);
  });

  it('is not ready before the built-in objects are written (a client waiting on /readyz never races them)', async () => {
    const fresh = await startEtcd();
    const raw = new Etcd3({ hosts: [fresh.endpoint] });
    const port = await freePort();
    let second: RunningApiServerHarness | undefined;
    const starting = startApiServer({ etcdEndpoint: fresh.endpoint, port }).then((started) => (second = started));
    try {
      // Poll far faster than the harness does: the first 200 must already see every object.
      let ready = false;
      while (!ready) {
        ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((res) => res.status === 200, () => false);
        if (!ready) await new Promise((r) => setTimeout(r, 2));
      }
      const keys = (await raw.getAll().prefix('/registry/').keys()).sort();
      expect(keys).toEqual(expect.arrayContaining(['/registry/core/namespaces/default', '/registry/core/namespaces/kube-system', '/registry/core/services/default/kubernetes']));
    } finally {
      await starting.catch(() => undefined);
      await second?.stop();
      raw.close();
      await fresh.stop();
    }
  });

  it('fails readyz and livez (instead of hanging) while etcd is frozen, and a resource first read then recovers', async () => {
    await etcd.process.freeze();
    try {
      const ready = await call('/readyz?verbose');
      expect(ready.status).toBe(500);
      expect(await ready.text()).toMatch(/\[-\]etcd failed: timed out after 2000ms[\s\S]*readyz check failed/);
      expect((await call('/livez')).status).toBe(500);
      // The first read of a kind while etcd is frozen fails; that failure must not stick.
      // (It either answers 5xx or hangs until the client gives up; both are failures.)
      const status = await call('/apis/coordination.k8s.io/v1/leases', { headers: auth() }).then((res) => res.status, () => 'aborted');
      expect(status === 'aborted' || (status as number) >= 500).toBe(true);
    } finally {
      etcd.process.child.kill('SIGCONT');
    }
    await eventually('readyz back to 200', async () => (await call('/readyz')).status === 200);
    await eventually('leases served again', async () => (await call('/apis/coordination.k8s.io/v1/leases', { headers: auth() })).status === 200);
  });
});

describe('request parsing', () => {
  it.each(['True', 'TRUE', 't', '1', 'true'])('watch=%s starts a watch, as Kubernetes reads it', async (value) => {
    const controller = new AbortController();
    const res = await fetch(`${api.url}/api/v1/namespaces/default/pods?watch=${value}&timeoutSeconds=1`, { headers: auth(), signal: controller.signal });
    expect(res.status).toBe(200);
    const body = await res.text(); // the server ends the watch after timeoutSeconds
    expect(body).not.toContain('"kind":"PodList"');
  });

  it('watch=False lists', async () => {
    const res = await call('/api/v1/namespaces/default/pods?watch=False', { headers: auth() });
    expect(await res.json()).toMatchObject({ kind: 'PodList' });
  });

  it.each([
    ['application/json', '{"metadata":'.repeat(20_000) + '{}' + '}'.repeat(20_000)],
    ['application/yaml', '['.repeat(20_000) + ']'.repeat(20_000)],
    ['application/merge-patch+json', '['.repeat(20_000) + ']'.repeat(20_000)],
  ])('a %s body nested 20,000 deep is a 400 Status and the server keeps serving', async (type, body) => {
    const method = type.includes('patch') ? 'PATCH' : 'POST';
    const path = method === 'PATCH' ? '/api/v1/namespaces/default' : '/api/v1/namespaces/default/pods';
    const res = await call(path, { method, headers: { ...auth(), 'content-type': type }, body });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
    expect((await call('/api/v1/namespaces/default', { headers: auth() })).status).toBe(200);
  });
});

describe('overload protection', () => {
  let small: RunningApiServerHarness;
  beforeAll(async () => {
    small = await startApiServer({ etcdEndpoint: etcd.endpoint, nodes: ['n1'], args: ['--max-requests-inflight', '2', '--max-mutating-requests-inflight', '2'] });
  });
  afterAll(() => small?.stop());

  const post = (token: string, name: string) =>
    fetch(`${small.url}/api/v1/namespaces/default/configmaps-not-served-${name}`, { method: 'GET', headers: { authorization: `Bearer ${token}` } });

  it('answers a flood from one user with 429 + Retry-After while a node is still served', async () => {
    const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const flood = Array.from({ length: 150 }, (_, i) =>
      fetch(`${small.url}/api/v1/namespaces/default/pods`, { method: 'POST', headers: { authorization: `Bearer ${small.tokens.admin}`, 'content-type': 'application/json' }, body: JSON.stringify(pod(`flood-${i}`)) }),
    );
    // The node's heartbeat-like read goes through its own lane while the flood is queued.
    const node = await fetch(`${small.url}/api/v1/nodes`, { headers: { authorization: `Bearer ${small.tokens.node.n1}` }, signal: AbortSignal.timeout(20_000) });
    expect(node.status).toBe(200);
    const answers = await Promise.all(flood);
    const rejected = answers.filter((r) => r.status === 429);
    expect(rejected.length).toBeGreaterThan(0);
    expect(answers.every((r) => r.status === 201 || r.status === 429)).toBe(true);
    expect(rejected[0].headers.get('retry-after')).toBe('1');
    expect(await rejected[0].json()).toMatchObject({ kind: 'Status', reason: 'TooManyRequests', code: 429, details: { retryAfterSeconds: 1 } });
    const metrics = await (await fetch(`${small.url}/metrics`)).text();
    expect(metrics).toMatch(/apiserver_flowcontrol_rejected_requests_total\{priority_level="workload",reason="queue-full"\} \d+/);
  });

  it('labels metrics only with resources it serves, for authenticated callers', async () => {
    await post('not-a-token', 'anon1');
    await post(small.tokens.admin, 'admin1');
    const metrics = await (await fetch(`${small.url}/metrics`)).text();
    expect(metrics).not.toContain('configmaps-not-served');
    // Both the anonymous 401 and the 404 for a path we do not serve count under an empty resource.
    expect(metrics).toMatch(/apiserver_request_total\{verb="LIST",group="",version="",resource="",subresource="",scope="namespace",code="401"\} 1/);
    expect(metrics).toMatch(/apiserver_request_total\{verb="LIST",group="",version="",resource="",subresource="",scope="namespace",code="404"\} 1/);
  });
});

describe('etcd housekeeping', () => {
  it('compacts history every interval, so an old resourceVersion gets 410 Gone', async () => {
    const compacting = await startApiServer({ etcdEndpoint: etcd.endpoint, args: ['--etcd-compaction-interval', '1s'] });
    try {
      const headers = { authorization: `Bearer ${compacting.tokens.admin}`, 'content-type': 'application/json' };
      const created = await (await fetch(`${compacting.url}/api/v1/namespaces`, { method: 'POST', headers, body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'compact-me' } }) })).json() as { metadata: { resourceVersion: string } };
      const oldRevision = Number(created.metadata.resourceVersion);
      for (let i = 0; i < 3; i++) {
        await fetch(`${compacting.url}/api/v1/namespaces/compact-me`, { method: 'PATCH', headers: { ...headers, 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ metadata: { labels: { round: String(i) } } }) });
      }
      // Two ticks: the first records a revision, the second compacts up to it.
      await eventually('a compaction', async () => /apiserver_storage_compactions_total \d*[1-9]/.test(await (await fetch(`${compacting.url}/metrics`)).text()));
      const watch = await fetch(`${compacting.url}/api/v1/namespaces?watch=1&resourceVersion=${oldRevision}`, { headers, signal: AbortSignal.timeout(20_000) });
      const body = await watch.text();
      expect(watch.status === 410 || /"code":410/.test(body)).toBe(true);
      expect(await (await fetch(`${compacting.url}/metrics`)).text()).toMatch(/apiserver_storage_db_total_size_in_bytes [1-9]\d*/);
    } finally {
      await compacting.stop();
    }
  });
});
