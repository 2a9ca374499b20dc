// The API server as a real process on a real etcd: verbs, conflicts, selectors, paging,
// watch (resume, selectors, 410 after compaction), subresources, auth and validation.
import { Etcd3 } from 'etcd3';
import { startApiServer, startEtcd, RunningApiServerHarness, RunningEtcd } from '@coxswain/harness';

jest.setTimeout(60_000);

let etcd: RunningEtcd;
let api: RunningApiServerHarness;

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(method: string, path: string, body?: unknown, options: { token?: string | null; contentType?: string; accept?: string } = {}): Promise<{ status: number; body: Obj; headers: Headers }> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? api.tokens.admin : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  if (options.accept) headers.accept = options.accept;
  const res = await fetch(`${api.url}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Obj, headers: res.headers };
}

const pod = (name: string, labels: Record<string, string> = {}, extra: Obj = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu: '100m', memory: '16Mi' } } }], ...extra },
});

const deployment = (name: string, replicas = 2) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] } } },
});

/** Reads a watch stream until `count` events arrived (or the server closed it). */
async function watchEvents(path: string, count: number, token = api.tokens.admin, timeoutMs = 10_000): Promise<{ status: number; events: Obj[]; ended?: boolean }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const res = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const events: Obj[] = [];
  if (res.status !== 200) {
    clearTimeout(timer);
    return { status: res.status, events: [(await res.json()) as Obj] };
  }
  const reader = res.body!.getReader();
  let buffer = '';
  let ended = false;
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      buffer += Buffer.from(value).toString();
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buffer.slice(0, newline)));
        buffer = buffer.slice(newline + 1);
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { status: res.status, events, ended };
}

beforeAll(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint, nodes: ['node-1'], env: { COXSWAIN_WATCH_BOOKMARK_MS: '200' } });
});

afterAll(async () => {
  if (process.env.DEBUG_APISERVER) console.log(api?.output());
  await api?.stop();
  await etcd?.stop();
});

describe('CRUD', () => {
  it('creates, gets, lists, updates, patches and deletes a pod', async () => {
    const created = await call('POST', '/api/v1/namespaces/default/pods', pod('crud-1', { app: 'a' }));
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({ name: 'crud-1', namespace: 'default', generation: 1 });
    expect(created.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.spec).toMatchObject({ restartPolicy: 'Always', terminationGracePeriodSeconds: 30 });
    expect(created.body.status.phase).toBe('Pending');

    const got = await call('GET', '/api/v1/namespaces/default/pods/crud-1');
    expect(got.body.metadata.resourceVersion).toBe(created.body.metadata.resourceVersion);

    const updated = await call('PUT', '/api/v1/namespaces/default/pods/crud-1', { ...got.body, metadata: { ...got.body.metadata, labels: { app: 'b' } } });
    expect(updated.status).toBe(200);
    expect(Number(updated.body.metadata.resourceVersion)).toBeGreaterThan(Number(got.body.metadata.resourceVersion));
    expect(updated.body.metadata.generation).toBe(1); // labels are not spec

    const stale = await call('PUT', '/api/v1/namespaces/default/pods/crud-1', got.body);
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });

    const merged = await call('PATCH', '/api/v1/namespaces/default/pods/crud-1', { metadata: { labels: { extra: 'x' } } }, { contentType: 'application/merge-patch+json' });
    expect(merged.body.metadata.labels).toEqual({ app: 'b', extra: 'x' });
    const jsonPatched = await call('PATCH', '/api/v1/namespaces/default/pods/crud-1', [{ op: 'remove', path: '/metadata/labels/extra' }], { contentType: 'application/json-patch+json' });
    expect(jsonPatched.body.metadata.labels).toEqual({ app: 'b' });
    const smp = await call('PATCH', '/api/v1/namespaces/default/pods/crud-1', { spec: { containers: [{ name: 'app', image: 'busybox:2' }] } }, { contentType: 'application/strategic-merge-patch+json' });
    expect(smp.body.spec.containers[0]).toMatchObject({ image: 'busybox:2', resources: { requests: { cpu: '100m' } } });

    const forbiddenChange = await call('PATCH', '/api/v1/namespaces/default/pods/crud-1', { spec: { restartPolicy: 'Never' } }, { contentType: 'application/merge-patch+json' });
    expect(forbiddenChange.status).toBe(422);

    const deleted = await call('DELETE', '/api/v1/namespaces/default/pods/crud-1');
    expect(deleted.status).toBe(200);
    expect((await call('GET', '/api/v1/namespaces/default/pods/crud-1')).status).toBe(404);
    expect((await call('DELETE', '/api/v1/namespaces/default/pods/crud-1')).status).toBe(404);
  });

  it('answers AlreadyExists, NotFound and a missing namespace with Statuses', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', pod('dup'));
    const again = await call('POST', '/api/v1/namespaces/default/pods', pod('dup'));
    expect(again.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'AlreadyExists', code: 409, message: 'pods "dup" already exists' });
    const missing = await call('GET', '/api/v1/namespaces/default/pods/nope');
    expect(missing.body).toMatchObject({ reason: 'NotFound', code: 404, message: 'pods "nope" not found' });
    const noNamespace = await call('POST', '/api/v1/namespaces/ghost/pods', pod('p'));
    expect(noNamespace.status).toBe(404);
    expect(noNamespace.body.message).toBe('namespaces "ghost" not found');
  });

  it('lists with label and field selectors and pages with limit/continue', async () => {
    await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'paging' } });
    for (let i = 0; i < 7; i++) await call('POST', '/api/v1/namespaces/paging/pods', pod(`p-${i}`, { tier: i % 2 ? 'odd' : 'even' }));
    const odd = await call('GET', '/api/v1/namespaces/paging/pods?labelSelector=tier%3Dodd');
    expect(odd.body.kind).toBe('PodList');
    expect(odd.body.items.map((p: Obj) => p.metadata.name)).toEqual(['p-1', 'p-3', 'p-5']);
    const setBased = await call('GET', `/api/v1/namespaces/paging/pods?labelSelector=${encodeURIComponent('tier in (even),tier notin (odd)')}`);
    expect(setBased.body.items).toHaveLength(4);
    const byName = await call('GET', '/api/v1/pods?fieldSelector=metadata.name%3Dp-2');
    expect(byName.body.items.map((p: Obj) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['paging/p-2']);
    const unbound = await call('GET', '/api/v1/namespaces/paging/pods?fieldSelector=spec.nodeName%3D');
    expect(unbound.body.items).toHaveLength(7);

    const names: string[] = [];
    let cont = '';
    let pages = 0;
    do {
      const page = await call('GET', `/api/v1/namespaces/paging/pods?limit=3${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      names.push(...page.body.items.map((p: Obj) => p.metadata.name));
      cont = page.body.metadata.continue ?? '';
      pages++;
    } while (cont);
    expect(pages).toBe(3);
    expect(names).toEqual(['p-0', 'p-1', 'p-2', 'p-3', 'p-4', 'p-5', 'p-6']);

    expect((await call('GET', '/api/v1/pods?labelSelector=a%20in%20b')).status).toBe(400);
    expect((await call('GET', '/api/v1/pods?fieldSelector=spec.foo%3Dx')).status).toBe(400);
    expect((await call('GET', '/api/v1/pods?continue=garbage')).status).toBe(400);
  });

  it('deletes a collection by label', async () => {
    await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dc' } });
    for (const [name, group] of [['a', 'x'], ['b', 'x'], ['c', 'y']]) await call('POST', '/api/v1/namespaces/dc/pods', pod(name, { group }));
    const res = await call('DELETE', '/api/v1/namespaces/dc/pods?labelSelector=group%3Dx');
    expect(res.status).toBe(200);
    expect((await call('GET', '/api/v1/namespaces/dc/pods')).body.items.map((p: Obj) => p.metadata.name)).toEqual(['c']);
  });

  it('bumps generation on spec changes and ignores status on the main resource', async () => {
    const created = (await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('gen'))).body;
    expect(created.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    const scaled = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/gen', { ...created, spec: { ...created.spec, replicas: 5 }, status: { replicas: 99 } });
    expect(scaled.body.metadata.generation).toBe(2);
    expect(scaled.body.status.replicas).toBeUndefined();
    const status = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/gen/status', { ...scaled.body, spec: { ...scaled.body.spec, replicas: 1 }, status: { replicas: 3 } });
    expect(status.body.status.replicas).toBe(3);
    expect(status.body.spec.replicas).toBe(5);
    expect(status.body.metadata.generation).toBe(2);
  });
});

describe('validation and bad input', () => {
  it('rejects invalid objects with 422 and field causes', async () => {
    const res = await call('POST', '/apis/apps/v1/namespaces/default/deployments', { ...deployment('Bad_Name'), spec: { ...deployment('x').spec, replicas: -1 } });
    expect(res.status).toBe(422);
    expect(res.body.reason).toBe('Invalid');
    expect(res.body.details.causes).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'metadata.name', reason: 'FieldValueInvalid' }), expect.objectContaining({ field: 'spec.replicas', reason: 'FieldValueInvalid' })]),
    );
  });

  it('rejects unknown fields under Strict and warns otherwise', async () => {
    const body = { ...pod('strict'), spec: { ...pod('x').spec, bogus: 1 } };
    const strict = await call('POST', '/api/v1/namespaces/default/pods?fieldValidation=Strict', body);
    expect(strict.status).toBe(400);
    expect(strict.body.message).toContain('unknown field "spec.bogus"');
    const warned = await call('POST', '/api/v1/namespaces/default/pods', body);
    expect(warned.status).toBe(201);
    expect(warned.headers.get('warning')).toBe('299 - "unknown field \\"spec.bogus\\""');
    expect(warned.body.spec.bogus).toBeUndefined();
  });

  it('resolves priorityClassName into spec.priority and refuses unknown classes and runtime classes with 403', async () => {
    const critical = await call('POST', '/api/v1/namespaces/default/pods', pod('critical', {}, { priorityClassName: 'system-cluster-critical' }));
    expect(critical.status).toBe(201);
    expect(critical.body.spec.priority).toBe(2_000_000_000);
    expect((await call('POST', '/api/v1/namespaces/default/pods', pod('plain'))).body.spec.priority).toBe(0);
    const unknown = await call('POST', '/api/v1/namespaces/default/pods', pod('gold', {}, { priorityClassName: 'gold' }));
    expect(unknown.status).toBe(403);
    expect(unknown.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', message: 'pods "gold" is forbidden: no PriorityClass with name gold was found' });
    const given = await call('POST', '/api/v1/namespaces/default/pods', pod('given', {}, { priorityClassName: 'system-cluster-critical', priority: 5 }));
    expect(given.status).toBe(403);
    expect(given.body.message).toBe('pods "given" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 2000000000 from the given PriorityClass name');
    const sandboxed = await call('POST', '/api/v1/namespaces/default/pods', pod('sandboxed', {}, { runtimeClassName: 'gvisor' }));
    expect(sandboxed.status).toBe(403);
    expect(sandboxed.body.message).toBe('pods "sandboxed" is forbidden: pod rejected: RuntimeClass "gvisor" not found');
    const hostPid = await call('POST', '/api/v1/namespaces/default/pods', pod('host-pid', {}, { hostPID: true }));
    expect(hostPid.status).toBe(422);
    expect(hostPid.body.details.causes).toEqual([{ reason: 'FieldValueForbidden', field: 'spec.hostPID', message: 'Forbidden: not supported by this cluster' }]);
    expect(hostPid.body.message).toBe('Pod "host-pid" is invalid: spec.hostPID: Forbidden: not supported by this cluster');
  });

  it.each([
    ['malformed JSON', '{"kind": "Pod", ', 'application/json', 400],
    ['malformed YAML', 'kind: Pod\n  metadata: [', 'application/yaml', 400],
    ['a list body', '[1,2]', 'application/json', 400],
    ['an unsupported content type', '<pod/>', 'application/xml', 415],
    ['a wrong kind', JSON.stringify({ kind: 'Node', metadata: { name: 'x' } }), 'application/json', 400],
  ])('answers %s with a Status and keeps serving', async (_name, body, contentType, code) => {
    const res = await call('POST', '/api/v1/namespaces/default/pods', body, { contentType });
    expect(res.status).toBe(code);
    expect(res.body.kind).toBe('Status');
    expect((await call('GET', '/api/v1/namespaces/default/pods?limit=1')).status).toBe(200);
  });

  it('accepts YAML bodies with YAML 1.1 semantics', async () => {
    const yaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: from-yaml\n  labels:\n    enabled: "yes"\nspec:\n  containers:\n  - name: app\n    image: busybox\n    stdin: yes\n';
    const res = await call('POST', '/api/v1/namespaces/default/pods', yaml, { contentType: 'application/yaml' });
    expect(res.status).toBe(201);
    expect(res.body.spec.containers[0].stdin).toBe(true);
  });

  it('refuses a body over the size limit with 413', async () => {
    const huge = JSON.stringify({ ...pod('huge'), metadata: { name: 'huge', annotations: { a: 'x'.repeat(4 * 1024 * 1024) } } });
    const res = await call('POST', '/api/v1/namespaces/default/pods', huge);
    expect(res.status).toBe(413);
  });

  it('answers unknown paths and methods with Statuses', async () => {
    expect((await call('GET', '/api/v1/frobs')).status).toBe(404);
    expect((await call('GET', '/apis/apps/v1/namespaces/default/pods')).status).toBe(404);
    expect((await call('POST', '/api/v1/namespaces/default/pods/x')).status).toBe(405);
  });
});

describe('auth', () => {
  it('needs a valid token', async () => {
    const none = await call('GET', '/api/v1/pods', undefined, { token: null });
    expect(none.status).toBe(401);
    expect(none.body.reason).toBe('Unauthorized');
    expect((await call('GET', '/api/v1/pods', undefined, { token: 'wrong' })).status).toBe(401);
  });

  it('lets viewers read but not write', async () => {
    expect((await call('GET', '/api/v1/pods', undefined, { token: api.tokens.viewer })).status).toBe(200);
    const write = await call('POST', '/api/v1/namespaces/default/pods', pod('v'), { token: api.tokens.viewer });
    expect(write.status).toBe(403);
    expect(write.body.message).toContain('User "viewer" cannot create resource "pods"');
  });

  it('lets only the scheduler bind, once', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', pod('bind-me'));
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-me' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } };
    expect((await call('POST', '/api/v1/namespaces/default/pods/bind-me/binding', binding)).status).toBe(403);
    expect((await call('POST', '/api/v1/namespaces/default/pods/bind-me/binding', binding, { token: api.tokens.scheduler })).status).toBe(201);
    const bound = (await call('GET', '/api/v1/namespaces/default/pods/bind-me')).body;
    expect(bound.spec.nodeName).toBe('node-1');
    expect(bound.status.conditions).toEqual([expect.objectContaining({ type: 'PodScheduled', status: 'True' })]);
    const twice = await call('POST', '/api/v1/namespaces/default/pods/bind-me/binding', { ...binding, target: { name: 'node-2' } }, { token: api.tokens.scheduler });
    expect(twice.status).toBe(409);
  });

  it('lets a node agent write only its own node and bound workloads', async () => {
    const node1 = api.tokens.node['node-1'];
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { capacity: { cpu: '2', memory: '4Gi', pods: '110' } } };
    expect((await call('POST', '/api/v1/nodes', node, { token: node1 })).status).toBe(201);
    expect((await call('POST', '/api/v1/nodes', { ...node, metadata: { name: 'node-2' } }, { token: node1 })).status).toBe(403);
    await call('POST', '/api/v1/namespaces/default/pods', pod('on-node', {}, { nodeName: 'node-1' }));
    await call('POST', '/api/v1/namespaces/default/pods', pod('elsewhere', {}, { nodeName: 'node-9' }));
    const ok = await call('PATCH', '/api/v1/namespaces/default/pods/on-node/status', { status: { phase: 'Running' } }, { token: node1, contentType: 'application/merge-patch+json' });
    expect(ok.status).toBe(200);
    expect(ok.body.status.phase).toBe('Running');
    const denied = await call('PATCH', '/api/v1/namespaces/default/pods/elsewhere/status', { status: { phase: 'Running' } }, { token: node1, contentType: 'application/merge-patch+json' });
    expect(denied.status).toBe(403);
    expect((await call('POST', '/api/v1/namespaces/default/pods', pod('sneaky'), { token: node1 })).status).toBe(403);
  });
});

describe('deletion', () => {
  it('deletes a bound pod gracefully and removes it on the agent’s zero-grace delete', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', pod('graceful', {}, { nodeName: 'node-1', terminationGracePeriodSeconds: 20 }));
    const marked = await call('DELETE', '/api/v1/namespaces/default/pods/graceful');
    expect(marked.body.metadata.deletionTimestamp).toBeDefined();
    expect(marked.body.metadata.deletionGracePeriodSeconds).toBe(20);
    expect((await call('GET', '/api/v1/namespaces/default/pods/graceful')).status).toBe(200);
    const finalDelete = await call('DELETE', '/api/v1/namespaces/default/pods/graceful?gracePeriodSeconds=0', undefined, { token: api.tokens.node['node-1'] });
    expect(finalDelete.status).toBe(200);
    expect((await call('GET', '/api/v1/namespaces/default/pods/graceful')).status).toBe(404);
  });

  it('honours finalizers and records propagation for the garbage collector', async () => {
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', { ...deployment('fg'), metadata: { name: 'fg', finalizers: ['example.com/hold'] } });
    const res = await call('DELETE', '/apis/apps/v1/namespaces/default/deployments/fg', { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' });
    expect(res.body.metadata.finalizers).toEqual(['example.com/hold', 'foregroundDeletion']);
    expect(res.body.metadata.deletionTimestamp).toBeDefined();
    const current = (await call('GET', '/apis/apps/v1/namespaces/default/deployments/fg')).body;
    const released = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/fg', { ...current, metadata: { ...current.metadata, finalizers: [] } });
    expect(released.status).toBe(200);
    expect((await call('GET', '/apis/apps/v1/namespaces/default/deployments/fg')).status).toBe(404);
  });

  it('cascades a namespace deletion to its content', async () => {
    await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    await call('POST', '/api/v1/namespaces/doomed/pods', pod('x'));
    await call('POST', '/apis/apps/v1/namespaces/doomed/deployments', deployment('y'));
    const res = await call('DELETE', '/api/v1/namespaces/doomed');
    expect(res.body.status.phase).toBe('Terminating');
    expect((await call('POST', '/api/v1/namespaces/doomed/pods', pod('late'))).status).toBe(403);
    const deadline = Date.now() + 20_000;
    while ((await call('GET', '/api/v1/namespaces/doomed')).status !== 404) {
      if (Date.now() > deadline) throw new Error('namespace was not removed');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await call('GET', '/api/v1/namespaces/doomed/pods')).body.items).toEqual([]);
  });
});

describe('subresources', () => {
  it('scales deployments through scale', async () => {
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('sc', 2));
    const scale = await call('GET', '/apis/apps/v1/namespaces/default/deployments/sc/scale');
    expect(scale.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { selector: 'app=sc' } });
    const patched = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/sc/scale', { spec: { replicas: 4 } }, { contentType: 'application/merge-patch+json' });
    expect(patched.body.spec.replicas).toBe(4);
    const put = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/sc/scale', { ...patched.body, spec: { replicas: 6 } });
    expect(put.body.spec.replicas).toBe(6);
    expect((await call('GET', '/apis/apps/v1/namespaces/default/deployments/sc')).body.spec.replicas).toBe(6);
    expect((await call('PUT', '/apis/apps/v1/namespaces/default/deployments/sc/scale', { spec: { replicas: -1 } })).status).toBe(422);
  });

  it('answers logs of an unscheduled pod with 400, as Kubernetes does', async () => {
    await call('POST', '/api/v1/namespaces/default/pods', pod('logs'));
    const res = await call('GET', '/api/v1/namespaces/default/pods/logs/log');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('pod logs does not have a host assigned');
  });

  it('starts and stops a VirtualMachine', async () => {
    const vm = {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: { name: 'tiny' },
      spec: { runStrategy: 'Halted', template: { spec: { domain: { resources: { requests: { memory: '128Mi' } }, firmware: { kernelBoot: { container: { image: 'coxswain/tiny-vm' } } } } } } },
    };
    expect((await call('POST', '/apis/kubevirt.io/v1/namespaces/default/virtualmachines', vm)).status).toBe(201);
    expect((await call('PUT', '/apis/kubevirt.io/v1/namespaces/default/virtualmachines/tiny/start')).status).toBe(202);
    expect((await call('GET', '/apis/kubevirt.io/v1/namespaces/default/virtualmachines/tiny')).body.spec.runStrategy).toBe('Always');
    expect((await call('PUT', '/apis/kubevirt.io/v1/namespaces/default/virtualmachines/tiny/stop')).status).toBe(202);
    expect((await call('GET', '/apis/kubevirt.io/v1/namespaces/default/virtualmachines/tiny')).body.spec.runStrategy).toBe('Halted');
  });
});

describe('watch', () => {
  it('streams ADDED, MODIFIED and DELETED from a resourceVersion, with selectors', async () => {
    await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } });
    const start = (await call('GET', '/api/v1/namespaces/watched/pods')).body.metadata.resourceVersion;
    const all = watchEvents(`/api/v1/namespaces/watched/pods?watch=1&resourceVersion=${start}`, 4);
    const selected = watchEvents(`/api/v1/namespaces/watched/pods?watch=1&resourceVersion=${start}&labelSelector=team%3Dred`, 2);
    await new Promise((r) => setTimeout(r, 300));
    await call('POST', '/api/v1/namespaces/watched/pods', pod('w1', { team: 'red' }));
    await call('POST', '/api/v1/namespaces/watched/pods', pod('w2', { team: 'blue' }));
    await call('PATCH', '/api/v1/namespaces/watched/pods/w1', { metadata: { labels: { team: 'blue' } } }, { contentType: 'application/merge-patch+json' });
    await call('DELETE', '/api/v1/namespaces/watched/pods/w2');
    const events = (await all).events;
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED w1', 'ADDED w2', 'MODIFIED w1', 'DELETED w2']);
    expect(events[0].object.kind).toBe('Pod');
    // w1 leaving the selection is a DELETED for a watcher of team=red.
    expect((await selected).events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED w1', 'DELETED w1']);
  });

  it('resumes from any revision etcd still holds, sends the current state without one, and answers 410 after compaction', async () => {
    const before = (await call('POST', '/api/v1/namespaces/default/pods', pod('r1'))).body.metadata.resourceVersion;
    await call('POST', '/api/v1/namespaces/default/pods', pod('r2'));
    const resumed = await watchEvents(`/api/v1/namespaces/default/pods?watch=1&resourceVersion=${before}&fieldSelector=metadata.name%3Dr2`, 1);
    expect(resumed.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED r2']);
    const fresh = await watchEvents('/api/v1/namespaces/default/pods?watch=1&fieldSelector=metadata.name%3Dr1', 1);
    expect(fresh.events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'r1' } } });

    const client = new Etcd3({ hosts: etcd.endpoint });
    try {
      const head = Number((await client.get('x').exec()).header.revision);
      await client.kv.compact({ revision: String(head), physical: true });
    } finally {
      client.close();
    }
    const gone = await watchEvents(`/api/v1/namespaces/default/pods?watch=1&resourceVersion=${before}`, 1);
    expect(gone.status).toBe(410);
    expect(gone.events[0]).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
  });

  it('sends bookmarks when asked and honours timeoutSeconds', async () => {
    const res = await watchEvents('/apis/coordination.k8s.io/v1/namespaces/default/leases?watch=1&allowWatchBookmarks=true&timeoutSeconds=1', 100);
    expect(res.status).toBe(200);
    if (process.env.DEBUG_APISERVER) console.log(JSON.stringify(res));
    expect(res.ended).toBe(true); // the server ended the stream itself
    const bookmarks = res.events.filter((e) => e.type === 'BOOKMARK');
    expect(bookmarks.length).toBeGreaterThan(0);
    expect(bookmarks[0].object).toEqual({ kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
  });
});

describe('observability', () => {
  it('serves healthz, readyz and metrics without a token', async () => {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/apiserver_request_total\{verb="POST",group="",version="v1",resource="pods",subresource="",scope="namespace",code="201"\} \d+/);
    expect(metrics).toContain('apiserver_request_duration_seconds_bucket');
    expect(metrics).toMatch(/etcd_request_duration_seconds_count\{operation="create",type="pods"\} \d+/);
  });
});
