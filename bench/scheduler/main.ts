// `npm run bench -- scheduler`: a real etcd and API server, 1,000 hollow nodes (Node objects
// with capacity and fresh Leases, no agents), then 10,000 Pods + 500 VMIs created as fast as
// the API takes them while the real scheduler process binds them. Prints bound/s, p50/p99
// create→bound latency, the raw etcd txn rate measured in the same run and the ratio, plus
// where the CPU went, the scheduler's in-process ceiling, and bind throughput from a
// backlog. Last line: JSON.
import { Node, Pod, VirtualMachineInstance } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, Informer, KubeClient, ResourceDescriptor } from '@coxswain/client';
import { startApiServer, startEtcd } from '@coxswain/harness';
import { cpus } from 'node:os';
import { DEFAULT_CONFIG } from '../../apps/scheduler/src/config/config';
import { parseResourceList, workloadFromPod, workloadFromVmi } from '@coxswain/scheduling';
import { SchedulerProcess, startSchedulerProcess } from '../../apps/scheduler/src/testing/scheduler-process';
import { meanMs, sampleApi } from './api-metrics';
import { cpuMeter } from './cpu';
import { measureEtcdTxnRate } from './etcd-txn-rate';
import { measureInProcess } from './in-process';
import { quantile, runLimited } from './stats';
import { hollowNode, lease, NS, pod, vmi } from './workloads';

const NODES = Number(process.env.BENCH_NODES ?? 1000);
const PODS = Number(process.env.BENCH_PODS ?? 10_000);
const VMIS = Number(process.env.BENCH_VMIS ?? 500);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 3000);
/** API server worker processes (`--workers`); the server's default (half the cores) unless BENCH_APISERVER_WORKERS says. */
const WORKERS = Number(process.env.BENCH_APISERVER_WORKERS ?? Math.max(1, Math.floor(cpus().length / 2)));
// 16 creates in flight keep the API busy without starving the binds: with 64 the creates
// finish sooner but binds queue behind them and latency measures that queue, not scheduling.
const CREATE_IN_FLIGHT = Number(process.env.BENCH_CREATE_IN_FLIGHT ?? 16);
// Scheduled events off: each would be one more etcd write per workload on top of the create
// and the bind this figure is about. FailedScheduling events stay on.
const SCHEDULER_CONFIG = { events: { scheduled: false }, ...(process.env.BENCH_BIND_CONCURRENCY ? { bindConcurrency: Number(process.env.BENCH_BIND_CONCURRENCY) } : {}) };

const log = (msg: string) => process.stderr.write(`${msg}\n`);
const secondsSince = (t: number) => (performance.now() - t) / 1000;

/**
 * Records when each workload is first seen bound, through an informer (so a dropped watch
 * resumes or relists instead of silently missing binds).
 */
async function watchBound(client: KubeClient, resource: ResourceDescriptor, boundAt: Map<string, number>): Promise<() => Promise<void>> {
  const informer = new Informer<Pod>({ client, resource, namespace: NS });
  const seen = (obj: Pod) => {
    const key = `${resource.kind}/${obj.metadata?.name}`;
    if (obj.spec?.nodeName && !boundAt.has(key)) boundAt.set(key, performance.now());
  };
  informer.addEventHandler({ onAdd: seen, onUpdate: (_old, obj) => seen(obj) });
  informer.start();
  await informer.waitForSync();
  return () => informer.stop();
}

async function waitForBound(boundAt: Map<string, number>, keys: string[], scheduler: SchedulerProcess, admin: KubeClient): Promise<void> {
  const deadline = Date.now() + 300_000;
  const missing = () => keys.filter((k) => !boundAt.has(k));
  while (missing().length > 0) {
    if (Date.now() > deadline) {
      const stuck = await Promise.all(
        missing().slice(0, 5).map(async (key) => {
          const [kind, name] = key.split('/');
          const obj = await admin.get<Pod>(kind === 'Pod' ? R.Pod : R.VirtualMachineInstance, name, { namespace: NS }).catch((e) => ({ error: String(e) }));
          return JSON.stringify(obj).slice(0, 600);
        }),
      );
      const pending = (await scheduler.metrics().catch(() => '')).split('\n').filter((l) => l.startsWith('scheduler_pending_pods{') || l.startsWith('scheduler_schedule_attempts_total{'));
      throw new Error(`${missing().length}/${keys.length} still unbound after 5 minutes\n${stuck.join('\n')}\n${pending.join('\n')}\n${scheduler.output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Workload jobs in creation order: VMIs spread evenly among the pods. */
function workloadJobs(client: KubeClient, pods: number, vmis: number, offset: number, createdAt: Map<string, number>): { keys: string[]; jobs: Array<() => Promise<unknown>> } {
  const keys: string[] = [];
  const jobs: Array<() => Promise<unknown>> = [];
  const every = Math.max(1, Math.floor((pods + vmis) / Math.max(1, vmis)));
  for (let i = 0, p = 0, v = 0; p < pods || v < vmis; i++) {
    const asVmi = v < vmis && (i % every === every - 1 || p >= pods);
    const [resource, obj, key] = asVmi
      ? [R.VirtualMachineInstance, vmi(offset + v), `VirtualMachineInstance/vmi-${offset + v++}`]
      : [R.Pod, pod(offset + p), `Pod/pod-${offset + p++}`];
    keys.push(key);
    jobs.push(async () => {
      createdAt.set(key, performance.now());
      await client.create(resource, obj);
    });
  }
  return { keys, jobs };
}

async function audit(admin: KubeClient): Promise<{ overcommitted: number; misplaced: number }> {
  const [nodes, pods, vmis] = await Promise.all([admin.listAll<Node>(R.Node), admin.listAll<Pod>(R.Pod, { namespace: NS }), admin.listAll<VirtualMachineInstance>(R.VirtualMachineInstance, { namespace: NS })]);
  const used = new Map<string, { milliCpu: number; memory: number; pods: number }>();
  for (const w of [...pods.items.map(workloadFromPod), ...vmis.items.map((x) => workloadFromVmi(x, DEFAULT_CONFIG.vmOverhead))]) {
    if (!w.nodeName) continue;
    const u = used.get(w.nodeName) ?? { milliCpu: 0, memory: 0, pods: 0 };
    u.milliCpu += w.requests.milliCpu;
    u.memory += w.requests.memory;
    u.pods += 1;
    used.set(w.nodeName, u);
  }
  const byName = new Map(nodes.items.map((n) => [n.metadata.name!, n]));
  let overcommitted = 0;
  let misplaced = 0;
  for (const [name, u] of used) {
    const n = byName.get(name);
    const a = parseResourceList(n?.status?.allocatable);
    if (u.milliCpu > a.milliCpu || u.memory > a.memory || u.pods > a.pods) overcommitted++;
    if (!n || n.spec?.unschedulable || n.spec?.taints?.length) misplaced++;
  }
  return { overcommitted, misplaced };
}

async function main(): Promise<void> {
  log(`scheduler bench: ${NODES} nodes, ${PODS} pods + ${VMIS} VMIs (+${BACKLOG} backlog pods), ${cpus().length} cores`);
  const nodes = Array.from({ length: NODES }, (_, i) => hollowNode(i));

  // 0. The scheduler alone, in this process: real queue, cache, plugins; binds that succeed at once.
  const ceiling = await measureInProcess(nodes, Array.from({ length: PODS }, (_, i) => pod(i)), Array.from({ length: VMIS }, (_, i) => vmi(i)));
  log(`in-process scheduling ceiling: ${ceiling.decisionsPerS.toFixed(0)} decisions+assumes/s at ${NODES} nodes (no API in the loop)`);

  const etcd = await startEtcd();
  const api = await startApiServer({ etcdEndpoint: etcd.endpoint, env: { LOG_LEVEL: 'error' }, workers: WORKERS });
  const admin = new KubeClient({ server: api.url, token: api.tokens.admin, maxConcurrentRequests: 128 });
  let scheduler: SchedulerProcess | undefined;
  const stops: Array<() => Promise<void>> = [];
  try {
    await admin.create(R.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    let t = performance.now();
    await runLimited(nodes.flatMap((n) => [() => admin.create(R.Node, n), () => admin.create(R.Lease, lease(n.metadata!.name!))]), 64);
    log(`registered ${NODES} hollow nodes with leases in ${secondsSince(t).toFixed(1)} s`);

    // 1. The yardstick, in the same run and on the same etcd.
    t = performance.now();
    const etcdTxnPerS = await measureEtcdTxnRate(etcd.endpoint);
    log(`raw etcd single-key txn: ${etcdTxnPerS.toFixed(0)}/s (64 in flight, ${secondsSince(t).toFixed(1)} s)`);

    // 2. End to end: create everything as fast as the API takes it while the scheduler binds.
    scheduler = await startSchedulerProcess({ kubeconfig: api.kubeconfigPath('scheduler'), config: SCHEDULER_CONFIG, env: process.env.BENCH_PROFILE_DIR ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}` } : undefined });
    const boundAt = new Map<string, number>();
    stops.push(await watchBound(admin, R.Pod, boundAt), await watchBound(admin, R.VirtualMachineInstance, boundAt));
    const createdAt = new Map<string, number>();
    const { keys, jobs } = workloadJobs(admin, PODS, VMIS, 0, createdAt);
    const cpu = cpuMeter({ etcd: etcd.process.child.pid!, apiserver: api.pid, scheduler: scheduler.child.pid!, bench: process.pid }, ['apiserver']);
    const apiBefore = await sampleApi(api.url, api.tokens.admin);
    const firstCreate = performance.now();
    await runLimited(jobs, CREATE_IN_FLIGHT);
    const createSeconds = secondsSince(firstCreate);
    log(`created ${keys.length} workloads in ${createSeconds.toFixed(1)} s (${(keys.length / createSeconds).toFixed(0)}/s)`);
    await waitForBound(boundAt, keys, scheduler, admin);
    const cpuUsed = cpu();
    const apiMeans = meanMs(apiBefore, await sampleApi(api.url, api.tokens.admin));
    const times = keys.map((k) => boundAt.get(k)!);
    const lastBound = Math.max(...times);
    const seconds = (lastBound - firstCreate) / 1000;
    const boundPerS = keys.length / seconds;
    const latencies = keys.map((k) => boundAt.get(k)! - createdAt.get(k)!);
    const p50 = quantile(latencies, 0.5);
    const p99 = quantile(latencies, 0.99);
    const ratio = boundPerS / etcdTxnPerS;
    const attempts = (await scheduler.metrics()).split('\n').filter((l) => l.startsWith('scheduler_schedule_attempts_total{')).join('; ');
    log(`bound ${keys.length} workloads ${seconds.toFixed(2)} s after the first create: ${boundPerS.toFixed(0)}/s`);
    log(`create→bound latency: p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms (${CREATE_IN_FLIGHT} creates in flight)`);
    log(`raw etcd txn rate ${etcdTxnPerS.toFixed(0)}/s; ratio bound/txn ${ratio.toFixed(2)} (each workload is 2 API writes: create + bind)`);
    log(`limit (raw etcd txn rate / 2 writes per workload): ${(etcdTxnPerS / 2).toFixed(0)}/s; bound/limit ${(boundPerS / (etcdTxnPerS / 2)).toFixed(2)}`);
    log(`CPU seconds in this phase: ${JSON.stringify(cpuUsed)}`);
    // What this machine allows: every core busy for the whole phase at the CPU each workload
    // cost here (etcd, API server, scheduler and this process's creates and watches together).
    const cpuPerWorkload = Object.values(cpuUsed).reduce((a, b) => a + b, 0) / keys.length;
    const cpuBoundPerS = cpus().length / cpuPerWorkload;
    log(`CPU per workload, all processes: ${(cpuPerWorkload * 1000).toFixed(2)} ms → at most ${cpuBoundPerS.toFixed(0)}/s on ${cpus().length} cores (${(cpuBoundPerS / (etcdTxnPerS / 2)).toFixed(2)} of the limit); bound/that ${(boundPerS / cpuBoundPerS).toFixed(2)}`);
    log(`API server mean ms per request (its own metrics): ${JSON.stringify(apiMeans)}`);
    log(`scheduler: ${attempts}`);

    // 3. Backlog: workloads created while no scheduler runs, then one starts — bind throughput alone.
    await scheduler.stop();
    const backlog = workloadJobs(admin, BACKLOG, 0, PODS, createdAt);
    await runLimited(backlog.jobs, CREATE_IN_FLIGHT);
    scheduler = await startSchedulerProcess({ kubeconfig: api.kubeconfigPath('scheduler'), config: SCHEDULER_CONFIG });
    const backlogCpu = cpuMeter({ etcd: etcd.process.child.pid!, apiserver: api.pid, scheduler: scheduler.child.pid!, bench: process.pid }, ['apiserver']);
    const backlogApiBefore = await sampleApi(api.url, api.tokens.admin);
    await waitForBound(boundAt, backlog.keys, scheduler, admin);
    const backlogApi = meanMs(backlogApiBefore, await sampleApi(api.url, api.tokens.admin));
    const backlogTimes = backlog.keys.map((k) => boundAt.get(k)!);
    const backlogSeconds = (Math.max(...backlogTimes) - Math.min(...backlogTimes)) / 1000;
    const backlogPerS = BACKLOG / backlogSeconds;
    log(`backlog: ${BACKLOG} pods bound in ${backlogSeconds.toFixed(2)} s (first to last bind): ${backlogPerS.toFixed(0)}/s; CPU ${JSON.stringify(backlogCpu())}; API ms ${JSON.stringify(backlogApi)}`);

    for (const stop of stops.splice(0)) await stop();
    const { overcommitted, misplaced } = await audit(admin);
    log(`over-committed nodes: ${overcommitted}; nodes that are cordoned or tainted yet got workloads: ${misplaced}`);
    const result = {
      bench: 'scheduler',
      bound_per_s: Math.round(boundPerS),
      p50_ms: Math.round(p50),
      p99_ms: Math.round(p99),
      etcd_txn_per_s: Math.round(etcdTxnPerS),
      ratio: Math.round(ratio * 100) / 100,
      limit_per_s: Math.round(etcdTxnPerS / 2),
      fraction_of_limit: Math.round((boundPerS / (etcdTxnPerS / 2)) * 100) / 100,
      // cores ÷ CPU-seconds per workload of all processes: the rate this machine's CPU allows at these costs.
      cpu_bound_per_s: Math.round(cpuBoundPerS),
      cpu_bound_fraction_of_limit: Math.round((cpuBoundPerS / (etcdTxnPerS / 2)) * 100) / 100,
      cpu_ms_per_workload: Object.fromEntries(Object.entries(cpuUsed).map(([k, v]) => [k, Math.round((v * 1e6) / keys.length) / 1000])),
      nodes: NODES,
      workloads: keys.length,
      overcommitted_nodes: overcommitted,
      misplaced_nodes: misplaced,
      create_per_s: Math.round(keys.length / createSeconds),
      backlog_bound_per_s: Math.round(backlogPerS),
      in_process_decisions_per_s: Math.round(ceiling.decisionsPerS),
      cpu_seconds: cpuUsed,
      api_mean_ms: apiMeans,
      create_in_flight: CREATE_IN_FLIGHT,
      apiserver_workers: WORKERS,
      cores: cpus().length,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    for (const stop of stops) await stop();
    await scheduler?.stop();
    await admin.destroy();
    await api.stop();
    await etcd.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    log(`bench failed: ${(error as Error)?.stack ?? error}`);
    process.exit(1);
  },
);
