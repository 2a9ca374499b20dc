// events.k8s.io/v1 field selectors on the real API server and etcd: `regarding.*`,
// `reportingController`, `reason` and `type` select the core/v1 Events they are stored as
// (Kubernetes' field label conversion), for lists and watches; core/v1's own labels are
// refused on events.k8s.io/v1 with Kubernetes' 400, and stay valid on /api/v1.
import { startApiServer, startEtcd, RunningApiServerHarness, RunningEtcd } from '@coxswain/harness';

jest.setTimeout(60_000);

let etcd: RunningEtcd;
let api: RunningApiServerHarness;

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Obj }> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.tokens.admin}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Obj };
}

const EVENTS = '/apis/events.k8s.io/v1/namespaces/default/events';
const event = (name: string, regarding: Obj, reason: string, type: string, reportingController: string) => ({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name },
  eventTime: '2026-12-05T10:00:00.000000Z',
  reportingController,
  reportingInstance: `${reportingController}-1`,
  action: 'Testing',
  reason,
  type,
  note: `${name} happened`,
  regarding: { namespace: 'default', apiVersion: 'v1', ...regarding },
});

const names = (body: Obj) => (body.items as Obj[]).map((i) => i.metadata.name).sort();
const selected = async (selector: string) => call('GET', `${EVENTS}?fieldSelector=${encodeURIComponent(selector)}`);

beforeAll(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint, nodes: ['node-1'] });
  for (const e of [
    event('a', { kind: 'Pod', name: 'web', uid: 'uid-web' }, 'Started', 'Normal', 'coxswain.io/node-agent'),
    event('b', { kind: 'Pod', name: 'db', uid: 'uid-db' }, 'BackOff', 'Warning', 'coxswain.io/node-agent'),
    event('c', { kind: 'VirtualMachineInstance', name: 'web', uid: 'uid-vm', apiVersion: 'kubevirt.io/v1' }, 'SyncFailed', 'Warning', 'coxswain.io/vm-controller'),
  ]) {
    const created = await call('POST', EVENTS, e);
    expect(created.status).toBe(201);
  }
});

afterAll(async () => {
  await api?.stop();
  await etcd?.stop();
});

it.each([
  ['regarding.kind=Pod', ['a', 'b']],
  ['regarding.name=web', ['a', 'c']],
  ['regarding.kind=Pod,regarding.name=web', ['a']],
  ['regarding.namespace=default,regarding.uid=uid-vm', ['c']],
  ['regarding.apiVersion=kubevirt.io/v1', ['c']],
  ['reason=BackOff', ['b']],
  ['type=Warning', ['b', 'c']],
  ['type!=Warning', ['a']],
  ['reportingController=coxswain.io/vm-controller', ['c']],
  ['metadata.name=a', ['a']],
])('events.k8s.io/v1 list with %p', async (selector, want) => {
  const res = await selected(selector);
  expect(res.status).toBe(200);
  expect(res.body.apiVersion).toBe('events.k8s.io/v1');
  expect(names(res.body)).toEqual(want);
});

it.each(['involvedObject.name=web', 'reportingComponent=x', 'note=x'])('events.k8s.io/v1 refuses %p with Kubernetes\' 400', async (selector) => {
  const res = await selected(selector);
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400, message: `field label not supported: ${selector.split('=')[0]}` });
});

it('core/v1 keeps its own labels for the same Events', async () => {
  const res = await call('GET', `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent('involvedObject.kind=Pod,reportingComponent=coxswain.io/node-agent')}`);
  expect(res.status).toBe(200);
  expect(names(res.body)).toEqual(['a', 'b']);
  expect((await call('GET', '/api/v1/namespaces/default/events?fieldSelector=regarding.kind%3DPod')).status).toBe(400);
});

it('a watch on events.k8s.io/v1 selects by regarding.name', async () => {
  const controller = new AbortController();
  const res = await fetch(`${api.url}${EVENTS}?watch=1&fieldSelector=${encodeURIComponent('regarding.name=db')}`, { headers: { authorization: `Bearer ${api.tokens.admin}` }, signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  let text = '';
  const deadline = Date.now() + 10_000;
  while (!text.includes('\n') && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  controller.abort();
  const first = JSON.parse(text.split('\n')[0]) as Obj;
  expect(first.type).toBe('ADDED');
  expect(first.object.metadata.name).toBe('b');
  expect(first.object.regarding.name).toBe('db');
});
