// The controller-manager process against a real API server on etcd: its /metrics carries the
// cluster-state families for objects created through the API, and the whole exposition is
// clean under Debian's `promtool check metrics`.
import { join } from 'node:path';
import { Deployment, Node } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, KubeClient } from '@coxswain/client';
import { freePort, ManagedProcess, REPO_ROOT, RunningApiServerHarness, RunningEtcd, spawnManaged, startApiServer, startEtcd } from '@coxswain/harness';
import { createNamespace, eventually } from '../testing/cluster';
import { promtoolFindings } from '@coxswain/metrics/testing';

jest.setTimeout(120_000);

let etcd: RunningEtcd;
let api: RunningApiServerHarness;
let admin: KubeClient;
let proc: ManagedProcess | undefined;

beforeAll(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint, nodes: ['node-1'] });
  admin = new KubeClient({ server: api.url, token: api.tokens.admin });
}, 60_000);

afterAll(async () => {
  await proc?.stop(5000);
  await admin?.destroy();
  await api?.stop();
  await etcd?.stop();
}, 60_000);

it('serves kube_* state metrics from live objects, promtool-clean', async () => {
  const port = await freePort();
  proc = spawnManaged(
    process.execPath,
    ['-r', '@swc-node/register', join(REPO_ROOT, 'apps/controller-manager/src/main.ts'), '--kubeconfig', api.kubeconfigPath('controller'), '--metrics-port', String(port), '--leader-elect=false'],
    { cwd: REPO_ROOT, env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  const url = `http://127.0.0.1:${port}`;
  await eventually(`controller-manager ready (${proc.output()})`, async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200, 40_000);

  const ns = await createNamespace(admin, 'ksm');
  await admin.create(R.Deployment, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'busybox' }] } } },
  } as Deployment);
  const node = await admin.get<Node>(R.Node, 'node-1').catch(() => undefined);

  const text = await eventually(
    'state metrics for the deployment, its replicaset and pods',
    async () => {
      const body = await (await fetch(`${url}/metrics`)).text();
      const ok =
        new RegExp(`^kube_deployment_spec_replicas\\{namespace="${ns}",deployment="web"\\} 2$`, 'm').test(body) &&
        new RegExp(`^kube_replicaset_spec_replicas\\{namespace="${ns}",replicaset="web-[a-z0-9]+"\\} 2$`, 'm').test(body) &&
        (body.match(new RegExp(`^kube_pod_info\\{namespace="${ns}",pod="web-[^"]+".*created_by_kind="ReplicaSet".*\\} 1$`, 'gm')) ?? []).length === 2;
      return ok ? body : undefined;
    },
    40_000,
  );
  expect(text).toMatch(new RegExp(`^kube_deployment_status_replicas_available\\{namespace="${ns}",deployment="web"\\} \\d+$`, 'm'));
  if (node) expect(text).toMatch(/^kube_node_info\{node="node-1",/m);
  expect(text).toMatch(/^# TYPE kubevirt_vmi_phase_count gauge$/m);
  expect(promtoolFindings(text)).toEqual([]);
});
