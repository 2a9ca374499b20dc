// Supervision as `npm run up` runs it: every component killed with -9 comes back by itself and
// the cluster keeps working (a pod created after the scheduler was killed still gets placed).
import { RunningCluster, startCluster } from '@coxswain/harness';
import { api, getObj, waitFor } from './support';

jest.setTimeout(240_000);

let cluster: RunningCluster;
const restarts: string[] = [];

beforeAll(async () => {
  cluster = await startCluster({
    nodes: 1,
    vms: false,
    supervise: true,
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
