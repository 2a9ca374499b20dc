// The real scheduler process against a real etcd and API server (the harness): placement
// profiles, cordons and taints, an oversized VM waiting for capacity, 2,000 workloads at
// once without over-commit, and leader election between two schedulers.
import { Node, Pod, VirtualMachineInstance } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, KubeClient } from '@coxswain/client';
import { RunningApiServerHarness, RunningEtcd, startApiServer, startEtcd, waitUntil } from '@coxswain/harness';
import { randomBytes } from 'node:crypto';
import { DEFAULT_CONFIG } from './config/config';
import { readDiagnosisRecord, Workload, workloadFromPod, workloadFromVmi } from '@coxswain/scheduling';
import { nodeObject, NodeOptions, podObject, PodOptions, vmiObject, VmiOptions } from '@coxswain/scheduling/testing';
import { metricValue, SchedulerProcess, startSchedulerProcess } from './testing/scheduler-process';

jest.setTimeout(120_000);

const BASE_CONFIG = {
  backoff: { initialSeconds: 0.1, maxSeconds: 1 },
  leaderElection: { leaseDurationSeconds: 3, renewDeadlineSeconds: 2, retryPeriodSeconds: 0.5 },
};

let etcd: RunningEtcd | undefined;
let api: RunningApiServerHarness | undefined;
let admin: KubeClient;

beforeAll(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint });
  admin = new KubeClient({ server: api.url, token: api.tokens.admin, maxConcurrentRequests: 64 });
}, 90_000);

afterAll(async () => {
  await admin?.destroy();
  await api?.stop();
  await etcd?.stop();
});

/** One test's world: its namespace, nodes, schedulers; all removed afterwards. */
class World {
  readonly ns = `sched-${randomBytes(3).toString('hex')}`;
  private readonly nodes: string[] = [];
  private readonly schedulers: SchedulerProcess[] = [];

  async setUp(): Promise<this> {
    await admin.create(R.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.ns } });
    return this;
  }

  async scheduler(config: Record<string, unknown> = {}, identity?: string): Promise<SchedulerProcess> {
    const proc = await startSchedulerProcess({ kubeconfig: api!.kubeconfigPath('scheduler'), config: { ...BASE_CONFIG, ...config }, identity });
    this.schedulers.push(proc);
    return proc;
  }

  async node(name: string, o: NodeOptions = {}): Promise<void> {
    await admin.create(R.Node, nodeObject(name, o));
    this.nodes.push(name);
  }

  pod(name: string, o: PodOptions = {}): Promise<Pod> {
    return admin.create(R.Pod, { ...podObject(name, { ...o, namespace: this.ns }), metadata: { name, namespace: this.ns } });
  }

  vmi(name: string, o: VmiOptions = {}): Promise<VirtualMachineInstance> {
    const v = vmiObject(name, o);
    v.metadata = { ...v.metadata, namespace: this.ns, uid: undefined };
    v.spec.domain.devices = { disks: [{ name: 'root', disk: { bus: 'virtio' } }] };
    v.spec.volumes = [{ name: 'root', containerDisk: { image: 'busybox' } }];
    return admin.create(R.VirtualMachineInstance, v);
  }

  async pods(): Promise<Pod[]> {
    return (await admin.listAll<Pod>(R.Pod, { namespace: this.ns })).items;
  }

  async vmis(): Promise<VirtualMachineInstance[]> {
    return (await admin.listAll<VirtualMachineInstance>(R.VirtualMachineInstance, { namespace: this.ns })).items;
  }

  async tearDown(): Promise<void> {
    await Promise.all(this.schedulers.map((s) => s.stop()));
    for (const r of [R.Pod, R.VirtualMachineInstance]) await admin.deleteCollection(r, { namespace: this.ns, gracePeriodSeconds: 0 }).catch(() => undefined);
    await Promise.all(this.nodes.map((n) => admin.delete(R.Node, n).catch(() => undefined)));
  }
}

const poll = (what: string, check: () => Promise<boolean>, timeoutMs = 60_000) => waitUntil(check, timeoutMs, () => what, 100);

describe('scheduler with a real API server', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.tearDown();
    world = undefined;
  });

  it('spreading and bin-packing profiles give different placements', async () => {
    world = await new World().setUp();
    const w = world;
    await w.scheduler({ profiles: [{ schedulerName: 'default-scheduler' }, { schedulerName: 'bin-packing', scores: { MostAllocated: 1 } }] });
    for (const n of ['spread-a', 'spread-b', 'spread-c']) await w.node(`${w.ns}-${n}`, { cpu: '4', memory: '8Gi' });
    for (let i = 0; i < 3; i++) await w.pod(`spread-${i}`, { cpu: '500m', memory: '256Mi' });
    for (let i = 0; i < 3; i++) await w.pod(`pack-${i}`, { cpu: '500m', memory: '256Mi', schedulerName: 'bin-packing' });
    await poll('all six bound', async () => (await w.pods()).every((p) => p.spec.nodeName));
    const nodesOf = async (prefix: string) => new Set((await w.pods()).filter((p) => p.metadata.name!.startsWith(prefix)).map((p) => p.spec.nodeName));
    expect((await nodesOf('spread-')).size).toBe(3);
    expect((await nodesOf('pack-')).size).toBe(1);
  });

  it('a cordoned or tainted node gets nothing', async () => {
    world = await new World().setUp();
    const w = world;
    await w.scheduler();
    await w.node(`${w.ns}-cordoned`, { unschedulable: true, cpu: '64', memory: '256Gi' });
    await w.node(`${w.ns}-tainted`, { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }], cpu: '64', memory: '256Gi' });
    await w.node(`${w.ns}-open`, { cpu: '2', memory: '2Gi' });
    for (let i = 0; i < 6; i++) await w.pod(`p${i}`, { cpu: '100m', memory: '64Mi' });
    await w.vmi('vm', { requests: { cpu: '100m', memory: '64Mi' } });
    await poll('all bound', async () => (await w.pods()).every((p) => p.spec.nodeName) && (await w.vmis()).every((v) => v.spec.nodeName));
    const placed = [...(await w.pods()), ...(await w.vmis())].map((x) => x.spec.nodeName);
    expect(new Set(placed)).toEqual(new Set([`${w.ns}-open`]));
  });

  it('an oversized VM stays Pending with the reason and is placed once a big enough node registers', async () => {
    world = await new World().setUp();
    const w = world;
    await w.node(`${w.ns}-small-1`, { memory: '2Gi' });
    await w.node(`${w.ns}-small-2`, { memory: '2Gi' });
    await w.node(`${w.ns}-tainted`, { memory: '64Gi', taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] });
    await w.scheduler();
    await w.vmi('big', { guest: '16Gi' });
    const want = '0/3 nodes are available: 2 Insufficient memory, 1 node(s) had untolerated taint {k: v}.';
    let vmi: VirtualMachineInstance | undefined;
    await poll('PodScheduled=False on the VMI', async () => {
      vmi = (await w.vmis())[0];
      return vmi.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.message === want) ?? false;
    });
    expect(vmi!.spec.nodeName).toBeUndefined();
    expect(vmi!.status).toMatchObject({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: want }] });
    let event: Pod | undefined;
    await poll('FailedScheduling event', async () => {
      event = (await admin.listAll<{ reason?: string; message?: string; involvedObject: { name: string } } & Pod>(R.Event, { namespace: w.ns })).items.find(
        (e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'big' && e.message === want,
      );
      return event !== undefined;
    });
    // The per-node verdict as data, stored by the real API server on the event.
    expect(readDiagnosisRecord(event!.metadata.annotations)).toEqual({
      nodeCount: 3,
      nodes: [
        { node: `${w.ns}-small-1`, plugin: 'NodeResourcesFit', reasons: ['Insufficient memory'] },
        { node: `${w.ns}-small-2`, plugin: 'NodeResourcesFit', reasons: ['Insufficient memory'] },
        { node: `${w.ns}-tainted`, plugin: 'TaintToleration', reasons: ['node(s) had untolerated taint {k: v}'] },
      ],
      omitted: 0,
    });

    await w.node(`${w.ns}-large`, { memory: '32Gi' });
    await poll('VMI bound to the large node', async () => (await w.vmis())[0].spec.nodeName === `${w.ns}-large`);
    expect((await w.vmis())[0].status).toMatchObject({ phase: 'Scheduled', nodeName: `${w.ns}-large` });
  });

  it('never over-commits a node when 2,000 workloads arrive at once', async () => {
    world = await new World().setUp();
    const w = world;
    const nodes: Node[] = [];
    for (let i = 0; i < 20; i++) {
      await w.node(`${w.ns}-n${i}`, { cpu: '4', memory: i % 2 ? '8Gi' : '6Gi', pods: 110 });
      nodes.push(await admin.get<Node>(R.Node, `${w.ns}-n${i}`));
    }
    const proc = await w.scheduler({ events: { scheduled: false } });
    const cpus = ['50m', '100m', '200m', '250m'];
    const mems = ['64Mi', '128Mi', '256Mi'];
    const creates: Array<() => Promise<unknown>> = [];
    for (let i = 0; i < 2000; i++) {
      if (i % 10 === 9) creates.push(() => w.vmi(`vm-${i}`, { requests: { cpu: cpus[i % 4], memory: mems[i % 3] } }));
      else creates.push(() => w.pod(`pod-${i}`, { cpu: cpus[i % 4], memory: mems[(i >> 2) % 3] }));
    }
    let next = 0;
    await Promise.all(Array.from({ length: 64 }, async () => {
      while (next < creates.length) await creates[next++]();
    }));

    const decided = (x: Pod | VirtualMachineInstance) => Boolean(x.spec.nodeName) || (x.status?.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.status === 'False');
    let all: Workload[] = [];
    await poll('every workload bound or marked unschedulable', async () => {
      const [pods, vmis] = await Promise.all([w.pods(), w.vmis()]);
      all = [...pods.map(workloadFromPod), ...vmis.map((v) => workloadFromVmi(v, DEFAULT_CONFIG.vmOverhead))];
      const m = await proc.metrics();
      return all.length === 2000 && [...pods, ...vmis].every(decided) && metricValue(m, 'scheduler_pending_pods', { queue: 'active' }) === 0 && metricValue(m, 'scheduler_pending_pods', { queue: 'backoff' }) === 0;
    }, 100_000);

    const used = new Map(nodes.map((n) => [n.metadata.name!, { milliCpu: 0, memory: 0, pods: 0 }]));
    for (const x of all.filter((x) => x.nodeName)) {
      const u = used.get(x.nodeName!)!;
      u.milliCpu += x.requests.milliCpu;
      u.memory += x.requests.memory;
      u.pods += 1;
    }
    const GI = 1024 ** 3;
    const allocatable = (name: string) => ({ milliCpu: 4000, memory: (Number(name.split('-n')[1]) % 2 ? 8 : 6) * GI, pods: 110 });
    const overcommitted = [...used].filter(([name, u]) => u.milliCpu > allocatable(name).milliCpu || u.memory > allocatable(name).memory || u.pods > allocatable(name).pods);
    expect(overcommitted).toEqual([]);
    const bound = all.filter((x) => x.nodeName);
    const pending = all.filter((x) => !x.nodeName);
    expect(bound.length).toBeGreaterThan(500);
    expect(pending.length).toBeGreaterThan(0);
    // Work-conserving too: nothing left pending would fit in what any node has left.
    const fitsSomewhere = pending.filter((p) => [...used].some(([name, u]) => {
      const a = allocatable(name);
      return u.milliCpu + p.requests.milliCpu <= a.milliCpu && u.memory + p.requests.memory <= a.memory && u.pods + 1 <= a.pods;
    }));
    expect(fitsSomewhere.map((p) => p.key)).toEqual([]);
  }, 180_000);

  it('a second scheduler waits on the lease and takes over when the leader stops', async () => {
    world = await new World().setUp();
    const w = world;
    await w.node(`${w.ns}-n1`);
    const first = await w.scheduler({}, `${w.ns}-first`);
    const holder = async () => (await admin.get<{ spec?: { holderIdentity?: string } } & Pod>(R.Lease, 'coxswain-scheduler', { namespace: 'kube-system' })).spec?.holderIdentity;
    await poll('first holds the lease', async () => (await holder()) === first.identity);
    const second = await w.scheduler({}, `${w.ns}-second`);
    await w.pod('before');
    await poll('bound by the leader', async () => Boolean((await w.pods())[0]?.spec.nodeName));
    expect(metricValue(await second.metrics(), 'leader_election_master_status')).toBe(0);
    expect(metricValue(await first.metrics(), 'leader_election_master_status')).toBe(1);
    expect(await holder()).toBe(first.identity);

    expect(await first.stop()).toBe(0);
    await poll('second holds the lease', async () => (await holder()) === second.identity);
    await w.pod('after');
    await poll('bound by the new leader', async () => (await w.pods()).every((p) => p.spec.nodeName));
    expect(metricValue(await second.metrics(), 'scheduler_schedule_attempts_total', { result: 'scheduled' })).toBe(1);
  });
});
