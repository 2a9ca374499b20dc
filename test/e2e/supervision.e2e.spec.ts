// Supervision as `npm run up` runs it: every component killed with -9 comes back by itself and
// the cluster keeps working (a pod created after the scheduler was killed still gets placed),
// and a node agent killed with 110 pods running adopts them all.
import { join } from 'node:path';
import { RunningCluster, startCluster } from '@coxswain/harness';
import { CONTAINER_LABELS, ContainerDriver } from '@coxswain/runtime';
import { api, getObj, Obj, waitFor } from './support';

jest.setTimeout(240_000);

let cluster: RunningCluster;
const restarts: string[] = [];

beforeAll(async () => {
  cluster = await startCluster({
    nodes: 1,
    vms: false,
    supervise: true,
    // Room for the 110-pod adoption below next to the other tests' pods.
    agentArgs: ['--max-pods', '120'],
    onLog: (component, line) => {
      if (line.includes('restarting in')) restarts.push(component);
    },
  });
});

afterAll(() => cluster?.stop());

const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] } });

it.each(['scheduler', 'controller-manager', 'node-1'])('kill -9 of the %s: it is started again', async (component) => {
  const before = cluster.components[component].child.pid;
  cluster.components[component].child.kill('SIGKILL');
  await waitFor(`${component} running again`, async () => {
    const child = cluster.components[component].child;
    return child.pid !== before && child.exitCode === null;
  });
  expect(restarts).toContain(component);
});

it('kill -9 of the API server: it comes back and serves', async () => {
  const before = cluster.api.pid;
  process.kill(before, 'SIGKILL');
  await waitFor('apiserver back', async () => cluster.api.pid !== before && (await api(cluster, 'GET', '/api/v1/namespaces/default').catch(() => ({ status: 0 }))).status === 200);
  expect(restarts).toContain('apiserver');
});

it('the restarted components still place and run a new pod', async () => {
  expect((await api(cluster, 'POST', '/api/v1/namespaces/default/pods', pod('after-restarts'))).status).toBe(201);
  await waitFor('pod Running', async () => (await getObj(cluster, '/api/v1/namespaces/default/pods/after-restarts'))?.status?.phase === 'Running', 120_000);
});

it('kill -9 of a node agent running 110 pods: it comes back and adopts every one, none restarted or duplicated', async () => {
  const N = 110;
  const deployments = '/apis/apps/v1/namespaces/default/deployments';
  const template = { metadata: { labels: { app: 'dense' } }, spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] } };
  expect((await api(cluster, 'POST', deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'dense' }, spec: { replicas: N, selector: { matchLabels: { app: 'dense' } }, template } })).status).toBe(201);
  const pods = async () => ((await api(cluster, 'GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Ddense')).body.items ?? []) as Obj[];
  const restartsOf = (p: Obj) => ((p.status?.containerStatuses ?? []) as Obj[]).reduce((sum, c) => sum + Number(c.restartCount ?? 0), 0);
  const allRunning = async () => {
    const list = await pods();
    return list.length === N && list.every((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp) ? list : undefined;
  };
  const before = await waitFor(`${N} pods Running`, allRunning, 180_000, 1000).catch(async (error) => {
    // Say where it stopped: how many pods exist, in which phases, and what the stragglers show.
    const list = await pods();
    const phases = list.reduce<Record<string, number>>((n, p) => ({ ...n, [p.status?.phase ?? 'none']: (n[p.status?.phase ?? 'none'] ?? 0) + 1 }), {});
    const odd = list.filter((p) => p.status?.phase !== 'Running').slice(0, 3).map((p) => ({ name: p.metadata.name, node: p.spec?.nodeName, status: p.status }));
    throw new Error(`${error}; ${list.length} pods ${JSON.stringify(phases)}; e.g. ${JSON.stringify(odd)}`);
  });
  const node = cluster.nodes[0];
  const driver = new ContainerDriver({ root: join(node.root, 'containers') });
  const runningContainers = async () => (await driver.list()).filter((c) => c.status === 'running' && c.labels[CONTAINER_LABELS.podNamespace] === 'default' && c.labels[CONTAINER_LABELS.podName]?.startsWith('dense-'));
  const idsBefore = new Set((await runningContainers()).map((c) => c.id));
  expect(idsBefore.size).toBe(N);

  const pid = cluster.components['node-1'].child.pid;
  cluster.components['node-1'].child.kill('SIGKILL');
  const killedAt = Date.now();
  await waitFor('the agent started again and renewing its Lease', async () => {
    const lease = await getObj(cluster, '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1');
    return cluster.components['node-1'].child.pid !== pid && lease && Date.parse(lease.spec.renewTime) > killedAt;
  }, 120_000);
  // A few sync passes of the new agent (a full pass and a resync) before judging.
  await new Promise((r) => setTimeout(r, 12_000));
  const after = await waitFor(`${N} pods Running after adoption`, allRunning, 60_000, 1000).catch(async (error) => {
    const odd = (await pods()).filter((p) => p.status?.phase !== 'Running' || p.metadata.deletionTimestamp);
    throw new Error(`${error}; ${(await pods()).length} pods, not Running: ${JSON.stringify(odd.slice(0, 5).map((p) => ({ name: p.metadata.name, deleting: p.metadata.deletionTimestamp, status: p.status })))}`);
  });
  expect(after.map((p) => p.metadata.uid).sort()).toEqual(before.map((p) => p.metadata.uid).sort());
  expect(after.filter((p) => restartsOf(p) !== 0).map((p) => p.metadata.name)).toEqual([]);
  // The same containers, one per pod: nothing restarted, nothing started twice.
  const containers = await runningContainers();
  expect(containers.map((c) => c.id).sort()).toEqual([...idsBefore].sort());
  expect(new Set(containers.map((c) => c.labels[CONTAINER_LABELS.podUid])).size).toBe(N);
  await api(cluster, 'DELETE', `${deployments}/dense`);
}, 420_000);
