// The scheduler end to end against the in-memory FakeApiServer (real informers, real HTTP).
import { Pod, VirtualMachineInstance } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, FakeApiServer, KubeClient, SharedInformerFactory } from '@coxswain/client';
import { resolveConfig, SchedulerConfig } from './config/config';
import { schedulerInformers, SchedulerInformers } from './informers';
import { Scheduler } from './scheduler';
import { readDiagnosisRecord } from '@coxswain/scheduling';
import { nodeObject, NodeOptions, podObject, PodOptions, vmiObject, VmiOptions } from '@coxswain/scheduling/testing';

const NODES = '/api/v1/nodes';
const PODS = '/api/v1/namespaces/default/pods';
const VMIS = '/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances';

async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Harness {
  server: FakeApiServer;
  client: KubeClient;
  informers: SchedulerInformers;
  scheduler: Scheduler;
  node(name: string, o?: NodeOptions): void;
  pod(name: string, o?: PodOptions): Promise<void>;
  vmi(name: string, o?: VmiOptions): Promise<void>;
  get(path: string): Promise<Pod & VirtualMachineInstance>;
  stop(): Promise<void>;
}

async function start(overrides: Record<string, unknown> = {}): Promise<Harness> {
  const server = await FakeApiServer.start();
  const client = new KubeClient({ server: server.url });
  const config: SchedulerConfig = resolveConfig({ backoff: { initialSeconds: 0.01, maxSeconds: 0.05 }, vmOverhead: { cpu: '0', memory: '0' }, ...overrides });
  const factory = new SharedInformerFactory({ client });
  const informers = schedulerInformers(factory);
  factory.start();
  await factory.waitForCacheSync();
  const scheduler = new Scheduler({ client, config, random: () => 0.5 });
  const detach = scheduler.attach(informers);
  const controller = new AbortController();
  const running = scheduler.run(controller.signal);
  return {
    server,
    client,
    informers,
    scheduler,
    node: (name, o) => void server.put(NODES, nodeObject(name, o)),
    pod: async (name, o) => void (await client.create(R.Pod, podObject(name, o))),
    vmi: async (name, o) => void (await client.create(R.VirtualMachineInstance, vmiObject(name, o))),
    get: (path) => client.request({ method: 'GET', path }),
    async stop() {
      controller.abort();
      await running;
      detach();
      await factory.stop();
      await client.destroy();
      await server.stop();
    },
  };
}

describe('Scheduler (against the fake API server)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('places pods and VMIs, never over-committing a node when many arrive at once', async () => {
    h = await start();
    for (const n of ['n1', 'n2', 'n3']) h.node(n, { cpu: '1', memory: '2Gi' });
    const names: string[] = [];
    const creates: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) {
      names.push(`p${i}`);
      creates.push(i % 4 === 0 ? h.vmi(`p${i}`, { requests: { cpu: '100m', memory: '100Mi' } }) : h.pod(`p${i}`, { cpu: '100m', memory: '100Mi' }));
    }
    await Promise.all(creates);
    // 3 nodes × 10 slots of 100m: exactly 30 fit.
    const bound = await waitFor('30 bound', async () => {
      const pods = (await h!.client.listAll<Pod>(R.Pod)).items.filter((p) => p.spec.nodeName);
      const vmis = (await h!.client.listAll<VirtualMachineInstance>(R.VirtualMachineInstance)).items.filter((v) => v.spec.nodeName);
      const all = [...pods, ...vmis];
      return all.length >= 30 && h!.scheduler.queue.counts().unschedulable === 10 && all;
    });
    const perNode = new Map<string, number>();
    for (const w of bound) perNode.set(w.spec.nodeName!, (perNode.get(w.spec.nodeName!) ?? 0) + 1);
    expect([...perNode.values()].sort()).toEqual([10, 10, 10]);
    const pending = (await h.client.listAll<Pod>(R.Pod)).items.find((p) => !p.spec.nodeName)!;
    await waitFor('PodScheduled=False', async () => (await h!.get(`${PODS}/${pending.metadata.name}`)).status?.conditions?.length);
    const cond = (await h.get(`${PODS}/${pending.metadata.name}`)).status!.conditions![0];
    expect(cond).toMatchObject({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' });
  });

  it('an oversized VM waits with the reason, then lands on a big node when one registers', async () => {
    h = await start();
    h.node('small-1', { memory: '1Gi' });
    h.node('small-2', { memory: '1Gi' });
    h.node('tainted', { memory: '64Gi', taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] });
    await h.vmi('big', { guest: '16Gi' });
    const vmi = await waitFor('condition', async () => {
      const v = await h!.get(`${VMIS}/big`);
      return v.status?.conditions?.length ? v : undefined;
    });
    expect(vmi.status).toMatchObject({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', message: '0/3 nodes are available: 2 Insufficient memory, 1 node(s) had untolerated taint {k: v}.' }] });
    const events = await waitFor('event', async () => (await h!.client.listAll(R.Event, { namespace: 'default' })).items.length > 0 && (await h!.client.listAll(R.Event, { namespace: 'default' })).items);
    expect(events[0]).toMatchObject({ reason: 'FailedScheduling', type: 'Warning', involvedObject: { kind: 'VirtualMachineInstance', name: 'big' } });
    // The same verdict as data, per node, for programs (coxctl why, the dashboard).
    expect(readDiagnosisRecord(events[0].metadata?.annotations)).toEqual({
      nodeCount: 3,
      nodes: [
        { node: 'small-1', plugin: 'NodeResourcesFit', reasons: ['Insufficient memory'] },
        { node: 'small-2', plugin: 'NodeResourcesFit', reasons: ['Insufficient memory'] },
        { node: 'tainted', plugin: 'TaintToleration', reasons: ['node(s) had untolerated taint {k: v}'] },
      ],
      omitted: 0,
    });
    expect(h.scheduler.queue.whereIs('VirtualMachineInstance/default/big')).toBe('unschedulable');

    // A node too small does not even wake it; a big one places it.
    h.node('medium', { memory: '8Gi' });
    await waitFor('medium node cached', () => h!.scheduler.cache.getNode('medium')?.node);
    expect(h.scheduler.queue.whereIs('VirtualMachineInstance/default/big')).toBe('unschedulable');
    h.node('big', { memory: '32Gi' });
    const placed = await waitFor('bound', async () => (await h!.get(`${VMIS}/big`)).spec.nodeName);
    expect(placed).toBe('big');
  });

  it('bin packing and spreading profiles place the same pods differently', async () => {
    h = await start({ profiles: [{ schedulerName: 'default-scheduler' }, { schedulerName: 'bin-packing', scores: { MostAllocated: 1 } }] });
    for (const n of ['n1', 'n2', 'n3']) h.node(n, { cpu: '4', memory: '8Gi' });
    for (let i = 0; i < 3; i++) await h.pod(`spread-${i}`, { cpu: '500m', memory: '512Mi' });
    for (let i = 0; i < 3; i++) await h.pod(`pack-${i}`, { cpu: '500m', memory: '512Mi', schedulerName: 'bin-packing' });
    await h.pod('other', { schedulerName: 'someone-else' });
    const nodesOf = async (prefix: string) =>
      waitFor(`${prefix} bound`, async () => {
        const pods = (await h!.client.listAll<Pod>(R.Pod)).items.filter((p) => p.metadata.name!.startsWith(prefix));
        return pods.every((p) => p.spec.nodeName) && pods.map((p) => p.spec.nodeName!);
      });
    expect(new Set(await nodesOf('spread-')).size).toBe(3);
    expect(new Set(await nodesOf('pack-')).size).toBe(1);
    expect((await h.get(`${PODS}/other`)).spec.nodeName).toBeUndefined();
  });

  it('retries a failed bind after back-off and binds exactly once', async () => {
    h = await start();
    h.node('n1');
    h.server.failNext(/\/pods\/p\/binding$/, 500, { times: 2 });
    await h.pod('p');
    expect(await waitFor('bound', async () => (await h!.get(`${PODS}/p`)).spec.nodeName)).toBe('n1');
    expect(h.server.requests.filter((r) => r.path.endsWith('/pods/p/binding') && r.method === 'POST').length).toBeGreaterThanOrEqual(3);
    expect(h.scheduler.cache.getNode('n1')!.requested.pods).toBe(1);
  });

  it('a 409 because someone else bound it keeps their placement and does not retry', async () => {
    h = await start();
    h.node('n1', { cpu: '1' });
    h.node('n2', { cpu: '1' });
    h.server.failNext(/\/pods\/p\/binding$/, 409);
    // Another writer binds it while our bind is "conflicting".
    await h.pod('p', { cpu: '600m' });
    const current = await h.get(`${PODS}/p`);
    h.server.put(PODS, { ...current, spec: { ...current.spec, nodeName: 'n2' } } as Pod);
    await waitFor('cache shows n2', () => h!.scheduler.cache.placement('Pod/default/p')?.nodeName === 'n2' && !h!.scheduler.cache.isAssumed('Pod/default/p'));
    await waitFor('bind settled', () => h!.scheduler.bindsInFlight === 0);
    expect(h.scheduler.cache.getNode('n1')!.requested.milliCpu + h.scheduler.cache.getNode('n2')!.requested.milliCpu).toBe(600);
    expect(h.scheduler.queue.whereIs('Pod/default/p')).toBeUndefined();
  });

  it('a 404 from the API for a pod that still exists (a lagging watch cache) does not drop it: it is retried and bound', async () => {
    h = await start();
    h.node('n1');
    h.server.failNext(/\/pods\/p\/binding$/, 404);
    await h.pod('p');
    expect(await waitFor('bound', async () => (await h!.get(`${PODS}/p`)).spec.nodeName)).toBe('n1');
    expect(h.server.requests.filter((r) => r.path.endsWith('/pods/p/binding') && r.method === 'POST').length).toBe(2);
    expect(h.scheduler.cache.getNode('n1')!.requested.pods).toBe(1);
  });

  it('a 409 whose re-read answers 404 (a lagging cache again) retries instead of dropping the pod', async () => {
    h = await start();
    h.node('n1');
    h.server.failNext(/\/pods\/p\/binding$/, 409);
    h.server.failNext(/\/pods\/p$/, 404, { method: 'GET' });
    await h.pod('p');
    expect(await waitFor('bound', async () => (await h!.get(`${PODS}/p`).catch(() => undefined))?.spec.nodeName)).toBe('n1');
  });

  it('a workload deleted while its bind is in flight frees the assumed capacity', async () => {
    h = await start();
    h.node('n1', { cpu: '1' });
    h.server.failNext(/\/pods\/gone\/binding$/, 404, { times: 1000 });
    await h.pod('gone', { cpu: '1' });
    await waitFor('a bind tried', () => h!.server.requests.some((r) => r.path.endsWith('/gone/binding')));
    await h.client.delete(R.Pod, 'gone', { namespace: 'default' });
    await waitFor('bind settled and capacity freed', () => h!.scheduler.bindsInFlight === 0 && h!.scheduler.cache.getNode('n1')!.requested.milliCpu === 0 && !h!.scheduler.queue.whereIs('Pod/default/gone'));
    await h.pod('next', { cpu: '1' });
    expect(await waitFor('next bound', async () => (await h!.get(`${PODS}/next`)).spec.nodeName)).toBe('n1');
  });

  it('a plugin that throws fails only that workload; the loop keeps scheduling', async () => {
    h = await start();
    const framework = (h.scheduler as unknown as { frameworks: Map<string, { filters: unknown[] }> }).frameworks.get('default-scheduler')!;
    framework.filters.unshift({
      name: 'Buggy',
      events: [],
      filter: (w: { name: string }) => {
        if (w.name === 'bad') throw new Error('boom');
        return { code: 'Success', reasons: [] };
      },
    });
    h.node('n1');
    await h.pod('bad');
    await h.pod('good');
    expect(await waitFor('good bound', async () => (await h!.get(`${PODS}/good`)).spec.nodeName)).toBe('n1');
    await waitFor('bad backing off', () => h!.scheduler.queue.whereIs('Pod/default/bad') === 'backoff');
    expect((await h.get(`${PODS}/bad`)).spec.nodeName).toBeUndefined();
  });

  it('cordoned, not-ready and tainted nodes get nothing; deleting a bound pod frees room for a parked one', async () => {
    h = await start();
    h.node('cordoned', { unschedulable: true });
    h.node('down', { ready: false });
    h.node('tainted', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] });
    h.node('ok', { cpu: '1' });
    await h.pod('a', { cpu: '1' });
    await h.pod('b', { cpu: '1' });
    const first = await waitFor('one bound', async () => {
      const pods = (await h!.client.listAll<Pod>(R.Pod)).items;
      return pods.filter((p) => p.spec.nodeName).length === 1 && h!.scheduler.queue.counts().unschedulable === 1 && pods;
    });
    const bound = first.find((p) => p.spec.nodeName)!;
    expect(bound.spec.nodeName).toBe('ok');
    await h.client.delete(R.Pod, bound.metadata.name!, { namespace: 'default' });
    const other = first.find((p) => !p.spec.nodeName)!;
    expect(await waitFor('parked one bound', async () => (await h!.get(`${PODS}/${other.metadata.name}`)).spec.nodeName)).toBe('ok');
  });

  describe('inter-pod constraints, host ports and extended resources', () => {
    const HOST = 'kubernetes.io/hostname';
    const term = (matchLabels: Record<string, string>, topologyKey = HOST, extra: Record<string, unknown> = {}) => ({ labelSelector: { matchLabels }, topologyKey, ...extra });
    const anti = (t: unknown) => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t] } }) as Pod['spec']['affinity'];
    const nodeOf = async (name: string, ns = 'default') => (await h!.client.get<Pod>(R.Pod, name, { namespace: ns })).spec.nodeName;
    const condition = async (name: string) => (await h!.get(`${PODS}/${name}`)).status?.conditions?.[0]?.message;

    it('required anti-affinity: one replica per node, the extra one waits with the reason and lands when a node joins', async () => {
      h = await start();
      h.node('n1');
      h.node('n2');
      // Created at once: the second and third are decided while earlier binds are in flight (assumed).
      await Promise.all([0, 1, 2].map((i) => h!.pod(`web-${i}`, { cpu: '100m', labels: { app: 'web' }, affinity: anti(term({ app: 'web' })) })));
      const message = await waitFor('one waits', async () => {
        const pending = (await h!.client.listAll<Pod>(R.Pod)).items.filter((p) => !p.spec.nodeName);
        return pending.length === 1 && h!.scheduler.queue.counts().unschedulable === 1 && (await condition(pending[0].metadata.name!));
      });
      expect(message).toBe("0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules.");
      const placed = (await h.client.listAll<Pod>(R.Pod)).items.map((p) => p.spec.nodeName).filter(Boolean);
      expect(placed.sort()).toEqual(['n1', 'n2']);
      h.node('n3');
      await waitFor('all three on different nodes', async () => {
        const nodes = (await h!.client.listAll<Pod>(R.Pod)).items.map((p) => p.spec.nodeName);
        return nodes.every(Boolean) && new Set(nodes).size === 3;
      });
    });

    it('a pod with required affinity to one not placed yet waits, then follows it', async () => {
      h = await start();
      for (const n of ['n1', 'n2', 'n3']) h.node(n);
      await h.pod('web', { labels: { app: 'web' }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' })] } } as Pod['spec']['affinity'] });
      expect(await waitFor('web waits', () => condition('web'))).toBe("0/3 nodes are available: 3 node(s) didn't match pod affinity rules.");
      await h.pod('db', { labels: { app: 'db' } });
      const dbNode = await waitFor('db bound', () => nodeOf('db'));
      expect(await waitFor('web bound', () => nodeOf('web'))).toBe(dbNode);
    });

    it("a namespaceSelector reads the namespaces' labels", async () => {
      h = await start();
      h.node('n1');
      h.node('n2');
      h.server.put('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-x', labels: { team: 'x' } } });
      await h.pod('other', { namespace: 'team-x', labels: { app: 'web' }, nodeName: 'n1', cpu: '500m' });
      // Spreading alone would pick the empty n2; the affinity to team-x's web pod says n1.
      await h.pod('follower', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, HOST, { namespaceSelector: { matchLabels: { team: 'x' } } })] } } as Pod['spec']['affinity'] });
      expect(await waitFor('follower bound', () => nodeOf('follower'))).toBe('n1');
    });

    it('host ports: the second pod with the same host port goes to the other node', async () => {
      h = await start();
      h.node('n1', { cpu: '1' });
      h.node('n2', { cpu: '1' });
      await h.pod('proxy-0', { hostPorts: [{ hostPort: 8080 }] });
      const first = await waitFor('first bound', () => nodeOf('proxy-0'));
      await h.pod('proxy-1', { hostPorts: [{ hostPort: 8080 }] });
      expect(await waitFor('second bound', () => nodeOf('proxy-1'))).toBe(first === 'n1' ? 'n2' : 'n1');
      await h.pod('proxy-2', { hostPorts: [{ hostPort: 8080 }] });
      expect(await waitFor('third waits', () => condition('proxy-2'))).toBe("0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports.");
    });

    it('a pod asking for a GPU waits with Insufficient nvidia.com/gpu until a node advertises one', async () => {
      h = await start();
      h.node('plain');
      await h.pod('trainer', { cpu: '100m', requests: { 'nvidia.com/gpu': '1' } });
      expect(await waitFor('trainer waits', () => condition('trainer'))).toBe('0/1 nodes are available: 1 Insufficient nvidia.com/gpu.');
      h.node('plain', { extra: { 'nvidia.com/gpu': '1' } });
      expect(await waitFor('trainer bound', () => nodeOf('trainer'))).toBe('plain');
    });
  });
});
