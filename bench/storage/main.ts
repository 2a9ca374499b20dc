// `npm run bench -- storage`: PersistentVolumeClaims on a 2-node harness cluster.
//  1. pvc_bound_p50_ms / p99: a claim of the default class `local-path` and a pod using it are
//     created together; time until the claim is Bound (WaitForFirstConsumer: the scheduler
//     selects a node, the node's provisioner makes and mounts an ext4 image, the PV controller
//     binds). pod_running_p50_ms / p99: until the pod is Running.
//  2. pvc_write_mb_s: sequential write (dd, 128 MiB, fsync at the end) into the claim, from a
//     pod; baseline node_fs_write_mb_s: the same dd in the same pod into an emptyDir, which is a
//     directory on the node's own filesystem; pvc_vs_node_fs is the ratio.
// Ends with one JSON line.
import { request } from 'undici';
import { RunningCluster, startCluster, tlsDispatcher } from '@coxswain/harness';
import { round, summarize } from '../lib/stats';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROUNDS = Number(process.env.STORAGE_BENCH_ROUNDS ?? 10);
const WRITE_RUNS = 3;
const WRITE_MIB = 128;
const NS = 'bench-storage';

async function api(cluster: RunningCluster, method: string, path: string, body?: unknown): Promise<{ status: number; body: Obj }> {
  const res = await request(`${cluster.api.url}${path}`, {
    method: method as 'GET',
    headers: { authorization: `Bearer ${cluster.api.tokens.admin}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: tlsDispatcher(cluster.api.ca!),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? (JSON.parse(text) as Obj) : {} };
}

async function must(cluster: RunningCluster, method: string, path: string, body?: unknown): Promise<Obj> {
  const res = await api(cluster, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 180_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

const claim = (name: string, size: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } } });
const pod = (name: string, claimName: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    terminationGracePeriodSeconds: 0,
    containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'scratch', mountPath: '/scratch' }] }],
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }, { name: 'scratch', emptyDir: {} }],
  },
});

/** One claim + pod: ms to Bound and to Running from the moment both were created. */
async function provisionOnce(cluster: RunningCluster, i: number): Promise<{ boundMs: number; runningMs: number }> {
  const name = `v${i}`;
  const start = performance.now();
  await Promise.all([must(cluster, 'POST', `/api/v1/namespaces/${NS}/persistentvolumeclaims`, claim(name, '64Mi')), must(cluster, 'POST', `/api/v1/namespaces/${NS}/pods`, pod(name, name))]);
  let boundMs = 0;
  let runningMs = 0;
  await until(`${name} bound and running`, async () => {
    if (!boundMs && (await api(cluster, 'GET', `/api/v1/namespaces/${NS}/persistentvolumeclaims/${name}`)).body.status?.phase === 'Bound') boundMs = performance.now() - start;
    if (!runningMs && (await api(cluster, 'GET', `/api/v1/namespaces/${NS}/pods/${name}`)).body.status?.phase === 'Running') runningMs = performance.now() - start;
    return Boolean(boundMs && runningMs);
  });
  return { boundMs, runningMs };
}

/** MB/s from the guest-side clock around dd (`T <start> <end>` in /proc/uptime seconds, 10 ms resolution). */
function ddRate(output: string): number {
  const m = /T ([\d.]+) ([\d.]+)/.exec(output);
  if (!m) throw new Error(`unexpected dd output: ${output}`);
  const seconds = Math.max(0.01, Number(m[2]) - Number(m[1]));
  return (WRITE_MIB * 1024 * 1024) / 1e6 / seconds;
}

async function exec(cluster: RunningCluster, podName: string, script: string): Promise<string> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) =>
    execFile('/usr/bin/kubectl', ['--kubeconfig', cluster.kubeconfigPath(), '-n', NS, 'exec', podName, '--', 'sh', '-c', script], { timeout: 300_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}: ${stderr}`)) : resolve(`${stdout}${stderr}`),
    ),
  );
}

async function writeRates(cluster: RunningCluster): Promise<{ pvc: number; node: number }> {
  await Promise.all([must(cluster, 'POST', `/api/v1/namespaces/${NS}/persistentvolumeclaims`, claim('io', `${WRITE_MIB * 2}Mi`)), must(cluster, 'POST', `/api/v1/namespaces/${NS}/pods`, pod('io', 'io'))]);
  await until('io running', async () => (await api(cluster, 'GET', `/api/v1/namespaces/${NS}/pods/io`)).body.status?.phase === 'Running');
  const pvc: number[] = [];
  const node: number[] = [];
  // Timed inside the pod (busybox dd prints no rate): from before dd to after its fsync.
  const dd = (dir: string) => `s=$(cut -d' ' -f1 /proc/uptime); dd if=/dev/zero of=${dir}/f bs=1048576 count=${WRITE_MIB} conv=fsync 2>/dev/null; e=$(cut -d' ' -f1 /proc/uptime); rm -f ${dir}/f; echo "T $s $e"`;
  // Interleaved, so both see the same background load.
  for (let r = 0; r < WRITE_RUNS; r++) {
    pvc.push(ddRate(await exec(cluster, 'io', dd('/data'))));
    node.push(ddRate(await exec(cluster, 'io', dd('/scratch'))));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`write: pvc ${pvc.map((x) => round(x, 1)).join(', ')} MB/s; node fs ${node.map((x) => round(x, 1)).join(', ')} MB/s`);
  return { pvc: median(pvc), node: median(node) };
}

async function main(): Promise<void> {
  const cluster = await startCluster({ nodes: 2, vms: false });
  try {
    await must(cluster, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    const bound: number[] = [];
    const running: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t = await provisionOnce(cluster, i);
      bound.push(t.boundMs);
      running.push(t.runningMs);
      console.log(`round ${i}: bound ${round(t.boundMs)} ms, running ${round(t.runningMs)} ms`);
    }
    const rates = await writeRates(cluster);
    const b = summarize(bound);
    const r = summarize(running);
    console.log(
      JSON.stringify({
        rounds: ROUNDS,
        pvc_bound_p50_ms: b.p50,
        pvc_bound_p99_ms: b.p99,
        pod_running_p50_ms: r.p50,
        pod_running_p99_ms: r.p99,
        write_mib: WRITE_MIB,
        pvc_write_mb_s: round(rates.pvc, 1),
        node_fs_write_mb_s: round(rates.node, 1),
        pvc_vs_node_fs: round(rates.pvc / rates.node, 2),
      }),
    );
  } finally {
    await cluster.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
