// ClusterIP and NodePort allocation on real etcd with two API server processes sharing it:
// requested values, conflicts (422 naming the field), ranges, release on delete and type
// change, and concurrent creates that must never get the same value twice.
import { Etcd3 } from 'etcd3';
import { startApiServer, startEtcd, RunningApiServerHarness, RunningEtcd } from '@coxswain/harness';
import { EtcdKvClient } from '../storage/etcd-kv';
import { EtcdRangeAllocator } from './etcd-allocator';
import { portRange, serviceIpRange } from './ranges';
import { repairAllocations } from './repair';

jest.setTimeout(120_000);

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let etcd: RunningEtcd;
let apis: RunningApiServerHarness[] = [];
let kv: Etcd3;

// A /27 (30 addresses, the first kept for `kubernetes`) and 20 node ports: small enough that
// concurrent random picks collide and the compare-and-swap has to do its job.
const RANGE_ARGS = ['--service-cluster-ip-range', '10.97.0.0/27', '--service-node-port-range', '30000-30019'];

async function call(api: RunningApiServerHarness, method: string, path: string, body?: unknown): Promise<{ status: number; body: Obj }> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.tokens.admin}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Obj };
}

const svc = (name: string, spec: Obj = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } });
const create = (api: RunningApiServerHarness, body: Obj) => call(api, 'POST', '/api/v1/namespaces/default/services', body);
const remove = (api: RunningApiServerHarness, name: string) => call(api, 'DELETE', `/api/v1/namespaces/default/services/${name}`);
const keys = async (prefix: string) => (await kv.getAll().prefix(prefix).keys()).map((k) => k.slice(prefix.length)).sort();

beforeAll(async () => {
  etcd = await startEtcd();
  kv = new Etcd3({ hosts: etcd.endpoint });
  apis = [await startApiServer({ etcdEndpoint: etcd.endpoint, args: RANGE_ARGS }), await startApiServer({ etcdEndpoint: etcd.endpoint, args: RANGE_ARGS })];
});

afterAll(async () => {
  kv?.close();
  for (const api of apis) await api.stop();
  await etcd?.stop();
});

describe('ClusterIP allocation', () => {
  it('keeps the first address for the `kubernetes` Service', async () => {
    const res = await call(apis[0], 'GET', '/api/v1/namespaces/default/services/kubernetes');
    expect(res.status).toBe(200);
    expect(res.body.spec).toMatchObject({ clusterIP: '10.97.0.1', clusterIPs: ['10.97.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP' }] });
    expect(await keys('/registry/ranges/serviceips/')).toContain('10.97.0.1');
  });

  it('gives a requested address once; the second request gets 422 on spec.clusterIPs', async () => {
    const first = await create(apis[0], svc('asked', { clusterIP: '10.97.0.10' }));
    expect(first.status).toBe(201);
    expect(first.body.spec).toMatchObject({ clusterIP: '10.97.0.10', clusterIPs: ['10.97.0.10'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    expect(first.body.status).toEqual({ loadBalancer: {} });
    const second = await create(apis[1], svc('asked-again', { clusterIP: '10.97.0.10' }));
    expect(second.status).toBe(422);
    expect(second.body.reason).toBe('Invalid');
    expect(second.body.details.causes).toEqual([{ reason: 'FieldValueInvalid', field: 'spec.clusterIPs', message: 'Invalid value: ["10.97.0.10"]: failed to allocate IP 10.97.0.10: provided IP is already allocated' }]);
    expect((await call(apis[0], 'GET', '/api/v1/namespaces/default/services/asked-again')).status).toBe(404);
  });

  it('rejects an address outside the range with 422', async () => {
    const res = await create(apis[0], svc('outside', { clusterIP: '10.98.0.10' }));
    expect(res.status).toBe(422);
    expect(res.body.details.causes[0]).toMatchObject({ field: 'spec.clusterIPs', message: expect.stringContaining('The range of valid IPs is 10.97.0.0/27') });
  });

  it('keeps the address when an update leaves it out, and refuses to change it', async () => {
    const stored = (await call(apis[0], 'GET', '/api/v1/namespaces/default/services/asked')).body;
    const put = await call(apis[1], 'PUT', '/api/v1/namespaces/default/services/asked', { ...svc('asked', { ports: [{ port: 8080 }] }), metadata: { name: 'asked', resourceVersion: stored.metadata.resourceVersion } });
    expect(put.status).toBe(200);
    expect(put.body.spec.clusterIP).toBe('10.97.0.10');
    const change = await call(apis[1], 'PUT', '/api/v1/namespaces/default/services/asked', { ...put.body, spec: { ...put.body.spec, clusterIP: '10.97.0.11', clusterIPs: ['10.97.0.11'] } });
    expect(change.status).toBe(422);
    expect(change.body.details.causes[0].field).toBe('spec.clusterIPs[0]');
  });

  it('releases the address on delete', async () => {
    expect((await remove(apis[0], 'asked')).status).toBe(200);
    expect(await keys('/registry/ranges/serviceips/')).not.toContain('10.97.0.10');
    expect((await create(apis[1], svc('reuse', { clusterIP: '10.97.0.10' }))).status).toBe(201);
    expect((await remove(apis[1], 'reuse')).status).toBe(200);
  });

  it('never hands one address to two Services created at once on two API servers', async () => {
    const available = 30 - (await keys('/registry/ranges/serviceips/')).length; // a /27 has 30 host addresses
    const results = await Promise.all(Array.from({ length: available + 3 }, (_, i) => create(apis[i % 2], svc(`burst-${i}`))));
    try {
      const created = results.filter((r) => r.status === 201).map((r) => r.body.spec.clusterIP as string);
      const refused = results.filter((r) => r.status !== 201);
      expect(new Set(created).size).toBe(created.length);
      expect(created.length).toBe(available);
      expect(refused.map((r) => r.status)).toEqual([422, 422, 422]);
      expect(refused[0].body.details.causes[0].message).toContain('range is full');
      expect(await keys('/registry/ranges/serviceips/')).toEqual([...created, '10.97.0.1'].sort());
    } finally {
      await Promise.all(results.map((_r, i) => remove(apis[i % 2], `burst-${i}`)));
    }
    expect(await keys('/registry/ranges/serviceips/')).toEqual(['10.97.0.1']);
  });

  it('lets exactly one of two simultaneous requests for the same address win', async () => {
    const [a, b] = await Promise.all([create(apis[0], svc('race-a', { clusterIP: '10.97.0.20' })), create(apis[1], svc('race-b', { clusterIP: '10.97.0.20' }))]);
    expect([a.status, b.status].sort()).toEqual([201, 422]);
    await Promise.all([remove(apis[0], 'race-a'), remove(apis[1], 'race-b')]);
  });
});

describe('NodePort allocation', () => {
  it('assigns node ports, refuses a taken or out-of-range one, and releases on type change and delete', async () => {
    const web = await create(apis[0], svc('np', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30005 }, { name: 'admin', port: 81 }] }));
    expect(web.status).toBe(201);
    const [http, admin] = web.body.spec.ports;
    expect(http.nodePort).toBe(30005);
    expect(admin.nodePort).toBeGreaterThanOrEqual(30000);
    expect(admin.nodePort).toBeLessThanOrEqual(30019);
    expect(web.body.spec.externalTrafficPolicy).toBe('Cluster');

    const taken = await create(apis[1], svc('np-taken', { type: 'NodePort', ports: [{ port: 80, nodePort: 30005 }] }));
    expect(taken.status).toBe(422);
    expect(taken.body.details.causes).toEqual([{ reason: 'FieldValueInvalid', field: 'spec.ports[0].nodePort', message: 'Invalid value: 30005: provided port is already allocated' }]);
    const outside = await create(apis[1], svc('np-outside', { type: 'NodePort', ports: [{ port: 80, nodePort: 31000 }] }));
    expect(outside.status).toBe(422);
    expect(outside.body.details.causes[0]).toMatchObject({ field: 'spec.ports[0].nodePort', message: 'Invalid value: 31000: provided port is not in the valid range. The range of valid ports is 30000-30019' });

    // A re-apply without nodePorts keeps them; switching to ClusterIP gives them back.
    const kept = (await call(apis[0], 'GET', '/api/v1/namespaces/default/services/np')).body;
    const put = await call(apis[1], 'PUT', '/api/v1/namespaces/default/services/np', { ...svc('np', { type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'admin', port: 81 }] }), metadata: { name: 'np', resourceVersion: kept.metadata.resourceVersion } });
    expect(put.status).toBe(200);
    expect(put.body.spec.ports.map((p: Obj) => p.nodePort)).toEqual([30005, admin.nodePort]);
    expect(await keys('/registry/ranges/servicenodeports/')).toEqual([String(30005), String(admin.nodePort)].sort());
    const toClusterIP = await call(apis[0], 'PUT', '/api/v1/namespaces/default/services/np', { ...put.body, spec: { ...put.body.spec, type: 'ClusterIP', externalTrafficPolicy: undefined } });
    expect(toClusterIP.status).toBe(200);
    expect(toClusterIP.body.spec.ports.map((p: Obj) => p.nodePort)).toEqual([undefined, undefined]);
    expect(await keys('/registry/ranges/servicenodeports/')).toEqual([]);
    expect((await remove(apis[0], 'np')).status).toBe(200);
  });

  it('never hands one node port to two Services created at once', async () => {
    const results = await Promise.all(Array.from({ length: 22 }, (_, i) => create(apis[i % 2], svc(`nburst-${i}`, { type: 'NodePort' }))));
    try {
      const ports = results.filter((r) => r.status === 201).map((r) => r.body.spec.ports[0].nodePort as number);
      expect(ports.length).toBe(20);
      expect(new Set(ports).size).toBe(20);
      expect(results.filter((r) => r.status === 422).length).toBe(2);
    } finally {
      await Promise.all(results.map((_r, i) => remove(apis[i % 2], `nburst-${i}`)));
    }
    expect(await keys('/registry/ranges/servicenodeports/')).toEqual([]);
  });
});

describe('the allocation repair', () => {
  // Its own prefixes, so the two API servers' repair loops never see these keys.
  const P = '/test/repair/';
  const serviceKey = (svc: Obj) => `${P}services/${svc.metadata.namespace}/${svc.metadata.name}`;
  const service = (name: string, uid: string, resourceVersion: string, nodePort: number) => ({ metadata: { namespace: 'default', name, uid, resourceVersion }, spec: { type: 'NodePort', clusterIP: 'None', ports: [{ port: 80, nodePort }] } });

  it('gives a Service its missing key back, but not one deleted after the repair listed it', async () => {
    const client = new EtcdKvClient([etcd.endpoint]);
    try {
      const ips = new EtcdRangeAllocator(client, `${P}ips/`, serviceIpRange('10.98.0.0/28'));
      const ports = new EtcdRangeAllocator(client, `${P}ports/`, portRange('30000-30019'));
      // `live` is in etcd at the revision the list shows; `gone` was listed, then deleted (its
      // port released with it), as a watch-cache list can still show it.
      const live = await kv.put(`${P}services/default/live`).value('{}').exec();
      const listed = [service('live', 'uid-live', live.header.revision, 30011), service('gone', 'uid-gone', live.header.revision, 30012)];
      const actions = await repairAllocations(listed, serviceKey, ips, ports, new Date(), 60_000);
      expect(actions.map((a) => `${a.kind} ${a.value} ${a.owner.name}`)).toEqual(['restore 30011 live']);
      expect(await keys(`${P}ports/`)).toEqual(['30011']);
      // A Service changed since the list (another revision) is left for the next pass too.
      await kv.put(`${P}services/default/live`).value('{"changed":true}');
      await kv.delete().key(`${P}ports/30011`);
      expect(await repairAllocations(listed, serviceKey, ips, ports, new Date(), 60_000)).toEqual([]);
      expect(await keys(`${P}ports/`)).toEqual([]);
    } finally {
      client.close();
      await kv.delete().prefix(P);
    }
  });
});
