// The controllers in-process against a real etcd and API server (no scheduler, no node
// agent: the tests play their part by binding pods and writing their status).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Deployment, Event, findCondition, HorizontalPodAutoscaler, Node, Pod, ReplicaSet, VirtualMachine, VirtualMachineInstance, VirtualMachineInstanceReplicaSet } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, KubeClient } from '@coxswain/client';
import { RunningApiServerHarness, RunningEtcd, startApiServer, startEtcd } from '@coxswain/harness';
import { FakeMetricsSource } from './hpa/metrics-source';
import { ControllerManager } from './manager';
import { createNamespace, eventually, listPods, markPodReady, startFakeKubelet, startFakeNode, suffix, TestClients, testClients } from './testing/cluster';

const execFileAsync = promisify(execFile);

jest.setTimeout(60_000);

let etcd: RunningEtcd;
let api: RunningApiServerHarness;
let clients: TestClients;
let manager: ControllerManager;
let metrics: FakeMetricsSource;

beforeAll(async () => {
  etcd = await startEtcd();
  // HTTPS: kubectl sends bearer tokens only over TLS.
  api = await startApiServer({ etcdEndpoint: etcd.endpoint, nodes: ['node-1', 'node-2'], tls: true });
  clients = testClients(api);
  // Usage for every running pod of a namespace, as the resource metrics API would report it.
  metrics = new FakeMetricsSource(Date.now, async (ns) => {
    const running = (o: { status?: { phase?: string }; metadata: { deletionTimestamp?: string; name?: string } }) => o.status?.phase === 'Running' && !o.metadata.deletionTimestamp;
    const vmis = (await clients.admin.list<VirtualMachineInstance>(R.VirtualMachineInstance, { namespace: ns })).items;
    return [...(await listPods(clients.admin, ns)), ...vmis].filter(running).map((o) => o.metadata.name!);
  });
  // Short node and autoscaler timings so the tests take seconds (defaults: 20 s, 15 s, 15 s, 5 min).
  manager = new ControllerManager({
    client: clients.controller,
    logger: clients.logger,
    settings: { nodeMonitorGracePeriodMs: 2000, podEvictionTimeoutMs: 1000, hpaSyncPeriodMs: 500, hpaDownscaleStabilizationMs: 2000 },
    metricsSource: metrics,
  });
  await manager.start();
}, 90_000);

afterAll(async () => {
  await manager?.stop();
  await clients?.close();
  await api?.stop();
  await etcd?.stop();
}, 60_000);

const podTemplate = (labels: Record<string, string>, image = 'busybox:1.36') => ({
  metadata: { labels },
  spec: { containers: [{ name: 'app', image, resources: { requests: { cpu: '100m', memory: '16Mi' } } }] },
});

describe('ReplicaSet', () => {
  it('keeps N pods, adopts a matching orphan and replaces deleted pods', async () => {
    const ns = await createNamespace(clients.admin, 'rs');
    const labels = { app: 'web' };
    await clients.admin.create<Pod>(R.Pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace: ns, labels }, spec: podTemplate(labels).spec } as Pod);
    const rs = await clients.admin.create<ReplicaSet>(R.ReplicaSet, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: ns },
      spec: { replicas: 3, selector: { matchLabels: labels }, template: podTemplate(labels) },
    } as ReplicaSet);

    const pods = await eventually('3 pods owned by the ReplicaSet', async () => {
      const items = await listPods(clients.admin, ns);
      const owned = items.filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid && r.controller));
      return items.length === 3 && owned.length === 3 ? items : undefined;
    });
    expect(pods.map((p) => p.metadata.name)).toContain('orphan');

    await clients.admin.delete(R.Pod, 'orphan', { namespace: ns });
    await eventually('a replacement pod', async () => {
      const items = await listPods(clients.admin, ns);
      return items.length === 3 && !items.some((p) => p.metadata.name === 'orphan');
    });

    await clients.admin.patch(R.ReplicaSet, 'web', { spec: { replicas: 1 } }, { namespace: ns });
    const status = await eventually('scaled down to 1 with status', async () => {
      const items = await listPods(clients.admin, ns);
      const current = await clients.admin.get<ReplicaSet>(R.ReplicaSet, 'web', { namespace: ns });
      return items.length === 1 && current.status?.replicas === 1 && current.status.observedGeneration === current.metadata.generation ? current.status : undefined;
    });
    expect(status).toMatchObject({ replicas: 1, readyReplicas: 0, availableReplicas: 0 });
  });
});

describe('Deployment', () => {
  const kubectl = async (...args: string[]): Promise<string> => {
    const { stdout } = await execFileAsync('kubectl', ['--kubeconfig', api.kubeconfigPath('admin'), ...args], { timeout: 30_000 });
    return stdout;
  };
  const replicaSets = async (ns: string) => (await clients.admin.list<ReplicaSet>(R.ReplicaSet, { namespace: ns })).items;
  const complete = async (ns: string, name: string) => {
    const d = await clients.admin.get<Deployment>(R.Deployment, name, { namespace: ns });
    const s = d.status ?? {};
    const n = d.spec.replicas;
    return s.observedGeneration === d.metadata.generation && s.updatedReplicas === n && s.replicas === n && s.availableReplicas === n ? d : undefined;
  };

  it('rolls out, rolls forward within maxUnavailable, and rolls back with kubectl rollout undo', async () => {
    const ns = await createNamespace(clients.admin, 'deploy');
    const kubelet = startFakeKubelet(clients.admin, ns);
    try {
      const labels = { app: 'web' };
      await clients.admin.create<Deployment>(R.Deployment, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: ns, annotations: { 'kubernetes.io/change-cause': 'v1' } },
        spec: { replicas: 4, selector: { matchLabels: labels }, template: podTemplate(labels, 'busybox:1.36'), strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } } },
      } as Deployment);
      await eventually('first rollout complete', () => complete(ns, 'web'));
      const first = await replicaSets(ns);
      expect(first).toHaveLength(1);
      expect(first[0].metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
      expect(first[0].metadata.labels?.['pod-template-hash']).toBeTruthy();

      kubelet.resetWatermark();
      await clients.admin.patch(R.Deployment, 'web', { metadata: { annotations: { 'kubernetes.io/change-cause': 'v2' } }, spec: { template: podTemplate(labels, 'busybox:1.37') } }, { namespace: ns });
      await eventually('second rollout complete', () => complete(ns, 'web'));
      expect(kubelet.minReady()).toBeGreaterThanOrEqual(3);
      const second = await replicaSets(ns);
      const byRevision = Object.fromEntries(second.map((rs) => [rs.metadata.annotations?.['deployment.kubernetes.io/revision'], rs]));
      expect(Object.keys(byRevision).sort()).toEqual(['1', '2']);
      expect(byRevision['1'].spec.replicas).toBe(0);
      expect(byRevision['2'].spec.replicas).toBe(4);
      expect(await kubectl('rollout', 'status', 'deployment/web', '-n', ns, '--timeout=20s')).toContain('successfully rolled out');
      expect(await kubectl('rollout', 'history', 'deployment/web', '-n', ns)).toMatch(/1\s+v1[\s\S]*2\s+v2/);

      kubelet.resetWatermark();
      expect(await kubectl('rollout', 'undo', 'deployment/web', '-n', ns)).toContain('rolled back');
      const back = await eventually('rollback complete', () => complete(ns, 'web'));
      expect(back.spec.template.spec.containers[0].image).toBe('busybox:1.36');
      expect(back.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
      expect(kubelet.minReady()).toBeGreaterThanOrEqual(3);
      const third = await replicaSets(ns);
      const restored = third.find((rs) => rs.metadata.name === first[0].metadata.name)!;
      expect(restored.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
      expect(restored.spec.replicas).toBe(4);
      await eventually('ScalingReplicaSet events', async () => (await clients.admin.list<Event>(R.Event, { namespace: ns })).items.some((e) => e.involvedObject.kind === 'Deployment' && e.reason === 'ScalingReplicaSet'));
    } finally {
      await kubelet.stop();
    }
  });
});

describe('garbage collector', () => {
  const rsBody = (ns: string, name: string, replicas = 2) =>
    ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: ns },
      spec: { replicas, selector: { matchLabels: { app: name } }, template: podTemplate({ app: name }) },
    }) as ReplicaSet;
  const gone = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      return false;
    } catch (error) {
      return (error as { code?: number }).code === 404;
    }
  };

  it('deletes the ReplicaSets and Pods of a Deployment deleted in the background', async () => {
    const ns = await createNamespace(clients.admin, 'gc-bg');
    const labels = { app: 'web' };
    await clients.admin.create<Deployment>(R.Deployment, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: { replicas: 3, selector: { matchLabels: labels }, template: podTemplate(labels) },
    } as Deployment);
    await eventually('3 pods', async () => (await listPods(clients.admin, ns)).length === 3);
    await clients.admin.delete(R.Deployment, 'web', { namespace: ns, propagationPolicy: 'Background' });
    await eventually('ReplicaSets and Pods collected', async () => {
      const rss = await clients.admin.list(R.ReplicaSet, { namespace: ns });
      return rss.items.length === 0 && (await listPods(clients.admin, ns)).length === 0;
    });
  });

  it('foreground deletion keeps the owner until its dependents are gone', async () => {
    const ns = await createNamespace(clients.admin, 'gc-fg');
    await clients.admin.create(R.ReplicaSet, rsBody(ns, 'fg'));
    await eventually('2 pods', async () => (await listPods(clients.admin, ns)).length === 2);
    const marked = (await clients.admin.delete<ReplicaSet>(R.ReplicaSet, 'fg', { namespace: ns, propagationPolicy: 'Foreground' })) as ReplicaSet;
    expect(marked.metadata.finalizers).toContain('foregroundDeletion');
    await eventually('owner and pods gone', async () => (await gone(() => clients.admin.get(R.ReplicaSet, 'fg', { namespace: ns }))) && (await listPods(clients.admin, ns)).length === 0);
  });

  it('orphan deletion leaves the pods without their owner', async () => {
    const ns = await createNamespace(clients.admin, 'gc-orphan');
    const rs = await clients.admin.create<ReplicaSet>(R.ReplicaSet, rsBody(ns, 'or'));
    await eventually('2 pods', async () => (await listPods(clients.admin, ns)).length === 2);
    await clients.admin.delete(R.ReplicaSet, 'or', { namespace: ns, propagationPolicy: 'Orphan' });
    await eventually('owner gone', () => gone(() => clients.admin.get(R.ReplicaSet, 'or', { namespace: ns })));
    const pods = await listPods(clients.admin, ns);
    expect(pods).toHaveLength(2);
    expect(pods.every((p) => !(p.metadata.ownerReferences ?? []).some((r) => r.uid === rs.metadata.uid))).toBe(true);
  });
});

describe('node lifecycle', () => {
  it('marks a silent node Ready=Unknown, taints it, and evicts its pods so the ReplicaSet replaces them', async () => {
    const scheduler = new KubeClient({ server: api.url, token: api.tokens.scheduler, ca: api.ca });
    const sfx = suffix();
    const lost = await startFakeNode(clients.admin, `lost-${sfx}`);
    const healthy = await startFakeNode(clients.admin, `healthy-${sfx}`);
    try {
      const ns = await createNamespace(clients.admin, 'nodes');
      await clients.admin.create(R.ReplicaSet, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'web', namespace: ns },
        spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: podTemplate({ app: 'web' }) },
      } as ReplicaSet);
      const original = await eventually('2 pods', async () => {
        const pods = await listPods(clients.admin, ns);
        return pods.length === 2 ? pods : undefined;
      });
      for (const pod of original) {
        await scheduler.bind(R.Pod, ns, pod.metadata.name!, lost.name);
        await markPodReady(clients.admin, pod);
      }

      await lost.freeze();
      const node = await eventually('lost node tainted unreachable', async () => {
        const n = await clients.admin.get<Node>(R.Node, lost.name);
        return n.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute') ? n : undefined;
      });
      expect(node.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown' });

      const replacements = await eventually('original pods evicted and replaced', async () => {
        const pods = await listPods(clients.admin, ns);
        const names = pods.map((p) => p.metadata.name);
        return pods.length === 2 && original.every((p) => !names.includes(p.metadata.name)) ? pods : undefined;
      });
      expect(replacements.every((p) => !p.spec.nodeName)).toBe(true);
      const evicted = await eventually('eviction events', async () => {
        const names = (await clients.admin.list<Event>(R.Event, { namespace: ns })).items.filter((e) => e.reason === 'TaintManagerEviction').map((e) => e.involvedObject.name!);
        return names.length === original.length ? names.sort() : undefined;
      });
      expect(evicted).toEqual(original.map((p) => p.metadata.name).sort());

      const stillHealthy = await clients.admin.get<Node>(R.Node, healthy.name);
      expect(stillHealthy.spec?.taints ?? []).toEqual([]);
      expect(stillHealthy.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    } finally {
      await lost.freeze();
      await healthy.freeze();
      await scheduler.destroy();
      await clients.admin.delete(R.Node, lost.name).catch(() => undefined);
      await clients.admin.delete(R.Node, healthy.name).catch(() => undefined);
    }
  });
});

describe('virtual machines', () => {
  const vmiSpec = {
    domain: { memory: { guest: '64Mi' }, resources: { requests: { cpu: '100m', memory: '64Mi' } }, devices: { disks: [{ name: 'root', disk: { bus: 'virtio' } }] } },
    volumes: [{ name: 'root', containerDisk: { image: 'registry.local/tiny-vm:1' } }],
  };
  const vmis = async (ns: string) => (await clients.admin.list<VirtualMachineInstance>(R.VirtualMachineInstance, { namespace: ns })).items;
  const setVmiPhase = (ns: string, name: string, phase: string) => clients.admin.patch(R.VirtualMachineInstance, name, { status: { phase } }, { namespace: ns, subresource: 'status' });

  it('runStrategy Always restarts a powered-off guest; stop halts it; Manual follows start/stop', async () => {
    const ns = await createNamespace(clients.admin, 'vm');
    await clients.admin.create(R.VirtualMachine, { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'vm1', namespace: ns }, spec: { runStrategy: 'Always', template: { spec: vmiSpec } } } as VirtualMachine);
    const first = await eventually('VMI created', async () => (await vmis(ns)).find((v) => v.metadata.name === 'vm1'));
    expect(first.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'VirtualMachine', name: 'vm1', controller: true });

    await setVmiPhase(ns, 'vm1', 'Running');
    await eventually('VM Running', async () => (await clients.admin.get<VirtualMachine>(R.VirtualMachine, 'vm1', { namespace: ns })).status?.printableStatus === 'Running');
    // The guest powers off: the VMI succeeds, and Always starts a new one.
    await setVmiPhase(ns, 'vm1', 'Succeeded');
    const second = await eventually('new VMI after poweroff', async () => (await vmis(ns)).find((v) => v.metadata.uid !== first.metadata.uid));
    expect(second.metadata.name).toBe('vm1');

    await clients.admin.updateSubresource(R.VirtualMachine, 'vm1', 'stop', {}, { namespace: ns });
    await eventually('VMI gone after stop', async () => (await vmis(ns)).length === 0);
    const halted = await eventually('VM Stopped', async () => {
      const vm = await clients.admin.get<VirtualMachine>(R.VirtualMachine, 'vm1', { namespace: ns });
      return vm.status?.printableStatus === 'Stopped' ? vm : undefined;
    });
    expect(halted.spec.runStrategy).toBe('Halted');

    await clients.admin.create(R.VirtualMachine, { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'manual', namespace: ns }, spec: { runStrategy: 'Manual', template: { spec: vmiSpec } } } as VirtualMachine);
    await clients.admin.updateSubresource(R.VirtualMachine, 'manual', 'start', {}, { namespace: ns });
    await eventually('manual VMI started', async () => (await vmis(ns)).some((v) => v.metadata.name === 'manual'));
    await clients.admin.updateSubresource(R.VirtualMachine, 'manual', 'stop', {}, { namespace: ns });
    const stopped = await eventually('manual VMI stopped and request consumed', async () => {
      const vm = await clients.admin.get<VirtualMachine>(R.VirtualMachine, 'manual', { namespace: ns });
      return (await vmis(ns)).length === 0 && !vm.status?.stateChangeRequests ? vm : undefined;
    });
    expect(stopped.spec.runStrategy).toBe('Manual');
  });

  it('a VMI replica set keeps N VMIs, replaces failed ones and follows its scale subresource', async () => {
    const ns = await createNamespace(clients.admin, 'vmirs');
    await clients.admin.create(R.VirtualMachineInstanceReplicaSet, {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachineInstanceReplicaSet',
      metadata: { name: 'pool', namespace: ns },
      spec: { replicas: 2, selector: { matchLabels: { pool: 'p' } }, template: { metadata: { labels: { pool: 'p' } }, spec: vmiSpec } },
    } as VirtualMachineInstanceReplicaSet);
    const initial = await eventually('2 VMIs', async () => {
      const items = await vmis(ns);
      return items.length === 2 ? items : undefined;
    });
    await setVmiPhase(ns, initial[0].metadata.name!, 'Failed');
    await eventually('failed VMI replaced', async () => {
      const items = await vmis(ns);
      return items.length === 2 && !items.some((v) => v.metadata.uid === initial[0].metadata.uid);
    });
    await clients.admin.updateSubresource(R.VirtualMachineInstanceReplicaSet, 'pool', 'scale', { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'pool', namespace: ns }, spec: { replicas: 3 } }, { namespace: ns });
    const status = await eventually('3 VMIs and status', async () => {
      const rs = await clients.admin.get<VirtualMachineInstanceReplicaSet>(R.VirtualMachineInstanceReplicaSet, 'pool', { namespace: ns });
      return (await vmis(ns)).length === 3 && rs.status?.replicas === 3 ? rs.status : undefined;
    });
    expect(status.labelSelector).toBe('pool=p');
  });
});

describe('horizontal pod autoscaler', () => {
  it('scales a Deployment up under load and back down after the stabilization window', async () => {
    const ns = await createNamespace(clients.admin, 'hpa');
    const kubelet = startFakeKubelet(clients.admin, ns);
    try {
      const labels = { app: 'burn' };
      await clients.admin.create<Deployment>(R.Deployment, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'burn', namespace: ns },
        spec: { replicas: 2, selector: { matchLabels: labels }, template: podTemplate(labels) },
      } as Deployment);
      // Each pod requests 100m; using all of it is 100% against a 50% target.
      metrics.setNamespaceUsage(ns, { cpuMillis: 100 });
      await clients.admin.create<HorizontalPodAutoscaler>(R.HorizontalPodAutoscaler, {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'burn', namespace: ns },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'burn' },
          minReplicas: 1,
          maxReplicas: 6,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
        },
      } as HorizontalPodAutoscaler);
      const up = await eventually('scaled up to 4 or more', async () => {
        const d = await clients.admin.get<Deployment>(R.Deployment, 'burn', { namespace: ns });
        return (d.spec.replicas ?? 0) >= 4 ? d : undefined;
      });
      expect(up.spec.replicas).toBeLessThanOrEqual(6);

      metrics.setNamespaceUsage(ns, { cpuMillis: 5 });
      await eventually('scaled down to the minimum', async () => (await clients.admin.get<Deployment>(R.Deployment, 'burn', { namespace: ns })).spec.replicas === 1, 30_000);
      const hpa = await clients.admin.get<HorizontalPodAutoscaler>(R.HorizontalPodAutoscaler, 'burn', { namespace: ns });
      expect(findCondition(hpa.status?.conditions, 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound' });
      expect(findCondition(hpa.status?.conditions, 'AbleToScale')?.status).toBe('True');
      expect(findCondition(hpa.status?.conditions, 'ScalingLimited')).toBeDefined();
      // Events are written in the background: wait for the last one.
      const rescales = await eventually('rescale events', async () => {
        const messages = (await clients.admin.list<Event>(R.Event, { namespace: ns })).items.filter((e) => e.reason === 'SuccessfulRescale').map((e) => e.message);
        return messages.some((m) => m?.startsWith('New size: 1;')) ? messages.join('\n') : undefined;
      });
      expect(rescales).toMatch(/New size: \d+; reason: cpu resource utilization \(percentage of request\) above target[\s\S]*New size: 1; reason: All metrics below target/);
    } finally {
      await kubelet.stop();
    }
  });
});

describe('horizontal pod autoscaler on a VMI replica set', () => {
  it('scales the replica set through its scale subresource from the usage of its VMIs (by name)', async () => {
    const ns = await createNamespace(clients.admin, 'hpa-vm');
    await clients.admin.create(R.VirtualMachineInstanceReplicaSet, {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachineInstanceReplicaSet',
      metadata: { name: 'pool', namespace: ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { pool: 'p' } },
        template: {
          metadata: { labels: { pool: 'p' } },
          spec: {
            domain: { resources: { requests: { cpu: '100m', memory: '64Mi' } }, devices: { disks: [{ name: 'root', disk: { bus: 'virtio' } }] } },
            volumes: [{ name: 'root', containerDisk: { image: 'registry.local/tiny-vm:1' } }],
          },
        },
      },
    } as VirtualMachineInstanceReplicaSet);
    // Play the node agent: every VMI runs.
    let stop = false;
    const agent = (async () => {
      while (!stop) {
        for (const v of (await clients.admin.list<VirtualMachineInstance>(R.VirtualMachineInstance, { namespace: ns })).items) {
          if (v.status?.phase !== 'Running') await clients.admin.patch(R.VirtualMachineInstance, v.metadata.name!, { status: { phase: 'Running' } }, { namespace: ns, subresource: 'status' }).catch(() => undefined);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      metrics.setNamespaceUsage(ns, { cpuMillis: 100 });
      await clients.admin.create(R.HorizontalPodAutoscaler, {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'pool', namespace: ns },
        spec: {
          scaleTargetRef: { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceReplicaSet', name: 'pool' },
          minReplicas: 1,
          maxReplicas: 2,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
        },
      } as HorizontalPodAutoscaler);
      await eventually('VMI replica set scaled to 2', async () => (await clients.admin.get<VirtualMachineInstanceReplicaSet>(R.VirtualMachineInstanceReplicaSet, 'pool', { namespace: ns })).spec.replicas === 2);
      const hpa = await eventually('HPA status', async () => {
        const h = await clients.admin.get<HorizontalPodAutoscaler>(R.HorizontalPodAutoscaler, 'pool', { namespace: ns });
        return h.status?.desiredReplicas === 2 ? h : undefined;
      });
      expect(findCondition(hpa.status?.conditions, 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound' });
      expect(hpa.status?.currentMetrics?.[0]).toMatchObject({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 100 } } });
    } finally {
      stop = true;
      await agent;
    }
  });
});
