// Chaos on the HA control plane (3 etcd members, 2 API servers, 2 schedulers, 2
// controller-managers, node agents — all supervised as `npm run up -- --ha` runs them). Each
// fault starts a new rolling update (an env change) of a 20-replica Deployment while a pool of
// 2 tiny VMs (a VirtualMachineInstanceReplicaSet) runs, then: kill -9 of an etcd member, an
// API server, the leader scheduler, the leader controller-manager and a node agent; a frozen
// node agent (SIGSTOP); a node whose link is cut. After each, the cluster converges: the
// rollout completes (20 Ready pods of the new template, one ReplicaSet), 2 Running VMIs, every
// node Ready, and on every node the runtime runs exactly the pods and VMs the API binds there
// (no stale container or QEMU left by a fault). Throughout: every acknowledged write is kept
// and none fails (the writer is our client, which retries like client-go plus named creates),
// no pod or VMI runs on two nodes at once, and no node is ever over-committed (sampled).
// Prints one JSON summary line: convergence time per fault, when killed components were back,
// node fault milestones.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cpuMillis, memoryBytes, Node, Pod, VirtualMachineInstance } from '@coxswain/api/browser';
import { BUILTIN_RESOURCES as R, KubeClient, Lease, LEASE_RESOURCE } from '@coxswain/client';
import { ClusterNode, RunningCluster, startCluster } from '@coxswain/harness';
import { boundWorkloads, requestedByNode } from '@coxswain/scheduling';
import { Obj, waitFor } from './support';

jest.setTimeout(240_000);

const exec = promisify(execFile);
const NS = 'default';
const LABELS = { app: 'chaos' };
const POOL_LABELS = { pool: 'chaos' };
const REPLICAS = 20;
const POOL = 2;
/**
 * Node faults are held only as long as it takes to see their effect, each bounded: a frozen
 * agent until the node controller marks the node NotReady (grace 10 s here, Kubernetes' is
 * 40 s; the agents renew their Lease every 2 s so load cannot fake it), a cut link until
 * the node's workloads are evicted (5 s after NotReady) so replacements run elsewhere and the
 * node must drop its stale ones when it comes back.
 */
const GRACE = ['--node-monitor-grace-period', '10s', '--pod-eviction-timeout', '5s'];
/**
 * Leader election as short as is safe here (Kubernetes' defaults are 15 s / 10 s / 2 s): a
 * killed leader's lease expires sooner, so the standby takes over sooner. Same election code.
 */
const LEADER_ELECTION = { leaseDurationSeconds: 6, renewDeadlineSeconds: 4, retryPeriodSeconds: 1 };
const NODE_FAULT_BOUND_MS = 45_000;

const elapsed = (since: number) => Math.round(performance.now() - since);

let cluster: RunningCluster;
let client: KubeClient;
const suiteStarted = performance.now();
const restarts = new Set<string>();
const summary: Record<string, Record<string, number>> = {};
/** ConfigMaps whose create was answered 201 (by whichever API server). */
const acknowledged = new Set<string>();
const failedWrites: string[] = [];
let writes: Promise<void> | undefined;
let writing = true;
/** Over-committed nodes and workloads running on two nodes, as sampled during the faults. */
const violations = new Set<string>();
let monitor: Promise<void> | undefined;
let samples = 0;
let round = 0;
let podCpu = '50m';

beforeAll(async () => {
  const schedulerConfig = join(mkdtempSync(join(tmpdir(), 'chaos-scheduler-')), 'config.json');
  writeFileSync(schedulerConfig, JSON.stringify({ leaderElection: LEADER_ELECTION }));
  cluster = await startCluster({
    nodes: 2,
    ha: true,
    supervise: true,
    controllerArgs: [
      ...GRACE,
      '--leader-elect-lease-duration', `${LEADER_ELECTION.leaseDurationSeconds}s`,
      '--leader-elect-renew-deadline', `${LEADER_ELECTION.renewDeadlineSeconds}s`,
      '--leader-elect-retry-period', `${LEADER_ELECTION.retryPeriodSeconds}s`,
    ],
    schedulerArgs: ['--config', schedulerConfig],
    agentArgs: ['--lease-interval-ms', '2000'],
    onLog: (component, line) => {
      if (line.includes('restarting in')) restarts.add(component);
    },
  });
  client = new KubeClient({ server: cluster.apis.map((a) => a.url).join(','), token: cluster.api.tokens.admin, ca: cluster.api.ca, qps: 200 });
  // Requests sized so that, with the surge and the VMs, one node is ~85% booked when the other
  // is gone (the cut link): a scheduler that double-books during a fault over-commits it.
  const nodes = (await client.list<Node>(R.Node)).items;
  const smallest = Math.min(...nodes.map((n) => cpuMillis(n.status?.allocatable?.cpu)));
  podCpu = `${Math.floor((smallest * 0.85 - POOL * 110) / (REPLICAS + 5))}m`;
  const created = performance.now();
  await client.create(R.Deployment, deployment() as never);
  await client.create(R.VirtualMachineInstanceReplicaSet, vmPool() as never);
  await converged();
  // The reference for the faults' figures: the same work (20 pods started) with no fault.
  summary['none (first rollout, VMs booting)'] = { convergedMs: elapsed(created) };
  writes = writer();
  monitor = watchInvariants();
}, 300_000);

afterAll(async () => {
  writing = false;
  await Promise.all([writes, monitor]);
  await client?.destroy();
  await cluster?.stop();
}, 120_000);

/** Keeps creating ConfigMaps through every fault; every failure is recorded. */
async function writer(): Promise<void> {
  for (let i = 0; writing; i++) {
    const name = `chaos-w-${i}`;
    try {
      await client.create(R.ConfigMap, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS }, data: { i: String(i) } });
      acknowledged.add(name);
    } catch (error) {
      failedWrites.push(`${name}: ${(error as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function deployment(): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'chaos', namespace: NS },
    spec: { replicas: REPLICAS, selector: { matchLabels: LABELS }, template: template() },
  };
}

/** The pod template of rollout `round`: an env change rolls every pod. */
function template(): Obj {
  return {
    metadata: { labels: LABELS },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'], env: [{ name: 'ROUND', value: String(round) }], resources: { requests: { cpu: podCpu, memory: '16Mi' } } }],
    },
  };
}

function vmPool(): Obj {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstanceReplicaSet',
    metadata: { name: 'chaos-pool', namespace: NS },
    spec: {
      replicas: POOL,
      selector: { matchLabels: POOL_LABELS },
      template: {
        metadata: { labels: POOL_LABELS },
        spec: {
          terminationGracePeriodSeconds: 2,
          domain: {
            cpu: { cores: 1 },
            resources: { requests: { memory: '128Mi' } },
            firmware: { kernelBoot: { container: { image: 'coxswain/tiny-vm:latest', kernelPath: '/boot/vmlinuz', initrdPath: '/boot/initrd.img' }, kernelArgs: 'console=ttyS0' } },
          },
        },
      },
    },
  };
}

const isReady = (o: Obj) => (o.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');

/** Pod uids with a running `app` container, and VMI uids with a live QEMU, on one node. */
async function runtimeOf(node: ClusterNode): Promise<{ pods: Set<string>; vms: Set<string> }> {
  const { stdout } = await exec('runc', ['--root', join(node.root, 'containers', 'runc'), 'list', '--format', 'json']);
  const containers = (JSON.parse(stdout || 'null') ?? []) as Array<{ id: string; status: string }>;
  const pods = new Set(containers.filter((c) => c.status === 'running').map((c) => /^(.+)-app-\d+$/.exec(c.id)?.[1]).filter((uid): uid is string => Boolean(uid)));
  const vms = new Set<string>();
  const marker = `${join(node.root, 'v', 'vms')}/`;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (!argv[0]?.includes('qemu-system')) continue;
    const uid = argv.map((a) => (a.includes(marker) ? a.slice(a.indexOf(marker) + marker.length).split('/')[0] : undefined)).find(Boolean);
    if (uid) vms.add(uid);
  }
  return { pods, vms };
}

/** A pod or VMI uid running on two nodes at once (never right, not even mid-fault). */
async function runningTwice(): Promise<string[]> {
  const seen = new Map<string, string>();
  const twice: string[] = [];
  for (const node of cluster.nodes) {
    const { pods, vms } = await runtimeOf(node);
    for (const uid of [...pods, ...vms]) {
      const other = seen.get(uid);
      if (other) twice.push(`${uid} runs on ${other} and ${node.name}`);
      seen.set(uid, node.name);
    }
  }
  return twice;
}

/** Nodes whose bound, non-terminal workloads request more than they can allocate. */
async function overCommitted(): Promise<string[]> {
  const [nodes, pods, vmis] = await Promise.all([
    client.list<Node>(R.Node),
    client.list<Pod>(R.Pod),
    client.list<VirtualMachineInstance>(R.VirtualMachineInstance),
  ]);
  const requested = requestedByNode(boundWorkloads({ pods: pods.items, vmis: vmis.items }));
  const out: string[] = [];
  for (const node of nodes.items) {
    const sum = requested.get(node.metadata.name!);
    const alloc = node.status?.allocatable ?? {};
    if (!sum) continue;
    if (sum.milliCpu > cpuMillis(alloc.cpu)) out.push(`${node.metadata.name}: cpu ${sum.milliCpu}m > ${alloc.cpu}`);
    if (sum.memory > memoryBytes(alloc.memory)) out.push(`${node.metadata.name}: memory ${sum.memory} > ${alloc.memory}`);
    if (sum.pods > Number(alloc.pods)) out.push(`${node.metadata.name}: ${sum.pods} workloads > ${alloc.pods} pods`);
  }
  return out;
}

/** Samples the invariants that must hold at every moment, faults or not. */
async function watchInvariants(): Promise<void> {
  while (writing) {
    try {
      for (const v of [...(await overCommitted()), ...(await runningTwice())]) violations.add(v);
      samples++;
    } catch {
      // The API can be briefly unreachable mid-fault; the next sample covers it.
    }
    // Every 2 s: often enough to catch a double booking that lasts (one that heals within a
    // sample is not seen), rarely enough not to load the cluster it watches.
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** What is wrong with the cluster's state for the current round (undefined once converged). */
async function divergence(): Promise<string | undefined> {
  const pods = (await client.list<Pod>(R.Pod, { namespace: NS, labelSelector: LABELS })).items as Obj[];
  const names = pods.map((p) => p.metadata.name as string);
  if (new Set(names).size !== names.length) return `a pod listed twice: ${names.join(', ')}`;
  const terminating = pods.filter((p) => p.metadata.deletionTimestamp);
  if (terminating.length) return `${terminating.length} pods terminating (on ${[...new Set(terminating.map((p) => p.spec.nodeName))].join(', ')})`;
  if (pods.length !== REPLICAS) return `${pods.length} pods, want ${REPLICAS}`;
  const stale = pods.filter((p) => p.spec.containers[0].env?.[0]?.value !== String(round)).length;
  if (stale) return `${stale} pods of an older template`;
  const notReady = pods.filter((p) => p.status?.phase !== 'Running' || !p.spec?.nodeName || !isReady(p)).length;
  if (notReady) return `${notReady} pods not Running and Ready`;
  const sets = ((await client.list(R.ReplicaSet, { namespace: NS, labelSelector: LABELS })).items as Obj[]).filter((rs) => (rs.spec?.replicas ?? 0) > 0);
  if (sets.length !== 1) return `${sets.length} ReplicaSets with replicas`;
  const d = (await client.get(R.Deployment, 'chaos', { namespace: NS })) as Obj;
  const s = d.status ?? {};
  if (s.observedGeneration !== d.metadata.generation || s.updatedReplicas !== REPLICAS || s.readyReplicas !== REPLICAS || s.replicas !== REPLICAS) return `deployment status ${JSON.stringify(s)}`;
  const vmis = (await client.list<VirtualMachineInstance>(R.VirtualMachineInstance, { namespace: NS, labelSelector: POOL_LABELS })).items as Obj[];
  if (vmis.length !== POOL || vmis.some((v) => v.metadata.deletionTimestamp || v.status?.phase !== 'Running' || !v.status?.nodeName)) {
    return `VMIs: ${vmis.map((v) => `${v.metadata.name} ${v.status?.phase} on ${v.status?.nodeName}${v.metadata.deletionTimestamp ? ' deleting' : ''}`).join(', ')}`;
  }
  const nodes = (await client.list<Node>(R.Node)).items as Obj[];
  if (nodes.length !== cluster.nodes.length || !nodes.every(isReady)) return `nodes not all Ready`;
  // The runtime agrees with the API on every node: nothing stale left running, nothing missing.
  for (const node of cluster.nodes) {
    const actual = await runtimeOf(node);
    const wantPods = pods.filter((p) => p.spec.nodeName === node.name).map((p) => p.metadata.uid as string);
    const wantVms = vmis.filter((v) => v.status.nodeName === node.name).map((v) => v.metadata.uid as string);
    if (!sameSet(actual.pods, wantPods)) return `${node.name} runs pods ${[...actual.pods].sort().join(',')}, the API binds ${wantPods.sort().join(',')}`;
    if (!sameSet(actual.vms, wantVms)) return `${node.name} runs VMs ${[...actual.vms].sort().join(',')}, the API binds ${wantVms.sort().join(',')}`;
  }
  return undefined;
}

const sameSet = (a: Set<string>, b: string[]) => a.size === b.length && b.every((x) => a.has(x));

async function converged(timeoutMs = 180_000): Promise<void> {
  let last: string | undefined = 'not checked';
  await waitFor('convergence', async () => {
    last = await divergence().catch((e: Error) => `error: ${e.message}`);
    return last === undefined;
  }, timeoutMs, 250).catch((error: Error) => {
    // What the node agents said last (warnings and errors), for a divergence that is theirs.
    const agents = cluster.nodes.map((n) => `--- ${n.name}:\n${n.process()?.output().slice(-1500) ?? ''}`).join('\n');
    throw new Error(`${error.message}; last divergence: ${last}\n${agents}`);
  });
}

async function leader(lease: string, candidates: string[]): Promise<string> {
  const holder = await waitFor(`a ${lease} holder`, async () => (await client.get<Lease>(LEASE_RESOURCE, lease, { namespace: 'kube-system' })).spec?.holderIdentity || undefined);
  const pid = Number(holder.split('_').pop());
  const name = candidates.find((c) => cluster.components[c]?.child.pid === pid);
  if (!name) throw new Error(`${lease} is held by ${holder}, not one of ${candidates.join(', ')}`);
  return name;
}

/** The node running the first VMI of the pool: node faults there also hit a VM. */
async function vmNode(): Promise<ClusterNode> {
  const vmis = (await client.list<VirtualMachineInstance>(R.VirtualMachineInstance, { namespace: NS, labelSelector: POOL_LABELS })).items;
  const name = vmis.map((v) => v.status?.nodeName).sort()[0];
  return cluster.nodes.find((n) => n.name === name) ?? cluster.nodes[cluster.nodes.length - 1];
}

async function nodeReady(name: string): Promise<string> {
  const node = (await client.get<Node>(R.Node, name)) as Obj;
  return node.status?.conditions?.find((c: Obj) => c.type === 'Ready')?.status ?? 'Unknown';
}

interface Inflicted {
  /** A killed process: its supervisor name and how to tell a new one runs. */
  killed?: { component: string; back: () => boolean };
  /** Waits out a held fault and ends it; answers milestones (ms since the fault). */
  heal?: (since: number) => Promise<Record<string, number>>;
}

interface Fault {
  name: string;
  inflict(): Promise<Inflicted>;
}

type Proc = { child: { pid?: number; exitCode: number | null; kill(s: NodeJS.Signals): boolean } };
const kill9 = (component: string, proc: Proc): Inflicted => {
  const pid = proc.child.pid;
  proc.child.kill('SIGKILL');
  return { killed: { component, back: () => proc.child.pid !== pid && proc.child.exitCode === null } };
};

const faults: Fault[] = [
  {
    name: 'etcd member',
    async inflict() {
      const member = cluster.etcd.members[0];
      return kill9(`etcd ${member.name}`, member.process);
    },
  },
  {
    name: 'API server',
    async inflict() {
      const api = cluster.apis[0];
      const pid = api.pid;
      process.kill(pid, 'SIGKILL');
      return { killed: { component: 'apiserver', back: () => api.pid !== pid } };
    },
  },
  {
    name: 'leader scheduler',
    async inflict() {
      const name = await leader('coxswain-scheduler', ['scheduler', 'scheduler-2']);
      return kill9(name, cluster.components[name]);
    },
  },
  {
    name: 'leader controller-manager',
    async inflict() {
      const name = await leader('coxswain-controller-manager', ['controller-manager', 'controller-manager-2']);
      return kill9(name, cluster.components[name]);
    },
  },
  {
    name: 'node agent',
    async inflict() {
      const node = await vmNode();
      return kill9(node.name, cluster.components[node.name]);
    },
  },
  {
    name: 'frozen node',
    async inflict() {
      const node = await vmNode();
      await node.freeze();
      return {
        heal: async (since) => {
          try {
            await waitFor(`${node.name} NotReady while frozen`, async () => (await nodeReady(node.name)) !== 'True', NODE_FAULT_BOUND_MS);
          } finally {
            node.thaw();
          }
          const notReadyMs = elapsed(since);
          await waitFor(`${node.name} Ready after thawing`, async () => (await nodeReady(node.name)) === 'True', NODE_FAULT_BOUND_MS);
          return { notReadyMs, readyAgainMs: elapsed(since) };
        },
      };
    },
  },
  {
    name: 'cut link',
    async inflict() {
      const node = await vmNode();
      const bound = async () => {
        const [pods, vmis] = await Promise.all([client.list<Pod>(R.Pod, { namespace: NS }), client.list<VirtualMachineInstance>(R.VirtualMachineInstance, { namespace: NS })]);
        return [...pods.items.filter((p) => p.spec?.nodeName === node.name), ...vmis.items.filter((v) => v.status?.nodeName === node.name)];
      };
      const before = new Set((await bound()).map((o) => o.metadata.uid));
      await node.cutOff();
      return {
        heal: async (since) => {
          const marks: Record<string, number> = {};
          try {
            await waitFor(`${node.name} NotReady while cut off`, async () => (await nodeReady(node.name)) !== 'True', NODE_FAULT_BOUND_MS);
            marks.notReadyMs = elapsed(since);
            // Held until its workloads are evicted: replacements then run elsewhere.
            await waitFor(`${node.name}'s workloads evicted`, async () => (await bound()).every((o) => !before.has(o.metadata.uid) || o.metadata.deletionTimestamp), NODE_FAULT_BOUND_MS);
            marks.evictedMs = elapsed(since);
          } finally {
            await node.restore();
          }
          await waitFor(`${node.name} Ready after its link is back`, async () => (await nodeReady(node.name)) === 'True', NODE_FAULT_BOUND_MS);
          return { ...marks, readyAgainMs: elapsed(since) };
        },
      };
    },
  },
];

describe.each(faults)('$name during a rolling update of 20 replicas and a VM pool', (fault) => {
  it('converges with nothing lost, duplicated or over-committed', async () => {
    round++;
    await client.patch(R.Deployment, 'chaos', { spec: { template: template() } }, { namespace: NS });
    const since = performance.now();
    const inflicted = await fault.inflict();
    const marks: Record<string, number> = {};
    if (inflicted.killed) {
      const { component, back } = inflicted.killed;
      await waitFor(`${component} running again`, async () => back(), 30_000, 50);
      marks.backMs = elapsed(since);
    }
    if (inflicted.heal) Object.assign(marks, await inflicted.heal(since));
    await converged();
    summary[fault.name] = { convergedMs: elapsed(since), ...marks };
    if (inflicted.killed) expect(restarts).toContain(inflicted.killed.component);
    expect([...violations]).toEqual([]);
  });
});

it('lost no acknowledged write, failed none, and printed the summary', async () => {
  writing = false;
  await Promise.all([writes, monitor]);
  const present = new Set(((await client.list(R.ConfigMap, { namespace: NS })).items as Obj[]).map((c) => c.metadata.name as string));
  const lost = [...acknowledged].filter((name) => !present.has(name));
  console.log(JSON.stringify({ chaos: 'ms since each fault', faults: summary, acknowledgedWrites: acknowledged.size, failedWrites: failedWrites.length, invariantSamples: samples, suiteMs: elapsed(suiteStarted) }));
  expect(acknowledged.size).toBeGreaterThan(0);
  expect(samples).toBeGreaterThan(0);
  expect(lost).toEqual([]);
  expect(failedWrites).toEqual([]);
  expect([...violations]).toEqual([]);
});
