// The controllers in-process against a real etcd and API server (no scheduler, no node
// agent: the tests play their part by binding pods and writing their status).
import { Pod, ReplicaSet } from '@coxswain/api';
import { BUILTIN_RESOURCES as R } from '@coxswain/client';
import { RunningApiServerHarness, RunningEtcd, startApiServer, startEtcd } from '@coxswain/harness';
import { ControllerManager } from './manager';
import { createNamespace, eventually, listPods, TestClients, testClients } from './testing/cluster';

jest.setTimeout(60_000);

let etcd: RunningEtcd;
let api: RunningApiServerHarness;
let clients: TestClients;
let manager: ControllerManager;

beforeAll(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint, nodes: ['node-1', 'node-2'] });
  clients = testClients(api);
  manager = new ControllerManager({ client: clients.controller, logger: clients.logger });
  await manager.start();
}, 90_000);

afterAll(async () => {
  await manager?.stop();
  await clients?.close();
  await api?.stop();
  await etcd?.stop();
}, 60_000);

const podTemplate = (labels: Record<string, string>, image = 'busybox:1.36') => ({
  metadata: { labels },
  spec: { containers: [{ name: 'app', image, resources: { requests: { cpu: '100m', memory: '16Mi' } } }] },
});

describe('ReplicaSet', () => {
  it('keeps N pods, adopts a matching orphan and replaces deleted pods', async () => {
    const ns = await createNamespace(clients.admin, 'rs');
    const labels = { app: 'web' };
    await clients.admin.create<Pod>(R.Pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace: ns, labels }, spec: podTemplate(labels).spec } as Pod);
    const rs = await clients.admin.create<ReplicaSet>(R.ReplicaSet, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: ns },
      spec: { replicas: 3, selector: { matchLabels: labels }, template: podTemplate(labels) },
    } as ReplicaSet);

    const pods = await eventually('3 pods owned by the ReplicaSet', async () => {
      const items = await listPods(clients.admin, ns);
      const owned = items.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid && r.controller));
      return items.length === 3 && owned.length === 3 ? items : undefined;
    });
    expect(pods.map((p) => p.metadata.name)).toContain('orphan');

    await clients.admin.delete(R.Pod, 'orphan', { namespace: ns });
    await eventually('a replacement pod', async () => {
      const items = await listPods(clients.admin, ns);
      return items.length === 3 && !items.some((p) => p.metadata.name === 'orphan');
    });

    await clients.admin.patch(R.ReplicaSet, 'web', { spec: { replicas: 1 } }, { namespace: ns });
    const status = await eventually('scaled down to 1 with status', async () => {
      const items = await listPods(clients.admin, ns);
      const current = await clients.admin.get<ReplicaSet>(R.ReplicaSet, 'web', { namespace: ns });
      return items.length === 1 && current.status?.replicas === 1 && current.status.observedGeneration === current.metadata.generation ? current.status : undefined;
    });
    expect(status).toMatchObject({ replicas: 1, readyReplicas: 0, availableReplicas: 0 });
  });
});
