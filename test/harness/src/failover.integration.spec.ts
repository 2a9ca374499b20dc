// Two real API servers on one etcd: with both listed, killing the one in use loses no request
// and no watch event; the watch resumes on the other from its last resourceVersion.
import { BUILTIN_RESOURCES as R, KubeClient, KubeObject } from '@coxswain/client';
import { RunningApiServerHarness, startApiServer } from './apiserver';
import { RunningEtcd, startEtcd } from './etcd';
import { waitUntil } from './process';

jest.setTimeout(120_000);

let etcd: RunningEtcd;
let a: RunningApiServerHarness;
let b: RunningApiServerHarness;
let client: KubeClient;

beforeAll(async () => {
  etcd = await startEtcd();
  a = await startApiServer({ etcdEndpoint: etcd.endpoint, nodes: [] });
  b = await startApiServer({ etcdEndpoint: etcd.endpoint, tokens: a.tokens });
  client = new KubeClient({ server: `${a.url},${b.url}`, token: a.tokens.admin });
}, 90_000);

afterAll(async () => {
  await client?.destroy();
  await a?.stop();
  await b?.stop();
  await etcd?.stop();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const configMap = (name: string): KubeObject & { data: Record<string, string> } => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data: { n: name },
});

it('keeps serving requests and a watch when the API server in use is killed', async () => {
  const seen: string[] = [];
  const start = await client.list(R.ConfigMap, { namespace: 'default' });
  let rv = start.metadata.resourceVersion!;
  let watches = 0;
  let stopped = false;
  // A watch loop as an informer runs it, without relists: resume from the last version seen.
  const loop = (async () => {
    while (!stopped) {
      try {
        const watch = await client.watch(R.ConfigMap, { namespace: 'default', resourceVersion: rv, allowWatchBookmarks: false });
        watches++;
        for await (const event of watch) {
          if (stopped) watch.stop();
          if (event.type === 'ADDED') seen.push(event.object.metadata!.name!);
          rv = event.object.metadata!.resourceVersion!;
        }
      } catch {
        if (stopped) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  })();
  const created: string[] = [];
  try {
    for (let i = 0; i < 5; i++) created.push((await client.create(R.ConfigMap, configMap(`before-${i}`))).metadata!.name!);
    expect(client.transport.currentServer).toBe(a.url);

    process.kill(a.pid, 'SIGKILL');
    // Reads right after the kill may go out on a kept-alive connection the kernel has just
    // reset: as idempotent requests they are retried on the other server.
    for (let i = 0; i < 5; i++) expect((await client.get(R.ConfigMap, 'before-0', { namespace: 'default' })).metadata!.name).toBe('before-0');
    // Writes once the dead server's connections are gone (a POST on a connection reset
    // mid-request is not retried, as in client-go: it may have been applied).
    await waitUntil(async () => !alive(a.pid), 10_000, () => 'apiserver still alive', 20);
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < 10; i++) created.push((await client.create(R.ConfigMap, configMap(`after-${i}`))).metadata!.name!);
    const listed = await client.list(R.ConfigMap, { namespace: 'default' });
    expect(client.transport.currentServer).toBe(b.url);
    expect(listed.items.map((o) => o.metadata!.name).sort()).toEqual([...created].sort());

    // The watch resumed on the other server without losing an event.
    await waitUntil(async () => created.every((n) => seen.includes(n)), 30_000, () => `watch saw ${seen.join(',')}`, 50);
    expect(seen).toEqual(created);
    expect(watches).toBeGreaterThanOrEqual(2);
  } finally {
    stopped = true;
    await client.create(R.ConfigMap, configMap('wake-up')).catch(() => undefined);
    await loop;
  }
});
