// Prometheus on the first try: a 2-node harness cluster writes <dir>/prometheus.yml; Debian's
// promtool accepts it, and Debian's Prometheus started on loopback against it scrapes every
// component (up == 1) and sees the controller-manager's kube_pod_status_phase for a test pod.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ManagedProcess, RunningCluster, spawnManaged, startCluster } from '@coxswain/harness';
import { api, waitFor } from './support';

jest.setTimeout(300_000);

let cluster: RunningCluster;
let prometheus: ManagedProcess | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, vms: false });
}, 300_000);

afterAll(async () => {
  await prometheus?.stop(10_000);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  await cluster?.stop();
}, 120_000);

type Target = { labels: { job: string; instance: string }; health: string; lastError: string };

it('scrapes every component of the cluster with the generated config', async () => {
  const config = join(cluster.dir, 'prometheus.yml');
  const check = spawnSync('promtool', ['check', 'config', config], { encoding: 'utf8' });
  expect(check.stdout + check.stderr).toContain('SUCCESS');
  expect(check.status).toBe(0);

  const res = await api(cluster, 'POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'prom-probe' },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] },
  });
  expect(res.status).toBe(201);

  dataDir = await mkdtemp(join(tmpdir(), 'prom-e2e-'));
  const port = await freePort();
  prometheus = spawnManaged('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`], {});
  const base = `http://127.0.0.1:${port}`;
  const getJson = async (path: string) => (await (await fetch(`${base}${path}`)).json()) as { data: Record<string, unknown> & { result?: unknown[] } };

  const targets = await waitFor(
    'every target up',
    async () => {
      const body = await getJson('/api/v1/targets').catch(() => undefined);
      const active = (body?.data.activeTargets ?? []) as Target[];
      return active.length > 0 && active.every((t) => t.health === 'up') ? active : undefined;
    },
    120_000,
    1000,
  ).catch(async (error) => {
    const body = await getJson('/api/v1/targets').catch(() => undefined);
    throw new Error(`${error instanceof Error ? error.message : error}: ${JSON.stringify(body?.data.activeTargets)} ${prometheus?.output()}`);
  });
  expect(new Set(targets.map((t) => t.labels.job))).toEqual(new Set(['apiserver', 'etcd', 'scheduler', 'controller-manager', 'node-agents']));
  expect(targets.filter((t) => t.labels.job === 'node-agents')).toHaveLength(2);

  const phase = await waitFor(
    'kube_pod_status_phase for the test pod',
    async () => {
      const body = await getJson(`/api/v1/query?query=${encodeURIComponent('kube_pod_status_phase{namespace="default",pod="prom-probe"} == 1')}`).catch(() => undefined);
      return body?.data.result?.length ? (body.data.result[0] as { metric: { phase: string } }).metric.phase : undefined;
    },
    120_000,
    1000,
  );
  expect(['Pending', 'Running']).toContain(phase);
  const up = await getJson(`/api/v1/query?query=${encodeURIComponent('sum(up)')}`);
  expect(Number((up.data.result?.[0] as { value: [number, string] }).value[1])).toBe(targets.length);
});
