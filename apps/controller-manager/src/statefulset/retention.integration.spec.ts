// StatefulSet claim retention in-process against a real etcd and API server, with the garbage
// collector and the PersistentVolume controller (which drops pvc-protection once no pod names
// a claim). No scheduler or node agent: a fake kubelet marks the pods ready.
import { KubeObject, OwnerReference, StatefulSet } from '@coxswain/api';
import { RunningApiServerHarness, RunningEtcd, startApiServer, startEtcd } from '@coxswain/harness';
import { STATEFULSET_RESOURCE } from '../daemonset/resources';
import { ControllerManager } from '../manager';
import { createNamespace, eventually, FakeKubelet, listPods, startFakeKubelet, TestClients, testClients } from '../testing/cluster';
import { PVC_RESOURCE } from './controller';

jest.setTimeout(120_000);

let etcd: RunningEtcd;
let api: RunningApiServerHarness;
let clients: TestClients;
let manager: ControllerManager;
let kubelet: FakeKubelet | undefined;

beforeAll(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint, nodes: ['node-1'], tls: true });
  clients = testClients(api);
  manager = new ControllerManager({ client: clients.controller, logger: clients.logger, controllers: ['statefulset', 'garbagecollector', 'persistentvolume'] });
  await manager.start();
}, 90_000);

afterAll(async () => {
  await kubelet?.stop();
  await manager?.stop();
  await clients?.close();
  await api?.stop();
  await etcd?.stop();
}, 60_000);

type Policy = StatefulSet['spec']['persistentVolumeClaimRetentionPolicy'];

const statefulSet = (ns: string, replicas: number, policy?: Policy) =>
  ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: ns },
    spec: {
      replicas,
      podManagementPolicy: 'Parallel',
      serviceName: 'db',
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...(policy ? { persistentVolumeClaimRetentionPolicy: policy } : {}),
    },
  }) as StatefulSet;

const getClaim = (ns: string, name: string) => clients.admin.get<KubeObject>(PVC_RESOURCE, name, { namespace: ns }).catch(() => undefined);
const owners = async (ns: string, name: string) => ((await getClaim(ns, name))?.metadata.ownerReferences ?? []).map((r: OwnerReference) => `${r.kind}/${r.name}${r.controller ? '' : ' (not controller)'}`);
const ownedBy = (ns: string, name: string, want: string[]) => eventually(`${name} owned by [${want.join(', ')}]`, async () => JSON.stringify(await owners(ns, name)) === JSON.stringify(want));
const claimGone = (ns: string, name: string) => eventually(`${name} gone`, async () => !(await getClaim(ns, name)));
const podNames = async (ns: string) => (await listPods(clients.admin, ns)).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name).sort();
const patchSpec = (ns: string, spec: Record<string, unknown>) => clients.admin.patch(STATEFULSET_RESOURCE, 'db', { spec }, { namespace: ns });

describe('persistentVolumeClaimRetentionPolicy', () => {
  it('the API refuses a value other than Retain or Delete', async () => {
    const ns = await createNamespace(clients.admin, 'sts-policy');
    const refused = (await clients.admin.create(STATEFULSET_RESOURCE, statefulSet(ns, 1, { whenDeleted: 'Remove' as never })).catch((e: unknown) => e)) as { code?: number };
    expect(refused.code).toBe(422);
  });

  it('a policy changed on a running set reaches its claims; a scale-down then deletes the claim with its pod, a scale-up recreates it, deleting the set deletes the rest', async () => {
    const ns = await createNamespace(clients.admin, 'sts-retain');
    kubelet = startFakeKubelet(clients.admin, ns);
    await clients.admin.create<StatefulSet>(STATEFULSET_RESOURCE, statefulSet(ns, 2));
    await eventually('2 pods', async () => JSON.stringify(await podNames(ns)) === '["db-0","db-1"]');
    for (const name of ['data-db-0', 'data-db-1']) await ownedBy(ns, name, []);

    await patchSpec(ns, { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } });
    for (const name of ['data-db-0', 'data-db-1']) await ownedBy(ns, name, ['StatefulSet/db']);

    await patchSpec(ns, { replicas: 1 });
    await claimGone(ns, 'data-db-1');
    expect(await podNames(ns)).toEqual(['db-0']);
    expect(await owners(ns, 'data-db-0')).toEqual(['StatefulSet/db']);

    await patchSpec(ns, { replicas: 2 });
    await eventually('db-1 back', async () => JSON.stringify(await podNames(ns)) === '["db-0","db-1"]');
    await ownedBy(ns, 'data-db-1', ['StatefulSet/db']);

    await clients.admin.delete(STATEFULSET_RESOURCE, 'db', { namespace: ns });
    await claimGone(ns, 'data-db-0');
    await claimGone(ns, 'data-db-1');
    await kubelet.stop();
    kubelet = undefined;
  });

  it('whenScaled: Delete alone deletes a scaled-away pod\'s claim and leaves the others to outlive the set', async () => {
    const ns = await createNamespace(clients.admin, 'sts-scaled');
    kubelet = startFakeKubelet(clients.admin, ns);
    await clients.admin.create<StatefulSet>(STATEFULSET_RESOURCE, statefulSet(ns, 2, { whenDeleted: 'Retain', whenScaled: 'Delete' }));
    await eventually('2 pods', async () => JSON.stringify(await podNames(ns)) === '["db-0","db-1"]');
    for (const name of ['data-db-0', 'data-db-1']) await ownedBy(ns, name, []);

    await patchSpec(ns, { replicas: 1 });
    await claimGone(ns, 'data-db-1');

    await clients.admin.delete(STATEFULSET_RESOURCE, 'db', { namespace: ns });
    await eventually('pods gone', async () => (await listPods(clients.admin, ns)).length === 0);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await owners(ns, 'data-db-0')).toEqual([]);
    expect((await getClaim(ns, 'data-db-0'))?.metadata.deletionTimestamp).toBeUndefined();
    await kubelet.stop();
    kubelet = undefined;
  });
});
