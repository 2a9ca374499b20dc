import { FakeApiServer } from '../testing/fake-apiserver';
import { ApiError, isAlreadyExists, isConflict, isGone, isNotFound } from './api-error';
import { BUILTIN_RESOURCES } from './builtin-resources';
import { KubeClient } from './kube-client';
import { KubeObject, WatchEvent } from './types';

const Pod = BUILTIN_RESOURCES.Pod;
const Node = BUILTIN_RESOURCES.Node;
const Deployment = BUILTIN_RESOURCES.Deployment;

interface TestPod extends KubeObject {
  spec?: { nodeName?: string; image?: string };
  status?: { phase?: string };
}

const pod = (name: string, labels: Record<string, string> = {}, namespace = 'default'): TestPod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { image: 'busybox' },
});

let server: FakeApiServer;
let client: KubeClient;

beforeEach(async () => {
  server = await FakeApiServer.start({ token: 'secret' });
  client = new KubeClient({ server: server.url, token: 'secret' });
});

afterEach(async () => {
  await client.destroy();
  await server.stop();
});

const lastRequest = () => server.requests[server.requests.length - 1];

describe('KubeClient CRUD', () => {
  it('creates, gets, updates, patches and deletes an object', async () => {
    const created = await client.create(Pod, pod('a'));
    expect(created.metadata?.resourceVersion).toBeDefined();
    expect(lastRequest()).toMatchObject({ method: 'POST', path: '/api/v1/namespaces/default/pods' });
    expect(lastRequest().headers.authorization).toBe('Bearer secret');

    const got = await client.get<TestPod>(Pod, 'a', { namespace: 'default' });
    expect(got.spec?.image).toBe('busybox');

    const updated = await client.update<TestPod>(Pod, { ...got, spec: { image: 'alpine' } });
    expect(updated.spec?.image).toBe('alpine');
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(Number(got.metadata?.resourceVersion));

    const patched = await client.patch<TestPod>(Pod, 'a', { metadata: { labels: { tier: 'web' } } }, { namespace: 'default' });
    expect(patched.metadata?.labels).toEqual({ tier: 'web' });
    expect(lastRequest().headers['content-type']).toBe('application/merge-patch+json');

    const jsonPatched = await client.patch<TestPod>(Pod, 'a', [{ op: 'replace', path: '/spec/image', value: 'nginx' }], { namespace: 'default', type: 'json' });
    expect(jsonPatched.spec?.image).toBe('nginx');
    expect(lastRequest().headers['content-type']).toBe('application/json-patch+json');

    const status = await client.updateStatus<TestPod>(Pod, { ...jsonPatched, status: { phase: 'Running' } });
    expect(status.status?.phase).toBe('Running');
    expect(lastRequest().path).toBe('/api/v1/namespaces/default/pods/a/status');

    const deleted = await client.delete(Pod, 'a', { namespace: 'default', propagationPolicy: 'Foreground', gracePeriodSeconds: 0 });
    expect(deleted).toMatchObject({ kind: 'Status', status: 'Success' });
    expect(lastRequest().query.get('propagationPolicy')).toBe('Foreground');
    expect(JSON.parse(lastRequest().body)).toEqual({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground', gracePeriodSeconds: 0 });
    expect(isNotFound(await caught(client.get(Pod, 'a', { namespace: 'default' })))).toBe(true);
  });

  it.each([
    ['patch strategic', 'strategic', 'application/strategic-merge-patch+json'],
    ['patch merge', 'merge', 'application/merge-patch+json'],
  ] as const)('%s sends %s content type', async (_name, type, contentType) => {
    await client.create(Pod, pod('p'));
    await client.patch(Pod, 'p', { spec: { image: 'x' } }, { namespace: 'default', type });
    expect(lastRequest().headers['content-type']).toBe(contentType);
  });

  it('maps server errors to ApiErrors carrying the Status', async () => {
    await client.create(Pod, pod('a'));
    const cases: Array<[string, () => Promise<unknown>, (e: unknown) => boolean, number, string]> = [
      ['create twice', () => client.create(Pod, pod('a')), isAlreadyExists, 409, 'AlreadyExists'],
      ['get missing', () => client.get(Pod, 'zz', { namespace: 'default' }), isNotFound, 404, 'NotFound'],
      ['update stale', () => client.update(Pod, { ...pod('a'), metadata: { ...pod('a').metadata, resourceVersion: '1' } }), isConflict, 409, 'Conflict'],
      ['delete with failed precondition', () => client.delete(Pod, 'a', { namespace: 'default', preconditions: { uid: 'nope' } }), isConflict, 409, 'Conflict'],
      ['invalid object', () => client.create(Pod, { metadata: { namespace: 'default' } }), (e) => e instanceof ApiError && e.causes[0]?.field === 'metadata.name', 422, 'Invalid'],
    ];
    for (const [name, call, predicate, code, reason] of cases) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect({ name, ok: predicate(error), code: (error as ApiError).code, reason: (error as ApiError).reason }).toEqual({ name, ok: true, code, reason });
    }
  });

  it('reports 401 when the token is wrong', async () => {
    const anonymous = new KubeClient({ server: server.url, token: 'wrong' });
    await expect(anonymous.list(Pod)).rejects.toMatchObject({ code: 401, reason: 'Unauthorized' });
    await anonymous.destroy();
  });

  it('handles cluster-scoped resources and subresources', async () => {
    await client.create(Node, { metadata: { name: 'n1', namespace: 'ignored' } });
    expect(lastRequest().path).toBe('/api/v1/nodes');
    await client.create(Pod, pod('w'));
    await client.bind(Pod, 'default', 'w', 'n1');
    expect(lastRequest()).toMatchObject({ method: 'POST', path: '/api/v1/namespaces/default/pods/w/binding' });
    expect(JSON.parse(lastRequest().body).target).toEqual({ apiVersion: 'v1', kind: 'Node', name: 'n1' });
    expect((await client.get<TestPod>(Pod, 'w', { namespace: 'default' })).spec?.nodeName).toBe('n1');

    await client.create(Deployment, { metadata: { name: 'd', namespace: 'default' }, spec: { replicas: 1 } } as KubeObject);
    const scale = await client.getSubresource<{ spec: { replicas: number } }>(Deployment, 'd', 'scale', { namespace: 'default' });
    expect(scale.spec.replicas).toBe(1);
    await client.updateSubresource(Deployment, 'd', 'scale', { ...scale, spec: { replicas: 4 } }, { namespace: 'default' });
    expect(lastRequest()).toMatchObject({ method: 'PUT', path: '/apis/apps/v1/namespaces/default/deployments/d/scale' });
    expect((await client.getSubresource<{ spec: { replicas: number } }>(Deployment, 'd', 'scale', { namespace: 'default' })).spec.replicas).toBe(4);
  });

  it.each([
    ['a JSON patch that is not a list of operations', () => client.patch(Pod, 'a', { op: 'add' }, { namespace: 'd', type: 'json' }), /array of operations/],
    ['server-side apply without a field manager', () => client.patch(Pod, 'a', {}, { namespace: 'd', type: 'apply' }), /fieldManager/],
    ['get of a namespaced kind without namespace', () => client.get(Pod, 'a'), /pods are namespaced/],
    ['create of a namespaced kind without namespace', () => client.create(Pod, { metadata: { name: 'a' } }), /pods are namespaced/],
  ])('refuses %s before sending anything', async (_name, call, message) => {
    await expect(call()).rejects.toThrow(message);
    expect(server.requests).toHaveLength(0);
  });
});

describe('KubeClient list', () => {
  beforeEach(async () => {
    for (const [name, app, ns] of [['a', 'web', 'default'], ['b', 'db', 'default'], ['c', 'web', 'other'], ['d', 'web', 'default']]) {
      await client.create(Pod, pod(name, { app }, ns));
    }
  });

  it.each([
    ['all namespaces', {}, ['a', 'b', 'd', 'c']],
    ['one namespace', { namespace: 'default' }, ['a', 'b', 'd']],
    ['label selector string', { labelSelector: 'app=web' }, ['a', 'd', 'c']],
    ['label selector map', { namespace: 'default', labelSelector: { app: 'web' } }, ['a', 'd']],
    ['field selector', { fieldSelector: 'metadata.name=b' }, ['b']],
  ])('%s', async (_name, options, want) => {
    const list = await client.list(Pod, options);
    expect(list.items.map((p) => p.metadata?.name)).toEqual(want);
    expect(list.metadata.resourceVersion).toBeDefined();
  });

  it('pages with limit/continue and listAll follows the tokens', async () => {
    const first = await client.list(Pod, { limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.metadata.continue).toBeTruthy();
    const all = await client.listAll(Pod, { pageSize: 1 });
    expect(all.items.map((p) => p.metadata?.name)).toEqual(['a', 'b', 'd', 'c']);
    expect(server.requests.filter((r) => r.query.get('limit') === '1')).toHaveLength(4);
  });

  it('listAll falls back to one full list when a continue token expires', async () => {
    server.failNext(/\/pods$/, 410, { method: 'GET' });
    expect(isGone(await caught(client.list(Pod, { continue: 'x' })))).toBe(true);
    server.expireContinueTokens();
    const all = await client.listAll(Pod, { pageSize: 2 });
    expect(all.items).toHaveLength(4);
    expect(lastRequest().query.get('limit')).toBeNull();
  });

  it('deleteCollection removes what the selector matches', async () => {
    await client.deleteCollection(Pod, { namespace: 'default', labelSelector: 'app=web' });
    expect((await client.list(Pod)).items.map((p) => p.metadata?.name)).toEqual(['b', 'c']);
  });
});

describe('KubeClient watch', () => {
  async function take<T extends KubeObject>(iter: AsyncIterator<WatchEvent<T>>, n: number): Promise<Array<[string, string | undefined]>> {
    const out: Array<[string, string | undefined]> = [];
    for (let i = 0; i < n; i++) {
      const { value, done } = await iter.next();
      if (done) break;
      out.push([value.type, value.object.metadata?.name ?? value.object.metadata?.resourceVersion]);
    }
    return out;
  }

  it('streams ADDED/MODIFIED/DELETED/BOOKMARK and resumes from a resourceVersion', async () => {
    await client.create(Pod, pod('old'));
    const watch = await client.watch(Pod, { namespace: 'default' });
    const iter = watch[Symbol.asyncIterator]();
    expect(await take(iter, 1)).toEqual([['ADDED', 'old']]);
    const created = await client.create(Pod, pod('new'));
    await client.patch(Pod, 'new', { spec: { image: 'y' } }, { namespace: 'default' });
    await client.delete(Pod, 'new', { namespace: 'default' });
    server.bookmark();
    expect(await take(iter, 4)).toEqual([
      ['ADDED', 'new'],
      ['MODIFIED', 'new'],
      ['DELETED', 'new'],
      ['BOOKMARK', String(server.resourceVersion)],
    ]);
    watch.stop();
    expect(await iter.next()).toEqual({ done: true, value: undefined });

    const resumed = await client.watch(Pod, { namespace: 'default', resourceVersion: created.metadata?.resourceVersion });
    expect(await take(resumed[Symbol.asyncIterator](), 2)).toEqual([
      ['MODIFIED', 'new'],
      ['DELETED', 'new'],
    ]);
    resumed.stop();
    expect(server.requests.at(-1)?.query.get('allowWatchBookmarks')).toBe('true');
  });

  it('reassembles events split across arbitrary chunks', async () => {
    const watch = await client.watch(Pod, { namespace: 'default', resourceVersion: String(server.resourceVersion) });
    const iter = watch[Symbol.asyncIterator]();
    const line = JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'späť' } } }) + '\n';
    const bytes = Buffer.from(line + line);
    const next = iter.next();
    for (let i = 0; i < bytes.length; i += 7) {
      server.writeToWatches(bytes.subarray(i, i + 7));
      await new Promise((r) => setImmediate(r));
    }
    expect((await next).value?.object.metadata?.name).toBe('späť');
    expect((await iter.next()).value?.object.metadata?.name).toBe('späť');
    watch.stop();
  });

  it.each([
    ['as an ERROR event', 'event' as const],
    ['as an HTTP 410', 'http' as const],
  ])('reports a compacted resourceVersion %s as ApiError 410', async (_name, expiredWatchAs) => {
    const strict = await FakeApiServer.start({ expiredWatchAs });
    const c = new KubeClient({ server: strict.url });
    const first = await c.create(Pod, pod('x'));
    await c.create(Pod, pod('y'));
    strict.compact();
    const failure = (async () => {
      const watch = await c.watch(Pod, { resourceVersion: first.metadata?.resourceVersion });
      for await (const _event of watch) {
        // no events expected before the error
      }
    })();
    expect(isGone(await caught(failure))).toBe(true);
    await c.destroy();
    await strict.stop();
  });

  it('ends the iteration when the server closes the stream, and stops on abort', async () => {
    const watch = await client.watch(Pod, { namespace: 'default', resourceVersion: String(server.resourceVersion) });
    const done = watch.forEach(() => undefined);
    await waitFor(() => server.openWatches === 1);
    server.closeWatches();
    await expect(done).resolves.toBeUndefined();

    const controller = new AbortController();
    const aborted = await client.watch(Pod, { resourceVersion: String(server.resourceVersion), signal: controller.signal });
    const ended = aborted.forEach(() => undefined);
    controller.abort();
    await expect(ended).resolves.toBeUndefined();
    expect(aborted.stopped).toBe(true);
  });
});

describe('KubeClient transport behaviour', () => {
  it('retries 429 with Retry-After and then succeeds', async () => {
    server.failNext(/\/pods$/, 429, { headers: { 'retry-after': '0' }, times: 2 });
    const list = await client.list(Pod);
    expect(list.items).toEqual([]);
    expect(server.requests.filter((r) => r.path === '/api/v1/pods')).toHaveLength(3);
  });

  it('gives up after maxRetries and surfaces the 429', async () => {
    const c = new KubeClient({ server: server.url, token: 'secret', maxRetries: 1 });
    server.failNext(/\/pods$/, 429, { headers: { 'retry-after': '0' }, times: 5 });
    await expect(c.list(Pod)).rejects.toMatchObject({ code: 429, retryAfterSeconds: 0 });
    await c.destroy();
  });

  it('does not retry a 500 without Retry-After', async () => {
    server.failNext(/\/pods$/, 500);
    await expect(client.list(Pod)).rejects.toMatchObject({ code: 500, reason: 'InternalError' });
    expect(server.requests).toHaveLength(1);
  });

  it('keeps at most maxConcurrentRequests in flight and reuses connections', async () => {
    const c = new KubeClient({ server: server.url, token: 'secret', maxConcurrentRequests: 2 });
    const peaks: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const pending = c.list(Pod);
        peaks.push(c.transport['semaphore'].inFlight);
        await pending;
      }),
    );
    expect(Math.max(...peaks)).toBeLessThanOrEqual(2);
    // keep-alive: ten requests, at most two at a time, share at most two connections
    expect(new Set(server.requests.map((r) => r.remotePort)).size).toBeLessThanOrEqual(2);
    await c.destroy();
  });

  it('keeps a base path from the server URL', async () => {
    const c = new KubeClient({ server: `${server.url}/prefix/`, token: 'secret' });
    await expect(c.list(Pod)).rejects.toMatchObject({ code: 404 });
    expect(lastRequest().path).toBe('/prefix/api/v1/pods');
    await c.destroy();
  });
});

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}
