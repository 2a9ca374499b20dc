// The agent's start against the in-memory FakeApiServer and a fake runtime: an agent restarted
// while pods run adopts them all. Its first pass must see the informers' whole first list; a
// pass over a partly filled store took the pods not yet listed for ones no longer bound here.
import { Pod } from '@coxswain/api/browser';
import { BUILTIN_RESOURCES as R, createLogger, FakeApiServer, KubeClient } from '@coxswain/client';
import { HostFacts, NodeConfig } from '../node/node-object';
import { FakeRuntime } from '../testing/fake-runtime';
import { NodeAgent } from './node-agent';

const GI = 1024 ** 3;
const facts: HostFacts = {
  hostname: 'n1', internalIP: '10.200.0.2', cpuMillis: 2000, memoryBytes: 24 * GI, ephemeralStorageBytes: 100 * GI,
  kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12', architecture: 'amd64',
  memoryAvailableBytes: 20 * GI, diskAvailableBytes: 50 * GI, pidsInUse: 300, pidMax: 32768,
};
const config: NodeConfig = { nodeName: 'n1', podCIDR: '10.244.1.0/24', maxPods: 110, hypervisor: 'tcg', systemReserved: { cpuMillis: 0, memoryBytes: 0 }, agentPort: 10250 };

let server: FakeApiServer;
let client: KubeClient;

beforeEach(async () => {
  server = await FakeApiServer.start();
  client = new KubeClient({ server: server.url, maxRetries: 0 });
});

afterEach(async () => {
  await client.destroy();
  await server.stop();
});

describe('NodeAgent start', () => {
  it.each([1, 60])('with %i pods running here, adopts every one: nothing removed, killed or started again', async (count) => {
    const runtime = new FakeRuntime();
    await client.create(R.Lease, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: {} } as never);
    for (let i = 0; i < count; i++) {
      const pod = await client.create<Pod>(R.Pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'busybox' }] } } as Pod);
      const uid = pod.metadata.uid!;
      runtime.pods.set(uid, { uid, namespace: 'default', name: `p${i}`, sandbox: { ready: true, ip: `10.244.1.${i + 2}` }, containers: [{ id: `c${i}`, name: 'app', attempt: 0, state: 'running', startedAt: 0 }] });
    }
    let firstPass!: () => void;
    const passed = new Promise<void>((resolve) => (firstPass = resolve));
    const agent = new NodeAgent({
      client, config, facts: async () => facts, pods: runtime, exec: async () => 0, presentImages: async () => ['busybox'],
      logger: createLogger('test', { level: 'silent' }), onSyncDone: () => firstPass(),
    });
    await agent.start();
    await passed;
    await agent.stop();
    expect(runtime.calls.filter((c) => /^(removePod|killContainer|removeContainer|createSandbox|startContainer)/.test(c))).toEqual([]);
    expect(runtime.pods.size).toBe(count);
  });
});

describe('NodeAgent VMs', () => {
  const vmi = (name: string) => ({
    apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', metadata: { name, namespace: 'default' },
    spec: { nodeName: 'n1', terminationGracePeriodSeconds: 30, domain: { resources: { requests: { memory: '64Mi' } } } },
  });

  /** An agent over `runtime` for pods and VMs, passing every 50 ms. */
  const startVmAgent = async (runtime: FakeRuntime) => {
    await client.create(R.Lease, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: {} } as never);
    const agent = new NodeAgent({
      client, config, facts: async () => facts, pods: runtime, vms: runtime, exec: async () => 0, presentImages: async () => [],
      logger: createLogger('test', { level: 'silent' }), settings: { syncIntervalMs: 50 },
    });
    await agent.start();
    return agent;
  };

  it("starts a new VMI and reports it Running while another VM is still within its stop's grace period", async () => {
    let releaseStop!: () => void;
    const stopHeld = new Promise<void>((resolve) => (releaseStop = resolve));
    const runtime = new (class extends FakeRuntime {
      override async stopVm(uid: string, grace: number) {
        await super.stopVm(uid, grace);
        await stopHeld; // a guest that takes its whole grace period to shut down
      }
    })();
    const agent = await startVmAgent(runtime);
    try {
      const phase = async (name: string) => ((await client.get(R.VirtualMachineInstance, name, { namespace: 'default' })) as { status?: { phase?: string } }).status?.phase;
      const until = async (what: string, check: () => Promise<boolean>) => {
        for (let i = 0; i < 500 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
        if (!(await check())) throw new Error(`timed out waiting for ${what}`);
      };
      await client.create(R.VirtualMachineInstance, vmi('old') as never);
      await until('old Running', async () => (await phase('old')) === 'Running');
      await client.delete(R.VirtualMachineInstance, 'old', { namespace: 'default' });
      await until('old stopping', async () => runtime.calls.some((c) => c.startsWith('stopVm')));
      await client.create(R.VirtualMachineInstance, vmi('new') as never);
      await until('new Running', async () => (await phase('new')) === 'Running');
      expect(runtime.calls.filter((c) => c.startsWith('stopVm') || c.startsWith('startVm')).map((c) => c.split(' ')[0])).toEqual(['startVm', 'stopVm', 'startVm']);
    } finally {
      releaseStop();
      await agent.stop();
    }
  });

  it('reports a VM that fails to start (FailedCreate with the reason) and keeps trying it', async () => {
    const runtime = new (class extends FakeRuntime {
      override async startVm(view: Parameters<FakeRuntime['startVm']>[0]) {
        this.calls.push(`startVm ${view.metadata.uid}`);
        throw new Error('configmap "missing" not found');
      }
    })();
    const agent = await startVmAgent(runtime);
    try {
      await client.create(R.VirtualMachineInstance, vmi('broken') as never);
      const ready = async () => ((await client.get(R.VirtualMachineInstance, 'broken', { namespace: 'default' })) as { status?: { conditions?: Array<{ type: string; reason?: string; message?: string }> } }).status?.conditions?.find((c) => c.type === 'Ready');
      for (let i = 0; i < 500 && (await ready())?.reason !== 'FailedCreate'; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await ready()).toMatchObject({ reason: 'FailedCreate', message: 'configmap "missing" not found' });
      expect(runtime.calls.filter((c) => c.startsWith('startVm')).length).toBeGreaterThanOrEqual(2);
    } finally {
      await agent.stop();
    }
  });
});

describe('NodeAgent failures', () => {
  it('logs a sandbox that cannot be made, once per message however often it is retried', async () => {
    let tries = 0;
    let clock = Date.now();
    const runtime = new (class extends FakeRuntime {
      override async createSandbox(): Promise<void> {
        tries++;
        throw new Error('invalid IPv4 address 10.207.1.980');
      }
    })();
    await client.create(R.Lease, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: {} } as never);
    await client.create<Pod>(R.Pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'busybox' }] } } as Pod);
    const logger = createLogger('test', { level: 'silent' });
    const warn = jest.spyOn(logger, 'warn');
    let passes = 0;
    let enough!: () => void;
    const retried = new Promise<void>((resolve) => (enough = resolve));
    const agent = new NodeAgent({
      client, config, facts: async () => facts, pods: runtime, exec: async () => 0, presentImages: async () => ['busybox'],
      // Each reading of the clock is 11 s on: every pass is past the 10 s wait after a failure.
      logger, settings: { syncIntervalMs: 20 }, onSyncDone: () => ++passes >= 5 && enough(), now: () => (clock += 11_000),
    });
    await agent.start();
    await retried;
    await agent.stop();
    const failures = warn.mock.calls.filter(([, message]) => typeof message === 'string' && message.includes('createSandbox failed'));
    expect(tries).toBeGreaterThan(1);
    expect(failures).toEqual([[expect.objectContaining({ workload: 'default/p' }), 'createSandbox failed: invalid IPv4 address 10.207.1.980']]);
  });
});
