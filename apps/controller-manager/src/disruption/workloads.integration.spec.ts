// DaemonSet, StatefulSet and PodDisruptionBudget controllers in-process against a real etcd
// and API server. No scheduler or node agent: the test binds pods (scheduler token) and
// writes their status, as the harness-free controller specs do.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ControllerRevision, DaemonSet, KubeObject, Pod, PodDisruptionBudget, StatefulSet } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, KubeClient } from '@coxswain/client';
import { RunningApiServerHarness, RunningEtcd, startApiServer, startEtcd } from '@coxswain/harness';
import { DAEMONSET_RESOURCE, STATEFULSET_RESOURCE } from '../daemonset/resources';
import { CONTROLLER_REVISION_RESOURCE } from '../history/history';
import { ControllerManager } from '../manager';
import { createNamespace, eventually, listPods, markPodReady, TestClients, testClients } from '../testing/cluster';
import { PDB_RESOURCE } from './controller';

const execFileAsync = promisify(execFile);
jest.setTimeout(120_000);

let etcd: RunningEtcd;
let api: RunningApiServerHarness;
let clients: TestClients;
let scheduler: KubeClient;
let manager: ControllerManager;

beforeAll(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint, nodes: ['node-1', 'node-2'], tls: true });
  clients = testClients(api);
  scheduler = new KubeClient({ server: api.url, token: api.tokens.scheduler, ca: api.ca });
  manager = new ControllerManager({ client: clients.controller, logger: clients.logger, controllers: ['daemonset', 'statefulset', 'disruption'] });
  await manager.start();
}, 90_000);

afterAll(async () => {
  await manager?.stop();
  await scheduler?.destroy().catch(() => undefined);
  await clients?.close();
  await api?.stop();
  await etcd?.stop();
}, 60_000);

const template = (labels: Record<string, string>) => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } });
const addNode = (name: string, labels: Record<string, string> = {}) =>
  clients.admin.create(R.Node, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }] } } as KubeObject);
const pinnedNode = (pod: Pod) => pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];

describe('DaemonSet', () => {
  it('runs one pod per eligible node, pinned by node affinity, and follows nodes joining and leaving', async () => {
    const ns = await createNamespace(clients.admin, 'ds');
    await addNode('ds-a', { pool: 'agents' });
    await addNode('ds-b', { pool: 'agents' });
    await addNode('ds-other');
    await clients.admin.create<DaemonSet>(DAEMONSET_RESOURCE, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: ns }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { ...template({ app: 'agent' }), spec: { ...template({}).spec, nodeSelector: { pool: 'agents' } } } } } as DaemonSet);
    const pinned = async (want: string[]) => eventually(`pods for ${want.join(',')}`, async () => {
      const pods = (await listPods(clients.admin, ns)).filter((p) => !p.metadata.deletionTimestamp);
      const nodes = pods.map(pinnedNode).sort();
      return JSON.stringify(nodes) === JSON.stringify(want) ? pods : undefined;
    });
    const pods = await pinned(['ds-a', 'ds-b']);
    expect(pods[0].spec.tolerations?.map((t) => t.key)).toContain('node.kubernetes.io/unschedulable');
    expect(pods[0].spec.nodeName).toBeUndefined();
    await addNode('ds-c', { pool: 'agents' });
    await pinned(['ds-a', 'ds-b', 'ds-c']);
    await clients.admin.delete(R.Node, 'ds-b');
    await pinned(['ds-a', 'ds-c']);
    const ds = await eventually('status', async () => {
      const got = await clients.admin.get<DaemonSet>(DAEMONSET_RESOURCE, 'agent', { namespace: ns });
      return got.status?.desiredNumberScheduled === 2 && got.status.currentNumberScheduled === 2 ? got : undefined;
    });
    expect(ds.status).toMatchObject({ numberMisscheduled: 0, updatedNumberScheduled: 2 });
  });
});

describe('ControllerRevisions', () => {
  const kubectl = async (...args: string[]) => (await execFileAsync('kubectl', ['--kubeconfig', api.kubeconfigPath('admin'), ...args], { timeout: 60_000 })).stdout;
  const image = (obj: { spec: { template: { spec: Pod['spec'] } } }) => obj.spec.template.spec.containers[0].image;
  const history = async (ns: string) => {
    const list = await clients.admin.list<ControllerRevision>(CONTROLLER_REVISION_RESOURCE, { namespace: ns });
    return list.items.map((r) => ({ name: r.metadata.name!, revision: r.revision, image: (r.data as { spec: { template: { spec: Pod['spec'] } } }).spec.template.spec.containers[0].image, hash: r.metadata.labels?.['controller-revision-hash'] })).sort((a, b) => a.revision! - b.revision!);
  };
  const revisions = (ns: string, want: Array<[number, string]>) =>
    eventually(`revisions ${JSON.stringify(want)}`, async () => {
      const got = await history(ns);
      return JSON.stringify(got.map((r) => [r.revision, r.image])) === JSON.stringify(want) ? got : undefined;
    });

  it('records each DaemonSet template, labels pods with its hash, and rolls back with kubectl rollout undo', async () => {
    const ns = await createNamespace(clients.admin, 'dshist');
    await addNode(`${ns}-n`, { pool: ns });
    const spec = (img: string) => ({ selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: img }], nodeSelector: { pool: ns } } } });
    await clients.admin.create<DaemonSet>(DAEMONSET_RESOURCE, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: ns, annotations: { 'kubernetes.io/change-cause': 'v1' } }, spec: spec('busybox:1.36') } as DaemonSet);
    const [first] = await revisions(ns, [[1, 'busybox:1.36']]);
    expect(first.name).toBe(`agent-${first.hash}`);
    const podHash = (want: string) => eventually(`pod at ${want}`, async () => {
      const pods = (await listPods(clients.admin, ns)).filter((p) => !p.metadata.deletionTimestamp);
      return pods.length === 1 && pods[0].metadata.labels?.['controller-revision-hash'] === want ? pods[0] : undefined;
    });
    await podHash(first.hash!);

    await clients.admin.patch(DAEMONSET_RESOURCE, 'agent', { metadata: { annotations: { 'kubernetes.io/change-cause': 'v2' } }, spec: spec('busybox:1.37') }, { namespace: ns });
    const [, second] = await revisions(ns, [[1, 'busybox:1.36'], [2, 'busybox:1.37']]);
    expect((await podHash(second.hash!)).spec.containers[0].image).toBe('busybox:1.37');
    expect(await kubectl('rollout', 'history', 'daemonset/agent', '-n', ns)).toMatch(/1\s+v1[\s\S]*2\s+v2/);
    expect(await kubectl('get', 'controllerrevisions', '-n', ns)).toMatch(new RegExp(`${second.name}\\s+daemonset.apps/agent\\s+2`));

    expect(await kubectl('rollout', 'undo', 'daemonset/agent', '-n', ns)).toContain('rolled back');
    expect(image(await clients.admin.get<DaemonSet>(DAEMONSET_RESOURCE, 'agent', { namespace: ns }))).toBe('busybox:1.36');
    // The first revision comes back as number 3 (no new one), and the pod runs its hash again.
    await revisions(ns, [[2, 'busybox:1.37'], [3, 'busybox:1.36']]);
    await podHash(first.hash!);
  });

  it('a DaemonSet deleted with its revisions orphaned and created again adopts its old revisions instead of starting over', async () => {
    const ns = await createNamespace(clients.admin, 'dsadopt');
    await addNode(`${ns}-n`, { pool: ns });
    const spec = (img: string) => ({ selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: img }], nodeSelector: { pool: ns } } } });
    const create = () => clients.admin.create<DaemonSet>(DAEMONSET_RESOURCE, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: ns }, spec: spec('busybox:1.36') } as DaemonSet);
    await create();
    await revisions(ns, [[1, 'busybox:1.36']]);
    await clients.admin.patch(DAEMONSET_RESOURCE, 'agent', { spec: spec('busybox:1.37') }, { namespace: ns });
    const before = await revisions(ns, [[1, 'busybox:1.36'], [2, 'busybox:1.37']]);
    // What `--cascade=orphan` leaves (the garbage collector, not running here, strips the references).
    await clients.admin.delete(DAEMONSET_RESOURCE, 'agent', { namespace: ns, propagationPolicy: 'Background' });
    for (const r of before) await clients.admin.patch(CONTROLLER_REVISION_RESOURCE, r.name, { metadata: { ownerReferences: null } }, { namespace: ns });
    // A stray revision of another app stays an orphan.
    await clients.admin.create<ControllerRevision>(CONTROLLER_REVISION_RESOURCE, { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'stray', namespace: ns, labels: { app: 'web' } }, data: {}, revision: 1 } as ControllerRevision);
    const again = await create();
    // Both old revisions are the new set's, and its template (1.36) is revision 1 renumbered to 3, not a new one.
    const owned = await eventually('adopted and renumbered', async () => {
      const list = await clients.admin.list<ControllerRevision>(CONTROLLER_REVISION_RESOURCE, { namespace: ns });
      const mine = list.items.filter((r) => r.metadata.ownerReferences?.some((o) => o.uid === again.metadata.uid && o.controller));
      const numbers = mine.map((r) => `${r.metadata.name}@${r.revision}`).sort();
      return JSON.stringify(numbers) === JSON.stringify([`${before[0].name}@3`, `${before[1].name}@2`].sort()) && list.items.length === 3 ? list.items : undefined;
    });
    expect(owned.find((r) => r.metadata.name === 'stray')?.metadata.ownerReferences ?? []).toEqual([]);
  });

  it('names a StatefulSet\'s revisions in its status and rolls back with kubectl rollout undo', async () => {
    const ns = await createNamespace(clients.admin, 'stshist');
    await addNode(`${ns}-n`);
    const spec = (img: string) => ({ replicas: 1, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: img }] } } });
    await clients.admin.create<StatefulSet>(STATEFULSET_RESOURCE, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: ns }, spec: spec('busybox:1.36') } as StatefulSet);
    const [first] = await revisions(ns, [[1, 'busybox:1.36']]);
    const ready = async (rev: string) => {
      // Plays the node agent too: a pod being deleted goes at once.
      const pod = await eventually(`db-0 at ${rev}`, async () => {
        const found = (await listPods(clients.admin, ns)).find((p) => p.metadata.name === 'db-0');
        if (found?.metadata.deletionTimestamp) await clients.admin.delete(R.Pod, 'db-0', { namespace: ns, gracePeriodSeconds: 0 }).catch(() => undefined);
        return found && !found.metadata.deletionTimestamp && found.metadata.labels?.['controller-revision-hash'] === rev ? found : undefined;
      });
      await scheduler.bind(R.Pod, ns, 'db-0', `${ns}-n`);
      await markPodReady(clients.admin, pod);
      return eventually(`status at ${rev}`, async () => {
        const sts = await clients.admin.get<StatefulSet>(STATEFULSET_RESOURCE, 'db', { namespace: ns });
        return sts.status?.currentRevision === rev && sts.status.updateRevision === rev && sts.status.readyReplicas === 1 ? sts : undefined;
      });
    };
    await ready(first.name);

    await clients.admin.patch(STATEFULSET_RESOURCE, 'db', { spec: spec('busybox:1.37') }, { namespace: ns });
    const [, second] = await revisions(ns, [[1, 'busybox:1.36'], [2, 'busybox:1.37']]);
    await ready(second.name);
    expect(await kubectl('rollout', 'history', 'statefulset/db', '-n', ns)).toMatch(/1\s+<none>[\s\S]*2\s+<none>/);

    expect(await kubectl('rollout', 'undo', 'statefulset/db', '-n', ns)).toContain('rolled back');
    await revisions(ns, [[2, 'busybox:1.37'], [3, 'busybox:1.36']]);
    expect(image(await ready(first.name))).toBe('busybox:1.36');
  });
});

describe('StatefulSet and PodDisruptionBudget', () => {
  it('starts 3 pods in order, keeps names across a deletion, and an eviction or drain past minAvailable 2 waits', async () => {
    const ns = await createNamespace(clients.admin, 'sts');
    await addNode('node-1');
    await clients.admin.create<StatefulSet>(STATEFULSET_RESOURCE, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: ns }, spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template({ app: 'db' }) } } as StatefulSet);
    // Play scheduler and agent one pod at a time, checking no higher ordinal exists before the lower one is ready.
    for (const ordinal of [0, 1, 2]) {
      const pod = await eventually(`db-${ordinal}`, async () => (await listPods(clients.admin, ns)).find((p) => p.metadata.name === `db-${ordinal}`));
      const names = (await listPods(clients.admin, ns)).map((p) => p.metadata.name).sort();
      expect(names).toEqual(Array.from({ length: ordinal + 1 }, (_, i) => `db-${i}`));
      expect(pod.spec.hostname).toBe(`db-${ordinal}`);
      expect(pod.spec.subdomain).toBe('db');
      expect(pod.metadata.labels).toMatchObject({ 'statefulset.kubernetes.io/pod-name': `db-${ordinal}`, 'apps.kubernetes.io/pod-index': String(ordinal) });
      await scheduler.bind(R.Pod, ns, pod.metadata.name!, 'node-1');
      await markPodReady(clients.admin, pod);
    }
    const first = (await listPods(clients.admin, ns)).find((p) => p.metadata.name === 'db-1')!;
    await clients.admin.delete(R.Pod, 'db-1', { namespace: ns, gracePeriodSeconds: 0 });
    const again = await eventually('db-1 again', async () => (await listPods(clients.admin, ns)).find((p) => p.metadata.name === 'db-1' && p.metadata.uid !== first.metadata.uid));
    await scheduler.bind(R.Pod, ns, 'db-1', 'node-1');
    await markPodReady(clients.admin, again);
    await eventually('3 ready replicas', async () => (await clients.admin.get<StatefulSet>(STATEFULSET_RESOURCE, 'db', { namespace: ns })).status?.readyReplicas === 3);

    await clients.admin.create<PodDisruptionBudget>(PDB_RESOURCE, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db', namespace: ns }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'db' } } } } as PodDisruptionBudget);
    await eventually('1 disruption allowed', async () => (await clients.admin.get<PodDisruptionBudget>(PDB_RESOURCE, 'db', { namespace: ns })).status?.disruptionsAllowed === 1);
    const eviction = (name: string) => clients.admin.createSubresource(R.Pod, name, 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: ns } }, { namespace: ns });
    await eviction('db-2');
    const refused = (await eviction('db-0').catch((e: unknown) => e)) as { code?: number; status?: unknown };
    expect(refused.code).toBe(429);
    // Refused by the budget the first eviction spent; the count quoted is the PDB's status, which
    // the disruption controller may or may not have recomputed yet (3, or 2 once db-2 terminates).
    expect(refused.status).toMatchObject({ reason: 'TooManyRequests', message: "Cannot evict pod as it would violate the pod's disruption budget.", details: { causes: [{ reason: 'DisruptionBudget', message: expect.stringMatching(/^The disruption budget db needs 2 healthy pods and has [23] currently$/) }] } });

    // kubectl drain keeps retrying the refused evictions until its timeout instead of breaking the budget.
    const drain = await execFileAsync('kubectl', ['--kubeconfig', api.kubeconfigPath('admin'), 'drain', 'node-1', '--pod-selector=app=db', '--timeout=12s'], { timeout: 60_000 }).catch((e) => e);
    expect(drain.code).not.toBe(0);
    expect(drain.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    const healthy = (await listPods(clients.admin, ns)).filter((p) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    expect(healthy.length).toBeGreaterThanOrEqual(2);
  });
});
