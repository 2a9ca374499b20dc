// `npm run bench -- controllers`: a real etcd, API server, scheduler process and
// controller-manager process (job and replicaset controllers), hollow nodes (Node objects
// with fresh Leases, no agents) and a hollow kubelet in this process that finishes each bound
// Job pod with exit code 0. First the yardstick: one ReplicaSet of BENCH_RS_PODS replicas,
// timed from its create to the last of its pods created by the ReplicaSet controller. Then
// BENCH_JOBS one-pod Jobs created as fast as the API takes them, timed from the first create
// to the last Complete condition. Prints Jobs completed per second, the ReplicaSet
// controller's pods created per second and their ratio. Last line: JSON.
import { join } from 'node:path';
import { cpus } from 'node:os';
import { findCondition, Job, Pod, ReplicaSet } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, Informer, KubeClient } from '@coxswain/client';
import { freePort, REPO_ROOT, spawnManaged, startApiServer, startEtcd } from '@coxswain/harness';
import { startSchedulerProcess } from '../../apps/scheduler/src/testing/scheduler-process';
import { cpuMeter } from '../scheduler/cpu';
import { quantile, runLimited } from '../scheduler/stats';
import { hollowNode, lease } from '../scheduler/workloads';

const NODES = Number(process.env.BENCH_NODES ?? 100);
const JOBS = Number(process.env.BENCH_JOBS ?? 1000);
const RS_PODS = Number(process.env.BENCH_RS_PODS ?? 1000);
const CREATE_IN_FLIGHT = Number(process.env.BENCH_CREATE_IN_FLIGHT ?? 16);
const KUBELET_IN_FLIGHT = Number(process.env.BENCH_KUBELET_IN_FLIGHT ?? 16);
const TIMEOUT_MS = 600_000;
const JOB_RESOURCE = { group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true };
const RS_NS = 'bench-rs';
const JOB_NS = 'bench-jobs';

const log = (msg: string) => process.stderr.write(`${msg}\n`);
const seconds = (ms: number) => ms / 1000;

const container = { name: 'main', image: 'busybox', resources: { requests: { cpu: '10m', memory: '16Mi' } } };

function job(i: number): Job {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: `job-${i}`, namespace: JOB_NS }, spec: { completions: 1, parallelism: 1, backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [container] } } } } as Job;
}

function replicaSet(replicas: number): ReplicaSet {
  const labels = { app: 'yardstick' };
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'yardstick', namespace: RS_NS }, spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container] } } } } as ReplicaSet;
}

/** Plays every node's agent for Job pods: a bound pod runs and exits 0 at once. */
function hollowKubelet(client: KubeClient): { informer: Informer<Pod>; finished: () => number } {
  const informer = new Informer<Pod>({ client, resource: R.Pod, namespace: JOB_NS });
  const done = new Set<string>();
  const pending: Pod[] = [];
  let inFlight = 0;
  const pump = () => {
    while (inFlight < KUBELET_IN_FLIGHT && pending.length) {
      const pod = pending.shift()!;
      inFlight++;
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const terminated = { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now };
      void client
        .patch(R.Pod, pod.metadata.name!, { status: { phase: 'Succeeded', containerStatuses: [{ name: 'main', image: 'busybox', ready: false, restartCount: 0, state: { terminated } }] } }, { namespace: JOB_NS, subresource: 'status' })
        .catch((error: unknown) => log(`kubelet: ${pod.metadata.name}: ${String(error)}`))
        .finally(() => {
          inFlight--;
          pump();
        });
    }
  };
  const seen = (pod: Pod) => {
    if (!pod.spec?.nodeName || done.has(pod.metadata.uid!) || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    done.add(pod.metadata.uid!);
    pending.push(pod);
    pump();
  };
  informer.addEventHandler({ onAdd: seen, onUpdate: (_old, pod) => seen(pod) });
  return { informer, finished: () => done.size };
}

async function until(what: string, check: () => boolean, detail: () => string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${detail()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main(): Promise<void> {
  log(`controllers bench: ${NODES} hollow nodes, a ReplicaSet of ${RS_PODS}, ${JOBS} one-pod Jobs, ${cpus().length} cores`);
  const etcd = await startEtcd();
  const api = await startApiServer({ etcdEndpoint: etcd.endpoint, env: { LOG_LEVEL: 'error' } });
  const admin = new KubeClient({ server: api.url, token: api.tokens.admin, maxConcurrentRequests: 128 });
  const stops: Array<() => Promise<unknown>> = [];
  try {
    for (const name of [RS_NS, JOB_NS]) await admin.create(R.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    const nodes = Array.from({ length: NODES }, (_, i) => hollowNode(i));
    await runLimited(nodes.flatMap((n) => [() => admin.create(R.Node, n), () => admin.create(R.Lease, lease(n.metadata!.name!))]), 32);
    const scheduler = await startSchedulerProcess({ kubeconfig: api.kubeconfigPath('scheduler'), config: { events: { scheduled: false } } });
    stops.push(() => scheduler.stop());
    const port = await freePort();
    const manager = spawnManaged(process.execPath, ['-r', '@swc-node/register', join(REPO_ROOT, 'apps/controller-manager/src/main.ts'), '--kubeconfig', api.kubeconfigPath('controller'), '--metrics-port', String(port), '--leader-elect=false', '--controllers', 'replicaset,job'], {
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: 'error' },
    });
    stops.push(() => manager.stop(5000));
    let ready = false;
    for (const deadline = Date.now() + 60_000; !ready && Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      ready = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
    }
    if (!ready) throw new Error(`controller-manager not healthy:\n${manager.output()}`);

    // 1. The yardstick: pods created per second by the ReplicaSet controller.
    const rsPods = new Informer<Pod>({ client: admin, resource: R.Pod, namespace: RS_NS });
    const createdAt: number[] = [];
    rsPods.addEventHandler({ onAdd: () => createdAt.push(performance.now()) });
    rsPods.start();
    await rsPods.waitForSync();
    stops.push(() => rsPods.stop());
    const rsStart = performance.now();
    await admin.create(R.ReplicaSet, replicaSet(RS_PODS));
    await until(`${RS_PODS} ReplicaSet pods`, () => createdAt.length >= RS_PODS, () => `${createdAt.length} created`);
    const rsSeconds = seconds(Math.max(...createdAt) - rsStart);
    const rsPodsPerS = RS_PODS / rsSeconds;
    log(`ReplicaSet controller: ${RS_PODS} pods created in ${rsSeconds.toFixed(2)} s: ${rsPodsPerS.toFixed(0)} pods/s`);
    await rsPods.stop();
    // Its pods stop weighing on the scheduler and the caches before the Jobs run.
    await admin.patch(R.ReplicaSet, 'yardstick', { spec: { replicas: 0 } }, { namespace: RS_NS });

    // 2. Jobs: create → scheduled → run (hollow kubelet) → counted → Complete.
    const kubelet = hollowKubelet(admin);
    kubelet.informer.start();
    await kubelet.informer.waitForSync();
    stops.push(() => kubelet.informer.stop());
    const jobs = new Informer<Job>({ client: admin, resource: JOB_RESOURCE, namespace: JOB_NS });
    const completeAt = new Map<string, number>();
    const seen = (j: Job) => {
      if (!completeAt.has(j.metadata.name!) && findCondition(j.status?.conditions, 'Complete')?.status === 'True') completeAt.set(j.metadata.name!, performance.now());
    };
    jobs.addEventHandler({ onAdd: seen, onUpdate: (_old, j) => seen(j) });
    jobs.start();
    await jobs.waitForSync();
    stops.push(() => jobs.stop());
    const jobCreatedAt = new Map<string, number>();
    const cpu = cpuMeter({ etcd: etcd.process.child.pid!, apiserver: api.pid, scheduler: scheduler.child.pid!, 'controller-manager': manager.child.pid!, bench: process.pid });
    const firstCreate = performance.now();
    await runLimited(
      Array.from({ length: JOBS }, (_, i) => async () => {
        jobCreatedAt.set(`job-${i}`, performance.now());
        await admin.create(JOB_RESOURCE, job(i));
      }),
      CREATE_IN_FLIGHT,
    );
    log(`created ${JOBS} Jobs in ${seconds(performance.now() - firstCreate).toFixed(1)} s`);
    const progress = setInterval(() => log(`  ${completeAt.size}/${JOBS} Jobs complete, ${kubelet.finished()} pods finished by the hollow kubelet, ${seconds(performance.now() - firstCreate).toFixed(0)} s`), 30_000);
    await until(`${JOBS} Jobs complete`, () => completeAt.size >= JOBS, () => `${completeAt.size} complete, ${kubelet.finished()} pods finished by the hollow kubelet`).catch(async (error: unknown) => {
      // What the stragglers look like, and what the components said.
      const stuck = [...jobCreatedAt.keys()].filter((name) => !completeAt.has(name)).slice(0, 5);
      for (const name of stuck) {
        const j = await admin.get<Job>(JOB_RESOURCE, name, { namespace: JOB_NS }).catch((e: unknown) => String(e));
        const pods = await admin.list<Pod>(R.Pod, { namespace: JOB_NS, labelSelector: `batch.kubernetes.io/job-name=${name}` }).then((l) => l.items.map((p) => ({ name: p.metadata.name, node: p.spec.nodeName, phase: p.status?.phase, finalizers: p.metadata.finalizers, deleting: p.metadata.deletionTimestamp })), (e: unknown) => String(e));
        log(`stuck ${name}: ${JSON.stringify(typeof j === 'string' ? j : j.status)} pods ${JSON.stringify(pods)}`);
      }
      log(`controller-manager output:\n${manager.output().slice(-4000)}\nscheduler output:\n${scheduler.output().slice(-4000)}`);
      throw error;
    }).finally(() => clearInterval(progress));
    const cpuUsed = cpu();
    const jobSeconds = seconds(Math.max(...completeAt.values()) - firstCreate);
    const jobsPerS = JOBS / jobSeconds;
    const latencies = [...completeAt].map(([name, at]) => at - jobCreatedAt.get(name)!);
    const p50 = quantile(latencies, 0.5);
    const p99 = quantile(latencies, 0.99);
    const ratio = jobsPerS / rsPodsPerS;
    log(`Jobs: ${JOBS} complete ${jobSeconds.toFixed(2)} s after the first create: ${jobsPerS.toFixed(1)} Jobs/s; create→Complete p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`);
    log(`ratio Jobs completed/s ÷ ReplicaSet pods created/s: ${ratio.toFixed(3)} (a Job is ~7 API writes: Job, pod, bind, pod status, Job status with the pod uncounted, finalizer removal, Job status Complete)`);
    log(`CPU seconds in the Job phase: ${JSON.stringify(cpuUsed)}`);
    const result = {
      bench: 'controllers',
      jobs_completed_per_s: Math.round(jobsPerS * 10) / 10,
      rs_pods_created_per_s: Math.round(rsPodsPerS),
      ratio: Math.round(ratio * 1000) / 1000,
      job_p50_ms: Math.round(p50),
      job_p99_ms: Math.round(p99),
      jobs: JOBS,
      rs_pods: RS_PODS,
      nodes: NODES,
      cpu_seconds: cpuUsed,
    };
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await admin.destroy();
    await api.stop();
    await etcd.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(String(error instanceof Error ? error.stack : error));
    process.exit(1);
  },
);
