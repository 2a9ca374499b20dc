// API server benchmark: 64 concurrent clients doing create / get / list / update against a real
// etcd, next to the raw etcd3 put and txn rates measured in the same run, the CPU the API
// server and etcd spend per write, and what an idle Node process costs here. Runs once per
// worker count (1 and the number of cores; BENCH_WORKERS=1,2 to choose). BENCH_WATCHERS (16)
// clients watch the pods throughout, as informers do; each must see every write. Last line: JSON.
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { Etcd3 } from 'etcd3';
import { Pool } from 'undici';
import { startApiServer, startEtcd } from '@coxswain/harness';
import { round, rssMb, runConcurrent, summarize } from '../lib/stats';
import { cpuMeter, processTree } from '../scheduler/cpu';
import { bareApiCreates } from './bare-api';
import { bareHttpGets } from './bare-http';
import { durationBuckets, histogramQuantile } from './server-latency';
import { startWatchers, waitForEvents } from './watchers';

const CONCURRENCY = 64;
const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 4000);
const WATCHERS = Number(process.env.BENCH_WATCHERS ?? 16);
/** How long the server is left idle before its resting RSS is read. */
const IDLE_MS = 15_000;
const WORKERS = (process.env.BENCH_WORKERS ?? `1,${cpus().length}`).split(',').filter(Boolean).map(Number);

async function rawEtcd(endpoint: string): Promise<{ put: number; txn: number; txnP50: number; txnP99: number }> {
  const client = new Etcd3({ hosts: endpoint });
  const value = JSON.stringify({ kind: 'Pod', spec: { containers: [{ name: 'app', image: 'busybox' }] }, padding: 'x'.repeat(600) });
  const putSeconds = await runConcurrent(OBJECTS, CONCURRENCY, (i) => client.put(`/bench/raw/put-${i}`).value(value).exec().then(() => undefined));
  const txnLatencies: number[] = [];
  const txnSeconds = await runConcurrent(OBJECTS, CONCURRENCY, async (i) => {
    const key = `/bench/raw/txn-${i}`;
    const start = performance.now();
    await client.if(key, 'Create', '==', 0).then(client.put(key).value(value)).commit();
    txnLatencies.push(performance.now() - start);
  });
  const txn = summarize(txnLatencies);
  await client.delete().prefix('/bench/raw/');
  client.close();
  return { put: round(OBJECTS / putSeconds, 0), txn: round(OBJECTS / txnSeconds, 0), txnP50: txn.p50, txnP99: txn.p99 };
}

const pod = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `pod-${i}`, labels: { app: 'bench', lane: String(i % CONCURRENCY) } },
  spec: { containers: [{ name: 'app', image: 'busybox:1.36', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
});

async function deletePrefix(endpoint: string, prefix: string): Promise<void> {
  const client = new Etcd3({ hosts: endpoint });
  await client.delete().prefix(prefix);
  client.close();
}

/** RSS of a Node process that does nothing, measured now: the floor every component pays. */
async function idleNodeRssMb(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 700));
    return await rssMb(child.pid!);
  } finally {
    child.kill('SIGKILL');
  }
}

const treeRssMb = async (pid: number) => round((await Promise.all(processTree(pid).map((p) => rssMb(p).catch(() => 0)))).reduce((a, b) => a + b, 0), 1);

type Result = Record<string, number>;

async function runOnce(workers: number | undefined): Promise<Result> {
  const etcd = await startEtcd();
  const api = await startApiServer({
    etcdEndpoint: etcd.endpoint,
    workers,
    env: { LOG_LEVEL: 'error', ...(process.env.APISERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.APISERVER_NODE_OPTIONS } : {}) },
  });
  const pool = new Pool(api.url, { connections: CONCURRENCY, pipelining: 1 });
  const headers = { authorization: `Bearer ${api.tokens.admin}`, 'content-type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await pool.request({ method: method as 'GET', path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path} → ${res.statusCode}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  try {
    const etcdRates = await rawEtcd(etcd.endpoint);
    const bareApi = await bareApiCreates({ endpoint: etcd.endpoint, pid: etcd.process.child.pid! }, pod, OBJECTS, CONCURRENCY, WATCHERS);
    await deletePrefix(etcd.endpoint, '/bare/');
    await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
    const latencies: Record<string, number[]> = { create: [], get: [], list: [], update: [] };
    const timed = async (verb: string, work: () => Promise<unknown>) => {
      const start = performance.now();
      await work();
      latencies[verb].push(performance.now() - start);
    };
    const from = (await call('GET', '/api/v1/namespaces/bench/pods')).metadata.resourceVersion;
    const watchers = startWatchers(api.url, { authorization: `Bearer ${api.tokens.admin}` }, `/api/v1/namespaces/bench/pods?watch=1&resourceVersion=${from}`, WATCHERS);
    let ops = 0;
    const start = performance.now();
    const writeCpu = cpuMeter({ apiserver: api.pid, etcd: etcd.process.child.pid! }, ['apiserver']);
    await runConcurrent(OBJECTS, CONCURRENCY, (i) => timed('create', () => call('POST', '/api/v1/namespaces/bench/pods', pod(i))).then(() => void ops++));
    const createCpu = writeCpu();
    await runConcurrent(OBJECTS, CONCURRENCY, (i) => timed('get', () => call('GET', `/api/v1/namespaces/bench/pods/pod-${(i * 7919) % OBJECTS}`)).then(() => void ops++));
    await runConcurrent(Math.round(OBJECTS / 8), CONCURRENCY, (i) => timed('list', () => call('GET', `/api/v1/namespaces/bench/pods?labelSelector=lane%3D${i % CONCURRENCY}`)).then(() => void ops++));
    await runConcurrent(OBJECTS, CONCURRENCY, async (i) => {
      const current = await call('GET', `/api/v1/namespaces/bench/pods/pod-${i}`);
      current.metadata.labels.updated = 'yes';
      await timed('update', () => call('PUT', `/api/v1/namespaces/bench/pods/pod-${i}`, current));
      ops += 2;
    });
    const seconds = (performance.now() - start) / 1000;
    const watchComplete = await waitForEvents(watchers.counts, 2 * OBJECTS);
    const delivered = watchers.counts.reduce((a, b) => a + b, 0);
    await watchers.stop();
    if (!watchComplete) throw new Error(`watchers missed events: ${watchers.counts.join(',')} of ${2 * OBJECTS} each`);
    // The same client against a bare node:http server answering a pod's bytes: the floor of a get here.
    const podBytes = await (await pool.request({ method: 'GET', path: '/api/v1/namespaces/bench/pods/pod-0', headers })).body.text();
    const bare = await bareHttpGets(podBytes, OBJECTS, CONCURRENCY);
    const rss = await treeRssMb(api.pid);
    // What the server holds once the burst is over: it gives freed pages back when idle
    // (@coxswain/metrics' startMemoryRelease), as a server between bursts would.
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const rssIdle = await treeRssMb(api.pid);
    const metrics = await (await pool.request({ method: 'GET', path: '/metrics', headers })).body.text();
    const counter = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? 0);
    const serverP99 = (verb: string) => round(histogramQuantile(0.99, durationBuckets(metrics, verb, 'pods')) * 1000, 1);
    const server = { create: serverP99('POST'), get: serverP99('GET'), list: serverP99('LIST'), update: serverP99('PUT') };
    const releases = counter('nodejs_memory_releases_total');
    const releaseMs = round(counter('nodejs_memory_release_seconds_total') * 1000, 0);
    const s = Object.fromEntries(Object.entries(latencies).map(([verb, list]) => [verb, summarize(list)]));
    const apiMsPerWrite = (createCpu.apiserver * 1000) / OBJECTS;
    const etcdMsPerWrite = (createCpu.etcd * 1000) / OBJECTS;
    console.log(`apiserver bench: ${CONCURRENCY} concurrent clients, ${OBJECTS} pods, ${WATCHERS} watchers (${delivered} events delivered), ${workers ?? 1} worker(s)`);
    for (const [verb, v] of Object.entries(s)) console.log(`  ${verb.padEnd(7)} n=${v.n}  p50 ${v.p50} ms  p99 ${v.p99} ms  (server-side p99 ${server[verb as keyof typeof server]} ms)`);
    console.log(`  throughput ${round(ops / seconds, 0)} req/s; raw etcd: ${etcdRates.put} put/s, ${etcdRates.txn} txn/s (txn p50 ${etcdRates.txnP50} ms, p99 ${etcdRates.txnP99} ms at ${CONCURRENCY} clients)`);
    console.log(`  floor of a get here: a bare node:http server answering a pod's bytes, same client: p50 ${bare.p50} ms, p99 ${bare.p99} ms, ${bare.reqPerS} req/s`);
    console.log(`  apiserver RSS (all workers) ${rss} MB at the end of the run, ${rssIdle} MB after ${IDLE_MS / 1000} s idle (${releases} memory release(s), ${releaseMs} ms)`);
    console.log(`  CPU per create: apiserver ${round(apiMsPerWrite, 3)} ms, etcd ${round(etcdMsPerWrite, 3)} ms (ratio ${round(apiMsPerWrite / etcdMsPerWrite, 2)})`);
    console.log(`  floor of a create's CPU here: a bare Node server doing only a create's I/O (body, JSON, etcd txn, watch fan-out), same client and watchers: ${bareApi.cpuMsPerWrite} ms, etcd ${bareApi.etcdCpuMsPerWrite} ms (ratio ${round(bareApi.cpuMsPerWrite / bareApi.etcdCpuMsPerWrite, 2)}); create p50 ${bareApi.p50} ms, p99 ${bareApi.p99} ms, ${bareApi.createsPerS}/s`);
    return {
      workers: workers ?? 1,
      watchers: WATCHERS,
      get_p99_ms: s.get.p99,
      create_p99_ms: s.create.p99,
      list_p99_ms: s.list.p99,
      update_p99_ms: s.update.p99,
      get_p50_ms: s.get.p50,
      create_p50_ms: s.create.p50,
      list_p50_ms: s.list.p50,
      update_p50_ms: s.update.p50,
      // apiserver_request_duration_seconds, histogram_quantile(0.99): from parsed request to response.
      get_p99_ms_server: server.get,
      create_p99_ms_server: server.create,
      list_p99_ms_server: server.list,
      update_p99_ms_server: server.update,
      req_per_s: round(ops / seconds, 0),
      etcd_put_per_s: etcdRates.put,
      etcd_txn_per_s: etcdRates.txn,
      etcd_txn_p50_ms: etcdRates.txnP50,
      etcd_txn_p99_ms: etcdRates.txnP99,
      bare_http_get_p50_ms: bare.p50,
      bare_http_get_p99_ms: bare.p99,
      bare_http_get_per_s: bare.reqPerS,
      create_vs_etcd_txn: round(s.create.n / (latencies.create.reduce((a, b) => a + b, 0) / 1000 / CONCURRENCY) / etcdRates.txn, 2),
      apiserver_cpu_ms_per_write: round(apiMsPerWrite, 3),
      etcd_cpu_ms_per_write: round(etcdMsPerWrite, 3),
      apiserver_vs_etcd_cpu: round(apiMsPerWrite / etcdMsPerWrite, 2),
      // bare-api-server.ts: a create's I/O and nothing else, same client, watchers and etcd.
      bare_api_cpu_ms_per_write: bareApi.cpuMsPerWrite,
      bare_api_vs_etcd_cpu: round(bareApi.cpuMsPerWrite / bareApi.etcdCpuMsPerWrite, 2),
      apiserver_vs_bare_api_cpu: round(apiMsPerWrite / bareApi.cpuMsPerWrite, 2),
      bare_api_create_p50_ms: bareApi.p50,
      bare_api_create_p99_ms: bareApi.p99,
      bare_api_creates_per_s: bareApi.createsPerS,
      apiserver_rss_mb: rss,
      apiserver_rss_mb_idle: rssIdle,
      apiserver_memory_releases: releases,
      apiserver_memory_release_ms: releaseMs,
    };
  } finally {
    await pool.close();
    await api.stop();
    await etcd.stop();
  }
}

async function main(): Promise<void> {
  const idleRss = await idleNodeRssMb();
  const runs: Result[] = [];
  for (const workers of WORKERS.length ? WORKERS : [undefined]) runs.push(await runOnce(workers));
  const last = runs[runs.length - 1];
  const first = runs[0];
  const scaling = runs.length > 1 ? { [`req_per_s_${first.workers}_workers`]: first.req_per_s, [`get_p99_ms_${first.workers}_workers`]: first.get_p99_ms, [`create_p99_ms_${first.workers}_workers`]: first.create_p99_ms, [`apiserver_cpu_ms_per_write_${first.workers}_workers`]: first.apiserver_cpu_ms_per_write, scaling_req_per_s: round(last.req_per_s / first.req_per_s, 2) } : {};
  console.log(`  an idle Node process here: ${idleRss} MB RSS`);
  console.log(JSON.stringify({ ...last, ...scaling, idle_node_rss_mb: idleRss, concurrency: CONCURRENCY, objects: OBJECTS, cores: cpus().length }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
