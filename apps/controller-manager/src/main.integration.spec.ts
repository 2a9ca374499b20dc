// The controller-manager as real processes: flags, /healthz /readyz /metrics, leader
// election between two instances on one Lease, and SIGTERM handing over to the standby.
import { join } from 'node:path';
import { ReplicaSet } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, KubeClient, Lease } from '@coxswain/client';
import { freePort, ManagedProcess, REPO_ROOT, RunningApiServerHarness, RunningEtcd, spawnManaged, startApiServer, startEtcd } from '@coxswain/harness';
import { createNamespace, eventually, listPods } from './testing/cluster';

jest.setTimeout(90_000);

let etcd: RunningEtcd;
let api: RunningApiServerHarness;
let admin: KubeClient;
const procs: ManagedProcess[] = [];

beforeAll(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint, nodes: ['node-1'] });
  admin = new KubeClient({ server: api.url, token: api.tokens.admin });
}, 60_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop(5000)));
  await admin?.destroy();
  await api?.stop();
  await etcd?.stop();
}, 60_000);

async function startInstance(): Promise<{ proc: ManagedProcess; url: string }> {
  const port = await freePort();
  const proc = spawnManaged(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      join(REPO_ROOT, 'apps/controller-manager/src/main.ts'),
      '--kubeconfig',
      api.kubeconfigPath('controller'),
      '--metrics-port',
      String(port),
      '--leader-elect-lease-duration',
      '3s',
      '--leader-elect-renew-deadline',
      '2s',
      '--leader-elect-retry-period',
      '300ms',
    ],
    { cwd: REPO_ROOT, env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  procs.push(proc);
  const url = `http://127.0.0.1:${port}`;
  await eventually(`controller-manager on ${url} healthy (${proc.output()})`, async () => (await fetch(`${url}/healthz`)).status === 200, 30_000);
  return { proc, url };
}

const holder = async () => (await admin.get<Lease>(R.Lease, 'coxswain-controller-manager', { namespace: 'kube-system' })).spec?.holderIdentity;
const text = async (url: string) => (await fetch(url)).text();

describe('controller-manager process', () => {
  it('elects one leader, serves health and controller metrics, and hands over on SIGTERM', async () => {
    const a = await startInstance();
    const b = await startInstance();
    const leaderIdentity = await eventually('a leader', async () => (await holder()) || undefined);
    const pidOf = (identity: string) => Number(identity.slice(identity.lastIndexOf('_') + 1));
    const [leader, standby] = pidOf(leaderIdentity) === a.proc.child.pid ? [a, b] : [b, a];
    expect([a.proc.child.pid, b.proc.child.pid]).toContain(pidOf(leaderIdentity));

    await eventually('leader ready', async () => (await fetch(`${leader.url}/readyz`)).status === 200);
    expect((await fetch(`${standby.url}/readyz`)).status).toBe(200);
    const ns = await createNamespace(admin, 'proc');
    await admin.create(R.ReplicaSet, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: ns },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'busybox' }] } } },
    } as ReplicaSet);
    await eventually('the leader creates pods', async () => (await listPods(admin, ns)).length === 2);

    const leaderMetrics = await text(`${leader.url}/metrics`);
    expect(leaderMetrics).toMatch(/^controller_leader 1$/m);
    expect(leaderMetrics).toMatch(/^controller_queue_depth\{controller="replicaset-controller"\} \d+$/m);
    expect(leaderMetrics).toMatch(/^controller_reconcile_duration_seconds_count\{controller="replicaset-controller"\} [1-9]\d*$/m);
    expect(leaderMetrics).toMatch(/^controller_reconcile_errors_total\{controller="deployment-controller"\} \d+$/m);
    expect(leaderMetrics).toMatch(/^workqueue_adds_total\{name="replicaset-controller"\} [1-9]\d*$/m);
    expect(await text(`${standby.url}/metrics`)).toMatch(/^controller_leader 0$/m);

    leader.proc.child.kill('SIGTERM');
    expect(await leader.proc.exited).toBe(0);
    await eventually('the standby takes the lease', async () => pidOf((await holder()) ?? '_0') === standby.proc.child.pid, 20_000);
    await admin.patch(R.ReplicaSet, 'web', { spec: { replicas: 3 } }, { namespace: ns });
    await eventually('the new leader reconciles', async () => (await listPods(admin, ns)).length === 3, 20_000);
    expect(await text(`${standby.url}/metrics`)).toMatch(/^controller_leader 1$/m);
  });
});
