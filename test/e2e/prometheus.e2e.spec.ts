// Prometheus on the first try: a 2-node harness cluster writes <dir>/prometheus.yml; Debian's
// promtool accepts it, and Debian's Prometheus started on loopback against it scrapes every
// component (up == 1), sees the controller-manager's kube_pod_status_phase and the agent's
// container_memory_working_set_bytes for a test pod, and every component's /metrics passes
// `promtool check metrics`; the control plane's includes its idle memory releases.
// Then discovery through the API: the API server answers the list+watch requests Prometheus'
// Kubernetes discovery (client-go reflectors) sends, and Debian's Prometheus with
// <dir>/prometheus-sd.yml (http_sd_configs, the same jobs and relabelling as the shipped
// kubernetes_sd_configs) finds the API server, both node agents and an annotated pod, all up.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ManagedProcess, RunningCluster, spawnManaged, startCluster, tlsDispatcher } from '@coxswain/harness';
import { request } from 'undici';
import { promtoolFindings } from '@coxswain/metrics/testing';
import { api, waitFor } from './support';

jest.setTimeout(300_000);

let cluster: RunningCluster;
let prometheus: ManagedProcess | undefined;
let dataDir: string | undefined;
let sdPrometheus: ManagedProcess | undefined;
let sdDataDir: string | undefined;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, vms: false });
}, 300_000);

afterAll(async () => {
  await prometheus?.stop(10_000);
  await sdPrometheus?.stop(10_000);
  for (const d of [dataDir, sdDataDir]) if (d) await rm(d, { recursive: true, force: true });
  await cluster?.stop();
}, 120_000);

type Target = { labels: { job: string; instance: string }; health: string; lastError: string; scrapeUrl: string };

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
  // cAdvisor's working set for the test pod's container, scraped from its node's agent.
  const workingSet = await waitFor(
    'container_memory_working_set_bytes for the test pod',
    async () => {
      const body = await getJson(`/api/v1/query?query=${encodeURIComponent('container_memory_working_set_bytes{namespace="default",pod="prom-probe",container="app"}')}`).catch(() => undefined);
      return body?.data.result?.length ? Number((body.data.result[0] as { value: [number, string] }).value[1]) : undefined;
    },
    120_000,
    1000,
  );
  expect(workingSet).toBeGreaterThan(0);
  // Every component's exposition is clean under promtool check metrics (etcd's own is not ours).
  for (const target of targets.filter((t) => t.labels.job !== 'etcd')) {
    const res = await request(target.scrapeUrl, target.scrapeUrl.startsWith('https:') ? { headers: { authorization: `Bearer ${cluster.api.tokens.viewer}` }, dispatcher: tlsDispatcher(cluster.api.ca!) } : {});
    const text = await res.body.text();
    expect([target.scrapeUrl, res.statusCode, promtoolFindings(text)]).toEqual([target.scrapeUrl, 200, []]);
    // The control plane runs with --expose-gc, so each gives a burst's memory back when idle.
    if (target.labels.job !== 'node-agents') expect([target.labels.job, /^nodejs_memory_releases_total \d+$/m.test(text)]).toEqual([target.labels.job, true]);
  }
  await prometheus.stop(10_000);
  prometheus = undefined;
});

/** A request as Prometheus' client-go sends it: the metrics token, protobuf preferred. */
async function asPrometheus(path: string): Promise<{ status: number; type: string; raw: () => Promise<string> }> {
  const res = await request(`${cluster.api.url}${path}`, {
    headers: { authorization: `Bearer ${cluster.api.tokens.viewer}`, accept: 'application/vnd.kubernetes.protobuf', 'user-agent': 'Prometheus/2.42.0' },
    dispatcher: tlsDispatcher(cluster.api.ca!),
  });
  return { status: res.statusCode, type: String(res.headers['content-type']), raw: () => res.body.text() };
}

it("answers Prometheus' Kubernetes discovery: reflector list then watch, per role", async () => {
  // client-go's reflector: LIST ?limit=500&resourceVersion=0, then WATCH from the list's
  // resourceVersion with bookmarks and a random timeout; JSON answers a protobuf Accept.
  for (const path of ['/api/v1/nodes', '/api/v1/pods', '/api/v1/services', '/apis/discovery.k8s.io/v1/endpointslices', '/api/v1/namespaces/default/pods']) {
    const list = await asPrometheus(`${path}?limit=500&resourceVersion=0`);
    expect([path, list.status]).toEqual([path, 200]);
    expect(list.type).toContain('application/json');
    const body = JSON.parse(await list.raw()) as { metadata: { resourceVersion: string }; items: unknown[] };
    expect(body.metadata.resourceVersion).toMatch(/^\d+$/);
    const watch = await asPrometheus(`${path}?allowWatchBookmarks=true&resourceVersion=${body.metadata.resourceVersion}&timeout=1s&timeoutSeconds=1&watch=true`);
    expect([path, watch.status]).toEqual([path, 200]);
    await watch.raw(); // ends after timeoutSeconds
  }
  const nodes = JSON.parse(await (await asPrometheus('/api/v1/nodes?limit=500&resourceVersion=0')).raw()) as { items: Array<{ status: { addresses: Array<{ type: string }> } }> };
  expect(nodes.items).toHaveLength(2);
  for (const n of nodes.items) expect(n.status.addresses.map((a) => a.type)).toContain('InternalIP');
  // GET /version: Prometheus reads it to choose discovery.k8s.io/v1 EndpointSlices (>= 1.21).
  const version = JSON.parse(await (await asPrometheus('/version')).raw()) as { major: string; minor: string };
  expect(Number(version.minor)).toBeGreaterThanOrEqual(21);
});

it('Debian Prometheus discovers the cluster through the API (http_sd, the shipped relabelling)', async () => {
  const config = join(cluster.dir, 'prometheus-sd.yml');
  const check = spawnSync('promtool', ['check', 'config', config], { encoding: 'utf8' });
  expect(check.stdout + check.stderr).toContain('SUCCESS');

  // A pod that asks to be scraped: the pods job discovers it. The host has no route into the
  // harness' pod networks, so this Prometheus (on the host) cannot scrape it; its target group
  // is checked as served instead, and the job keeps only Running pods.
  const res = await api(cluster, 'POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'prom-scraped', annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080' } },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], ports: [{ name: 'metrics', containerPort: 8080 }] }] },
  });
  expect(res.status).toBe(201);
  const podGroup = await waitFor(
    'the annotated pod in /prometheus/sd/pod',
    async () => {
      const groups = JSON.parse(await (await asPrometheus('/prometheus/sd/pod')).raw()) as Array<{ targets: string[]; labels: Record<string, string> }>;
      return groups.find((g) => g.labels.__meta_kubernetes_pod_name === 'prom-scraped' && g.labels.__meta_kubernetes_pod_phase === 'Running');
    },
    120_000,
    1000,
  );
  expect(podGroup.targets).toEqual([`${podGroup.labels.__meta_kubernetes_pod_ip}:8080`]);
  expect(podGroup.labels).toMatchObject({ __meta_kubernetes_namespace: 'default', __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'true', __meta_kubernetes_pod_container_port_name: 'metrics' });
  // Without the token the endpoint answers 401 like every API path.
  const anonymous = await request(`${cluster.api.url}/prometheus/sd/node`, { dispatcher: tlsDispatcher(cluster.api.ca!) });
  expect(anonymous.statusCode).toBe(401);
  await anonymous.body.text();

  sdDataDir = await mkdtemp(join(tmpdir(), 'prom-sd-e2e-'));
  const port = await freePort();
  sdPrometheus = spawnManaged('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${sdDataDir}`, `--web.listen-address=127.0.0.1:${port}`], {});
  const base = `http://127.0.0.1:${port}`;
  const getJson = async (path: string) => (await (await fetch(`${base}${path}`)).json()) as { data: Record<string, unknown> & { result?: unknown[] } };
  const byJob = (active: Target[]) => Object.fromEntries(['apiserver', 'node-agents', 'pods', 'etcd', 'scheduler', 'controller-manager'].map((j) => [j, active.filter((t) => t.labels.job === j).length]));
  const targets = await waitFor(
    'every discovered target up',
    async () => {
      const body = await getJson('/api/v1/targets').catch(() => undefined);
      const active = (body?.data.activeTargets ?? []) as Target[];
      const n = byJob(active);
      const scrapable = active.filter((t) => t.labels.job !== 'pods');
      return n.apiserver === 1 && n['node-agents'] === 2 && scrapable.every((t) => t.health === 'up') ? active : undefined;
    },
    150_000,
    1000,
  ).catch(async (error) => {
    const body = await getJson('/api/v1/targets').catch(() => undefined);
    throw new Error(`${error instanceof Error ? error.message : error}: ${JSON.stringify(body?.data.activeTargets)} ${sdPrometheus?.output()}`);
  });
  // The pods job sees the pod (discovered), though its target here is dropped or unreachable.
  expect(byJob(targets)).toMatchObject({ apiserver: 1, 'node-agents': 2, etcd: 1, scheduler: 1, 'controller-manager': 1 });
  const nodes = targets.filter((t) => t.labels.job === 'node-agents') as Array<Target & { labels: Record<string, string> }>;
  expect(nodes.map((t) => t.labels.node).sort()).toEqual(cluster.nodes.map((n) => n.name).sort());
  // The API server found through the `kubernetes` Service's EndpointSlice, on its own port.
  expect(targets.find((t) => t.labels.job === 'apiserver')!.labels.instance.split(':')[1]).toBe(new URL(cluster.api.url).port);
  expect(byJob(targets).pods).toBeLessThanOrEqual(1);

  // The agents measured the test pods' apply → Running; coxctl compare charts it from here.
  await waitFor(
    'container start latency scraped',
    async () => {
      const body = await getJson(`/api/v1/query?query=${encodeURIComponent('sum(node_agent_workload_start_latency_seconds_count{kind="container"})')}`).catch(() => undefined);
      return Number((body?.data.result?.[0] as { value: [number, string] } | undefined)?.value[1] ?? 0) >= 2;
    },
    90_000,
    1000,
  );
  const coxctl = join(__dirname, '..', '..', 'apps', 'cli', 'bin', 'coxctl');
  const { stdout } = await promisify(execFile)(coxctl, ['--kubeconfig', cluster.kubeconfigPath('admin'), 'compare', '--prometheus', base], { timeout: 60_000 });
  expect(stdout).toMatch(/^START LATENCY \(apply → Running\), p50 \/ p90\ncontainer +█+ \S+ m?s \/ \S+ m?s +\(\d+ starts\)$/m);
  expect(stdout).toMatch(/^container +█+ \d+$/m); // running now
  expect(stdout).toContain('ISOLATION');
});
