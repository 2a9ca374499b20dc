// The node authorizer's storage rule on a real API server and etcd: a node reads the claims of
// its workloads and the volumes bound to them, lists only its own local volumes, and creates and
// deletes only the local provisioner's volumes for claims selected to it.
import { fetch } from 'undici';
import { RunningApiServerHarness, RunningEtcd, startApiServer, startEtcd } from '@coxswain/harness';

jest.setTimeout(120_000);

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let etcd: RunningEtcd;
let api: RunningApiServerHarness;

async function call(method: string, path: string, body?: unknown, token = api.tokens.admin): Promise<{ status: number; body: Obj }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${api.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Obj) : {} };
}

const NS = '/api/v1/namespaces/default';
const podUsing = (name: string, node: string, claim: string) => ({
  metadata: { name },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: claim } }] },
});
const claimFor = (name: string, annotations: Record<string, string> = {}) => ({
  metadata: { name, annotations },
  spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'manual', resources: { requests: { storage: '16Mi' } } },
});
const localVolume = (claim: Obj, node: string, over: Obj = {}) => ({
  metadata: { name: `pvc-${claim.metadata.uid}`, annotations: { 'pv.kubernetes.io/provisioned-by': 'coxswain.io/local' }, labels: { 'coxswain.io/node': node } },
  spec: {
    capacity: { storage: '16Mi' },
    accessModes: ['ReadWriteOnce'],
    storageClassName: 'manual',
    persistentVolumeReclaimPolicy: 'Delete',
    local: { path: `/var/lib/coxswain/local-volumes/pvc-${claim.metadata.uid}` },
    nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
    claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: 'default', name: claim.metadata.name, uid: claim.metadata.uid },
    ...over,
  },
});

let wanted: Obj;

beforeAll(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint, nodes: ['n1', 'n2'] });
  const created = await call('POST', `${NS}/persistentvolumeclaims`, claimFor('data', { 'volume.kubernetes.io/storage-provisioner': 'coxswain.io/local', 'volume.kubernetes.io/selected-node': 'n1' }));
  expect(created.status).toBe(201);
  wanted = created.body;
  expect((await call('POST', `${NS}/persistentvolumeclaims`, claimFor('other'))).status).toBe(201);
  expect((await call('POST', `${NS}/pods`, podUsing('db', 'n1', 'data'))).status).toBe(201);
});

afterAll(async () => {
  await api?.stop();
  await etcd?.stop();
});

describe('a node and PersistentVolumeClaims', () => {
  it('reads the claim of a pod bound to it, by name only', async () => {
    const n1 = api.tokens.node.n1;
    expect((await call('GET', `${NS}/persistentvolumeclaims/data`, undefined, n1)).status).toBe(200);
    const one = await call('GET', `${NS}/persistentvolumeclaims?fieldSelector=metadata.name%3Ddata`, undefined, n1);
    expect(one.body.items.map((c: Obj) => c.metadata.name)).toEqual(['data']);
    const other = await call('GET', `${NS}/persistentvolumeclaims/other`, undefined, n1);
    expect(other.status).toBe(403);
    expect(other.body.message).toContain("no relationship found between node 'n1' and this object");
    expect((await call('GET', `${NS}/persistentvolumeclaims`, undefined, n1)).status).toBe(403);
    expect((await call('GET', '/api/v1/persistentvolumeclaims?watch=1', undefined, n1)).status).toBe(403);
    expect((await call('PATCH', `${NS}/persistentvolumeclaims/data`, { metadata: { labels: { x: 'y' } } }, n1)).status).toBe(403);
  });

  it('writes only the conditions of its claims\' status (a DataVolume import), as NodeRestriction allows', async () => {
    const patch = (name: string, body: unknown, token: string) =>
      fetch(`${api.url}${NS}/persistentvolumeclaims/${name}/status`, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/merge-patch+json' }, body: JSON.stringify(body) })
        .then(async (res) => ({ status: res.status, body: (await res.json()) as Obj }));
    const condition = { type: 'cdi.kubevirt.io/Import', status: 'True', reason: 'ImportInProgress', message: '10.00%' };
    const ok = await patch('data', { status: { conditions: [condition] } }, api.tokens.node.n1);
    expect(ok.status).toBe(200);
    expect(ok.body.status.conditions).toEqual([condition]);
    const phase = await patch('data', { status: { phase: 'Bound' } }, api.tokens.node.n1);
    expect(phase.status).toBe(403);
    expect(phase.body.message).toContain('node "n1" is not allowed to update fields other than status.conditions');
    expect((await patch('data', { status: { conditions: [] } }, api.tokens.node.n2)).status).toBe(403);
    expect((await patch('other', { status: { conditions: [condition] } }, api.tokens.node.n1)).status).toBe(403);
    // The controller's own status writes are not restricted.
    expect((await patch('data', { status: { phase: 'Pending' } }, api.tokens.admin)).status).toBe(200);
  });

  it('does not read the claim of a pod on another node', async () => {
    expect((await call('GET', `${NS}/persistentvolumeclaims/data`, undefined, api.tokens.node.n2)).status).toBe(403);
  });
});

describe('a node and PersistentVolumes', () => {
  it('creates only the local volume of a claim selected to it', async () => {
    const n1 = api.tokens.node.n1;
    const n2 = api.tokens.node.n2;
    const refused = async (body: Obj, token: string, why: RegExp) => {
      const answer = await call('POST', '/api/v1/persistentvolumes', body, token);
      expect(answer.status).toBe(403);
      expect(answer.body.message).toMatch(why);
    };
    await refused(localVolume(wanted, 'n2'), n2, /not selected to node "n2"/);
    await refused(localVolume(wanted, 'n2'), n1, /pinned to node "n1"/);
    await refused({ ...localVolume(wanted, 'n1'), metadata: { ...localVolume(wanted, 'n1').metadata, name: 'mine' } }, n1, /must be named pvc-/);
    await refused(localVolume(wanted, 'n1', { local: undefined, hostPath: { path: '/etc' } }), n1, /only create local volumes/);
    const other = (await call('GET', `${NS}/persistentvolumeclaims/other`)).body;
    await refused(localVolume(other, 'n1'), n1, /not to be provisioned by coxswain.io\/local/);
    const made = await call('POST', '/api/v1/persistentvolumes', localVolume(wanted, 'n1'), n1);
    expect(made.status).toBe(201);
  });

  it('lists and watches only its own volumes, by their node label', async () => {
    const n1 = api.tokens.node.n1;
    const own = await call('GET', '/api/v1/persistentvolumes?labelSelector=coxswain.io%2Fnode%3Dn1', undefined, n1);
    expect(own.status).toBe(200);
    expect(own.body.items.map((v: Obj) => v.metadata.name)).toEqual([`pvc-${wanted.metadata.uid}`]);
    expect((await call('GET', '/api/v1/persistentvolumes', undefined, n1)).status).toBe(403);
    expect((await call('GET', '/api/v1/persistentvolumes?labelSelector=coxswain.io%2Fnode%3Dn2', undefined, n1)).status).toBe(403);
  });

  it('reads a volume bound to a claim of its pods, not another node\'s', async () => {
    // A static volume bound (by an admin) to a claim a pod on n2 uses.
    const shared = (await call('POST', `${NS}/persistentvolumeclaims`, { ...claimFor('shared'), spec: { ...claimFor('shared').spec, volumeName: 'static' } })).body;
    expect(shared.metadata?.name).toBe('shared');
    const pv = { metadata: { name: 'static' }, spec: { capacity: { storage: '16Mi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', hostPath: { path: '/srv/static' } } };
    expect((await call('POST', '/api/v1/persistentvolumes', pv)).status).toBe(201);
    const n2 = api.tokens.node.n2;
    expect((await call('GET', '/api/v1/persistentvolumes/static', undefined, n2)).status).toBe(403);
    expect((await call('POST', `${NS}/pods`, podUsing('app', 'n2', 'shared'))).status).toBe(201);
    expect((await call('GET', '/api/v1/persistentvolumes/static', undefined, n2)).status).toBe(200);
    expect((await call('GET', '/api/v1/persistentvolumes/static', undefined, api.tokens.node.n1)).status).toBe(403);
    // Its own local volume: readable by n1 (even with no pod using it), not by n2.
    expect((await call('GET', `/api/v1/persistentvolumes/pvc-${wanted.metadata.uid}`, undefined, api.tokens.node.n1)).status).toBe(200);
    expect((await call('GET', `/api/v1/persistentvolumes/pvc-${wanted.metadata.uid}`, undefined, n2)).status).toBe(403);
  });

  it('deletes only its own local volumes', async () => {
    const n1 = api.tokens.node.n1;
    const notOwn = await call('DELETE', '/api/v1/persistentvolumes/static', undefined, n1);
    expect(notOwn.status).toBe(403);
    expect(notOwn.body.message).toMatch(/only delete volumes its local provisioner made on node "n1"/);
    expect((await call('DELETE', `/api/v1/persistentvolumes/pvc-${wanted.metadata.uid}`, undefined, api.tokens.node.n2)).status).toBe(403);
    expect((await call('DELETE', `/api/v1/persistentvolumes/pvc-${wanted.metadata.uid}`, undefined, n1)).status).toBe(200);
  });
});
