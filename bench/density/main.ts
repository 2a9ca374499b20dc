// Density benchmark on a real one-node cluster: N busybox `sleep` pods through a Deployment.
// Measures how fast they all run, what the node agent costs while they idle, how it adopts
// them after a kill -9, and how long the node takes to terminate them all. Last line: JSON.
//   node -r @swc-node/register bench/density/main.ts [--pods 110] [--grace 5] [--idle 20] [--log-dir D] [--profile-dir D]
// It also prints start and stop timelines: when 10/50/90/100 % of the pods were first seen to
// exist and Running (start), marked for deletion and gone (stop), from its own 200 ms polls.
// --log-dir keeps every component's full log (D/<component>.log, info level); --profile-dir runs
// the components with `--cpu-prof` (a profile per process, written when it exits normally).
import { parseArgs } from 'node:util';
import { appendFileSync, mkdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { startCluster, tlsDispatcher, RunningCluster } from '@coxswain/harness';
import { memoryMb, nodeFloorMb, round, rssMb } from '../lib/stats';
import { agentStartTotals, meanSeconds } from '../lib/agent-metrics';

const { values: flags } = parseArgs({
  options: {
    pods: { type: 'string', default: process.env.BENCH_PODS ?? '110' },
    grace: { type: 'string', default: '5' },
    idle: { type: 'string', default: '20' },
    'log-dir': { type: 'string' },
    'profile-dir': { type: 'string' },
    'max-parallel-starts': { type: 'string' },
  },
});
const N = Number(flags.pods);
const GRACE_S = Number(flags.grace);
const IDLE_S = Number(flags.idle);
const NS = 'default';
const DEPLOY = `/apis/apps/v1/namespaces/${NS}/deployments`;
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(cluster: RunningCluster, method: string, path: string, body?: unknown): Promise<Obj> {
  const res = await request(`${cluster.api.url}${path}`, {
    method: method as 'GET',
    headers: { authorization: `Bearer ${cluster.api.tokens.admin}`, 'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: tlsDispatcher(cluster.api.ca!),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
  return JSON.parse(text) as Obj;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns true, sampling the agent's RSS in between; returns seconds. */
async function until(probe: () => Promise<boolean>, timeoutS: number, what: string, onTick?: () => Promise<void>): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await probe().catch(() => false)) return (performance.now() - start) / 1000;
    if (onTick) await onTick().catch(() => undefined);
    if (performance.now() - start > timeoutS * 1000) throw new Error(`timed out after ${timeoutS} s waiting for ${what}`);
    await sleep(200);
  }
}

/**
 * When each pod was first seen in some state, from the bench's own 200 ms polls: where a burst's
 * time goes (pods created by the controller vs. started by the node), at 10/50/90/100 %.
 */
class Timeline {
  private readonly first = new Map<string, Map<string, number>>();
  constructor(private readonly start: number) {}
  see(stage: string, uids: string[]): void {
    const seen = this.first.get(stage) ?? new Map<string, number>();
    this.first.set(stage, seen);
    const at = (performance.now() - this.start) / 1000;
    for (const uid of uids) if (!seen.has(uid)) seen.set(uid, at);
  }
  /** `stage p10/p50/p90/p100` in seconds; `of` pods in all. */
  line(of: number): string {
    return [...this.first].map(([stage, seen]) => {
      const times = [...seen.values()].sort((a, b) => a - b);
      const at = (q: number) => (times.length >= Math.ceil(q * of) ? round(times[Math.max(0, Math.ceil(q * of) - 1)]) : '-');
      return `${stage} ${[0.1, 0.5, 0.9, 1].map(at).join('/')}`;
    }).join('; ');
  }
}

/** Mean PSS of this node's container shims (the one process a running container keeps), in kB. */
async function shimPssKb(nodeRoot: string): Promise<number | undefined> {
  const pids = (await readdir('/proc')).filter((d) => /^\d+$/.test(d));
  const kb: number[] = [];
  for (const pid of pids) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.includes('coxshim') || !cmdline.includes(nodeRoot)) continue;
    const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
    const pss = /^Pss:\s+(\d+)/m.exec(rollup)?.[1];
    if (pss !== undefined) kb.push(Number(pss));
  }
  return kb.length ? round(kb.reduce((a, b) => a + b, 0) / kb.length, 1) : undefined;
}

async function podsOf(cluster: RunningCluster): Promise<Obj[]> {
  return (await call(cluster, 'GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Ddensity`)).items as Obj[];
}

const running = (p: Obj) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp;
const restarts = (p: Obj) => ((p.status?.containerStatuses ?? []) as Obj[]).reduce((sum, c) => sum + Number(c.restartCount ?? 0), 0);

/** utime + stime of a process, in clock ticks (USER_HZ = 100 on Linux). */
async function cpuTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function readyz(address: string): Promise<boolean> {
  const res = await request(`http://${address}:10255/readyz`, { headersTimeout: 2000, bodyTimeout: 2000 });
  await res.body.text();
  return res.statusCode === 200;
}

/** The agent's V8 heap in use, from its own metrics (prom-client's nodejs_heap_size_used_bytes). */
async function heapUsedMb(address: string): Promise<number | undefined> {
  const res = await request(`http://${address}:10255/metrics`, { headersTimeout: 5000, bodyTimeout: 5000 });
  const text = await res.body.text();
  const bytes = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1];
  return bytes === undefined ? undefined : round(Number(bytes) / 1024 / 1024, 1);
}

async function main(): Promise<void> {
  const logDir = flags['log-dir'];
  if (logDir) mkdirSync(logDir, { recursive: true });
  if (flags['profile-dir']) process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${flags['profile-dir']}`.trim();
  const cluster = await startCluster({
    nodes: 1,
    vms: false,
    agentArgs: [
      '--max-pods', String(Math.max(110, N + 10)),
      // The harness gives each node a /24 (254 addresses); more pods need a wider pod CIDR (the
      // node's network namespace is its own, so this one cannot clash with other clusters').
      ...(N > 250 ? ['--pod-cidr', `10.252.0.0/${32 - Math.ceil(Math.log2(N + 12))}`] : []),
      ...(flags['max-parallel-starts'] ? ['--max-parallel-pod-starts', flags['max-parallel-starts']] : []),
    ],
    ...(logDir ? { logLevel: 'info', onLog: (component: string, line: string) => appendFileSync(join(logDir, `${component}.log`), line) } : {}),
  });
  try {
    const node = cluster.nodes[0];
    const agentPid = () => node.process()!.child.pid!;
    // Warm the image cache once, as a node that has run a pod before would be.
    await call(cluster, 'POST', `/api/v1/namespaces/${NS}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'warm' }, spec: { nodeName: node.name, terminationGracePeriodSeconds: 0, containers: [{ name: 'a', image: 'busybox', command: ['sleep', '3600'] }] } });
    await until(async () => running(await call(cluster, 'GET', `/api/v1/namespaces/${NS}/pods/warm`)), 300, 'warm pod').catch(async (error) => {
      const pod = await call(cluster, 'GET', `/api/v1/namespaces/${NS}/pods/warm`).catch(() => undefined);
      throw new Error(`${error}: ${JSON.stringify(pod?.status)}\n${node.process()?.output().slice(-3000)}`);
    });
    await call(cluster, 'DELETE', `/api/v1/namespaces/${NS}/pods/warm`);
    await until(async () => (await call(cluster, 'GET', `/api/v1/namespaces/${NS}/pods/warm`).then(() => false, () => true)), 60, 'warm pod gone');
    await sleep(2000);
    const rssBefore = await rssMb(agentPid());

    let peak = rssBefore;
    const samplePeak = async () => {
      peak = Math.max(peak, await rssMb(agentPid()));
    };
    const start = performance.now();
    await call(cluster, 'POST', DEPLOY, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'density' },
      spec: {
        replicas: N,
        selector: { matchLabels: { app: 'density' } },
        template: {
          metadata: { labels: { app: 'density' } },
          // One node: the template binds to it (nodeName is legal there), so the figures measure
          // the node and not whether a scheduler is up in this tree.
          spec: { nodeName: node.name, terminationGracePeriodSeconds: GRACE_S, containers: [{ name: 'sleep', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sleep', '100000'], resources: { requests: { cpu: '1m', memory: '1Mi' } } }] },
        },
      },
    });
    // A generous bound: on two cores at load 40 one pod start takes seconds.
    const startLine = new Timeline(start);
    const allRunningS = await until(async () => {
      const pods = await podsOf(cluster);
      startLine.see('exist', pods.map((p) => p.metadata.uid));
      startLine.see('Running', pods.filter(running).map((p) => p.metadata.uid));
      return pods.filter(running).length >= N;
    }, 120 + N * 6, `${N} pods Running`, samplePeak).catch(async (error) => {
      const pods = await podsOf(cluster).catch(() => []);
      const phases: Record<string, number> = {};
      for (const p of pods) phases[p.status?.phase ?? 'none'] = (phases[p.status?.phase ?? 'none'] ?? 0) + 1;
      const odd = pods.filter((p) => !running(p)).slice(0, 10).map((p) => `${p.metadata.name} ${p.status?.phase} ${JSON.stringify(p.status?.containerStatuses?.[0]?.state ?? p.status?.conditions ?? {})}`);
      throw new Error(`${error}; ${pods.length} pods ${JSON.stringify(phases)}:\n${odd.join('\n')}\n${node.process()?.output().slice(-3000)}`);
    });
    console.log(`${N} pods Running in ${round(allRunningS)} s (${round((performance.now() - start) / 1000)} s incl. create)`);
    console.log(`start timeline (s after the Deployment, 10/50/90/100 % of pods): ${startLine.line(N)}`);
    const breakdown = await agentStartTotals(node.host.address).then((totals) => meanSeconds(totals), () => ({}));
    console.log(`start breakdown (mean seconds per pod, with ${flags['max-parallel-starts'] ?? 'default'} parallel starts): ${JSON.stringify(breakdown)}`);

    // Idle: let start-up work settle, then CPU over IDLE_S seconds.
    for (let i = 0; i < 10; i++) {
      await samplePeak();
      await sleep(1000);
    }
    const t0 = await cpuTicks(agentPid());
    const w0 = performance.now();
    await sleep(IDLE_S * 1000);
    const cpuPct = ((await cpuTicks(agentPid())) - t0) / 100 / ((performance.now() - w0) / 1000) * 100;
    const rssIdle = await rssMb(agentPid());
    const memIdle = await memoryMb(agentPid());
    const heapIdle = await heapUsedMb(node.host.address).catch(() => undefined);
    const shimPss = await shimPssKb(node.root);
    await samplePeak();
    console.log(`agent idle: PSS ${memIdle.pss} MB, anonymous ${memIdle.anon} MB, V8 heap used ${heapIdle} MB; each container shim PSS ${shimPss} kB`);
    console.log(`agent: RSS ${rssBefore} MB before, ${rssIdle} MB idle with ${N} pods, peak ${peak} MB; CPU ${round(cpuPct)} % of a core over ${IDLE_S} s idle`);
    const floor = await nodeFloorMb();
    console.log(`a Node process on this machine: RSS ${floor.bare} MB idle (${floor.bareAnon} MB anonymous), ${floor.tls} MB with https, http2 and a TLS context loaded (${floor.tlsAnon} MB anonymous)`);

    // Adoption after kill -9.
    const before = await podsOf(cluster);
    const uidsBefore = new Set(before.map((p) => p.metadata.uid as string));
    // Restarts before the agent goes are the burst's (they must be 0 too, and are reported);
    // adoption must add none.
    const restartsBefore = new Map(before.map((p) => [p.metadata.uid as string, restarts(p)]));
    const burstRestarts = [...restartsBefore.values()].reduce((a, b) => a + b, 0);
    // Profiling needs the first agent to exit normally (a kill -9 loses its profile): stop it then.
    if (flags['profile-dir']) await node.stop();
    else await node.kill9();
    const adoptStart = performance.now();
    await node.start();
    let adoptPeak = 0;
    const sampleAdopt = async () => {
      adoptPeak = Math.max(adoptPeak, await rssMb(agentPid()));
    };
    await until(() => readyz(node.host.address), 120, 'agent /readyz', sampleAdopt);
    await until(
      async () => {
        const pods = await podsOf(cluster);
        return pods.length === N && pods.every((p) => running(p) && restarts(p) === restartsBefore.get(p.metadata.uid) && uidsBefore.has(p.metadata.uid));
      },
      120 + N / 2,
      'all pods Running after adoption with no restart',
      sampleAdopt,
    ).catch(async (error) => {
      const pods = await podsOf(cluster).catch(() => []);
      const odd = pods.filter((p) => !(running(p) && restarts(p) === restartsBefore.get(p.metadata.uid) && uidsBefore.has(p.metadata.uid)));
      const lines = odd.slice(0, 10).map((p) => `${p.metadata.name} ${p.status?.phase} restarts=${restarts(p)} known=${uidsBefore.has(p.metadata.uid)} ${JSON.stringify(p.status?.containerStatuses?.[0]?.state ?? {})}`);
      throw new Error(`${error}; ${pods.length} pods, ${odd.length} not adopted:\n${lines.join('\n')}\n${node.process()?.output().slice(-3000)}`);
    });
    const adoptS = (performance.now() - adoptStart) / 1000;
    await sampleAdopt();
    const after = await podsOf(cluster);
    console.log(`adoption${flags['profile-dir'] ? ' (after a graceful stop, to keep the profile)' : ''}: ${round(adoptS)} s to /readyz and ${after.length} pods Running with no new restart, peak RSS ${adoptPeak} MB`);

    // Stop: delete the Deployment's pods at once; the agent terminates them (sleep ignores SIGTERM).
    const stopStart = performance.now();
    const stopTicks = await cpuTicks(agentPid());
    const stopLine = new Timeline(stopStart);
    const all = (await podsOf(cluster)).map((p) => p.metadata.uid as string);
    await call(cluster, 'PATCH', `${DEPLOY}/density`, { spec: { replicas: 0 } });
    await until(async () => {
      const pods = await podsOf(cluster);
      const left = new Set(pods.map((p) => p.metadata.uid as string));
      stopLine.see('deleting', pods.filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.uid));
      stopLine.see('gone', all.filter((uid) => !left.has(uid)));
      return pods.length === 0;
    }, 120 + N * 2 + GRACE_S * 4, 'all pods gone').catch(async (error) => {
      const left = await podsOf(cluster).catch(() => []);
      const states = left.map((p) => `${p.metadata.name} ${p.status?.phase} deleting=${Boolean(p.metadata.deletionTimestamp)} ${JSON.stringify(p.status?.containerStatuses?.[0]?.state ?? {})}`);
      throw new Error(`${error}; ${left.length} left:\n${states.slice(0, 10).join('\n')}\n${node.process()?.output().slice(-3000)}`);
    });
    const stopS = (performance.now() - stopStart) / 1000;
    // Less noisy than stop_s on a shared 2-core machine: what the agent itself spent on it.
    const stopCpuS = ((await cpuTicks(agentPid())) - stopTicks) / 100;
    console.log(`stop: ${N} pods with grace ${GRACE_S} s gone in ${round(stopS)} s; the agent spent ${round(stopCpuS)} CPU-s on it`);
    console.log(`stop timeline (s after scaling to 0, 10/50/90/100 % of pods): ${stopLine.line(N)}`);
    console.log(JSON.stringify({
      pods: N,
      all_running_s: round(allRunningS),
      pods_per_s: round(N / allRunningS),
      burst_restarts: burstRestarts,
      ...breakdown,
      agent_rss_mb_before: rssBefore,
      agent_rss_mb_idle: rssIdle,
      agent_rss_mb_peak: peak,
      agent_pss_mb_idle: memIdle.pss,
      agent_anon_mb_idle: memIdle.anon,
      agent_heap_mb_idle: heapIdle,
      node_floor_rss_mb: floor.bare,
      node_tls_floor_rss_mb: floor.tls,
      shim_pss_kb_per_pod: shimPss,
      agent_cpu_pct_steady: round(cpuPct),
      adopt_s: round(adoptS),
      adopt_rss_mb: adoptPeak,
      stop_s: round(stopS),
      agent_cpu_s_stop: round(stopCpuS),
      grace_s: GRACE_S,
      loadavg: (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' '),
    }));
  } finally {
    await cluster.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
