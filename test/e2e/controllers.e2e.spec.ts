// Controllers on a real 2-node harness cluster (scheduler, node agents, runc, QEMU): a
// Deployment spreads and rolls within its availability budget and rolls back with kubectl;
// an HPA follows real CPU usage up and down; a VM with runStrategy Always comes back after
// its guest powers off; and a node cut off the network has its workloads running Ready on
// the other node (default node-monitor timings; the time is measured and printed).
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { ContainerDriver } from '@coxswain/runtime';
import { buildBusyboxImage, pushImage, RunningCluster, startCluster } from '@coxswain/harness';
import { api, getObj, k, kubectl, manifest, Obj, waitFor } from './support';

jest.setTimeout(240_000);

let cluster: RunningCluster;

beforeAll(async () => {
  // Default node lifecycle timings; only the autoscaler runs on short periods here.
  cluster = await startCluster({ nodes: 2, controllerArgs: ['--hpa-sync-period', '2s', '--hpa-downscale-stabilization', '10s'] });
  // A second tag of the busybox image to roll to.
  await pushImage(cluster.registry.url, (await buildBusyboxImage()).dir, 'library/busybox:v2');
  await k(cluster, 'create', 'namespace', 'ctl');
}, 300_000);

afterAll(async () => {
  await cluster?.stop();
}, 120_000);

const NS = 'ctl';
const isReady = (p: Obj) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running' && (p.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
async function pods(selector: string): Promise<Obj[]> {
  const res = await api(cluster, 'GET', `/api/v1/namespaces/${NS}/pods?labelSelector=${encodeURIComponent(selector)}`);
  return res.body.items ?? [];
}

/** Counts ready pods of a selector every 200 ms and keeps the lowest count seen. */
function sampleReady(selector: string) {
  let min = Number.POSITIVE_INFINITY;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const ready = (await pods(selector).catch(() => undefined))?.filter(isReady).length;
      if (ready !== undefined) min = Math.min(min, ready);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return min;
    },
  };
}

const webDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: NS },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        terminationGracePeriodSeconds: 2,
        containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'exec sleep 3600'], resources: { requests: { cpu: '50m', memory: '16Mi' } } }],
      },
    },
  },
};

describe('Deployment', () => {
  it('spreads 4 busybox pods over both nodes, rolls to a new image within maxUnavailable, and rollout undo restores it', async () => {
    expect((await kubectl(cluster, ['apply', '-f', await manifest(JSON.stringify(webDeployment))])).code).toBe(0);
    const first = await waitFor('4 ready pods', async () => {
      const ready = (await pods('app=web')).filter(isReady);
      return ready.length === 4 && ready;
    }, 120_000);
    expect(new Set(first.map((p) => p.spec.nodeName)).size).toBe(2);

    const sampler = sampleReady('app=web');
    const started = Date.now();
    await k(cluster, 'set', 'image', '-n', NS, 'deployment/web', 'app=busybox:v2');
    expect(await k(cluster, 'rollout', 'status', '-n', NS, 'deployment/web', '--timeout=150s')).toContain('successfully rolled out');
    const rolled = (await pods('app=web')).filter(isReady);
    expect(rolled.map((p) => p.spec.containers[0].image)).toEqual(['busybox:v2', 'busybox:v2', 'busybox:v2', 'busybox:v2']);
    const rollSeconds = (Date.now() - started) / 1000;

    const undone = Date.now();
    expect(await k(cluster, 'rollout', 'undo', '-n', NS, 'deployment/web')).toContain('rolled back');
    expect(await k(cluster, 'rollout', 'status', '-n', NS, 'deployment/web', '--timeout=150s')).toContain('successfully rolled out');
    const minReady = await sampler.stop();
    const back = await waitFor('4 ready pods on the old image', async () => {
      const ready = (await pods('app=web')).filter(isReady);
      return ready.length === 4 && ready.every((p) => p.spec.containers[0].image === 'busybox') && ready;
    });
    expect(back).toHaveLength(4);
    // maxUnavailable 1 of 4: never fewer than 3 ready pods during both rollouts.
    expect(minReady).toBeGreaterThanOrEqual(3);
    expect(await k(cluster, 'rollout', 'history', '-n', NS, 'deployment/web')).toMatch(/^2\s/m);
    console.log(`rolling update 4 pods: ${rollSeconds.toFixed(1)} s; rollback: ${((Date.now() - undone) / 1000).toFixed(1)} s; fewest ready pods seen: ${minReady}`);
  });
});

describe('HorizontalPodAutoscaler', () => {
  it('scales a CPU-burning Deployment up, and back down after the load stops', async () => {
    // Every pod of the first template burns a CPU (limited to 300m, 100m requested); once the
    // HPA has scaled up, a new template that idles rolls out: that is when the load stops.
    const burn = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'burn', namespace: NS },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'burn' } },
        template: {
          metadata: { labels: { app: 'burn' } },
          spec: {
            terminationGracePeriodSeconds: 1,
            containers: [
              {
                name: 'app',
                image: 'busybox',
                env: [{ name: 'BURN', value: 'yes' }],
                command: ['sh', '-c', 'if [ "$BURN" = yes ]; then sh -c "while :; do :; done" & fi; exec sleep 3600'],
                resources: { requests: { cpu: '100m', memory: '16Mi' }, limits: { cpu: '300m', memory: '64Mi' } },
              },
            ],
          },
        },
      },
    };
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'burn', namespace: NS },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'burn' },
        minReplicas: 1,
        maxReplicas: 3,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      },
    };
    const started = Date.now();
    await k(cluster, 'apply', '-f', await manifest(JSON.stringify(burn)));
    await k(cluster, 'apply', '-f', await manifest(JSON.stringify(hpa)));
    const deploymentPath = `/apis/apps/v1/namespaces/${NS}/deployments/burn`;
    await waitFor('scaled up', async () => ((await getObj(cluster, deploymentPath))?.spec.replicas ?? 0) > 1, 120_000, 500);
    const upSeconds = (Date.now() - started) / 1000;
    const patched = await api(cluster, 'PATCH', deploymentPath, { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'BURN', value: 'no' }] }] } } } }, 'application/strategic-merge-patch+json');
    expect(patched.status).toBe(200);
    const end = Date.now() / 1000;
    await waitFor('scaled back to 1 after the load stopped', async () => (await getObj(cluster, deploymentPath))?.spec.replicas === 1, 150_000, 500);
    const status = (await getObj(cluster, `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers/burn`))!.status;
    expect(status.conditions.find((c: Obj) => c.type === 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound' });
    expect(status.currentMetrics[0].resource.name).toBe('cpu');
    const events = (await api(cluster, 'GET', `/api/v1/namespaces/${NS}/events`)).body.items.filter((e: Obj) => e.reason === 'SuccessfulRescale').map((e: Obj) => e.message);
    expect(events.join('\n')).toMatch(/above target/);
    expect(events.join('\n')).toMatch(/New size: 1; reason: All metrics below target/);
    console.log(`HPA: scaled up after ${upSeconds.toFixed(1)} s; back to 1 ${((Date.now() / 1000 - end)).toFixed(1)} s after the load stopped`);
    await k(cluster, 'delete', '-n', NS, 'hpa/burn', 'deployment/burn', '--wait=false');
  });
});

const vmiPath = (name: string) => `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances/${name}`;

describe('VirtualMachine', () => {
  it('runStrategy Always restarts the VM after its guest powers off', async () => {
    const vm = {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: { name: 'tiny', namespace: NS },
      spec: {
        runStrategy: 'Always',
        template: {
          metadata: { labels: { app: 'tiny' } },
          spec: {
            terminationGracePeriodSeconds: 5,
            domain: {
              cpu: { cores: 1 },
              resources: { requests: { memory: '128Mi' } },
              firmware: { kernelBoot: { container: { image: 'coxswain/tiny-vm:latest', kernelPath: '/boot/vmlinuz', initrdPath: '/boot/initrd.img' }, kernelArgs: 'console=ttyS0' } },
            },
          },
        },
      },
    };
    expect((await kubectl(cluster, ['apply', '-f', await manifest(JSON.stringify(vm))])).code).toBe(0);
    const first = await waitFor('VMI Running', async () => {
      const obj = await getObj(cluster, vmiPath('tiny'));
      return obj?.status?.phase === 'Running' && obj;
    }, 150_000, 500);

    // The guest powers itself off from its serial shell.
    const ws = new WebSocket(`${cluster.api.url.replace('https', 'wss')}${vmiPath('tiny')}/console`, { headers: { authorization: `Bearer ${cluster.api.tokens.admin}` }, ca: cluster.api.ca });
    let output = '';
    ws.on('message', (data: Buffer) => (output += data.toString()));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await waitFor('guest shell answers', async () => {
      ws.send(Buffer.from('echo up-$((20+22))\n'));
      await new Promise((r) => setTimeout(r, 500));
      return output.includes('up-42');
    }, 60_000, 100);
    const poweredOff = Date.now();
    ws.send(Buffer.from('poweroff\n'));
    const second = await waitFor('a new VMI Running', async () => {
      const obj = await getObj(cluster, vmiPath('tiny'));
      return obj && obj.metadata.uid !== first.metadata.uid && obj.status?.phase === 'Running' && obj;
    }, 150_000, 500);
    ws.close();
    expect(second.metadata.ownerReferences[0]).toMatchObject({ kind: 'VirtualMachine', name: 'tiny', controller: true });
    const status = await waitFor('VM Running', async () => {
      const obj = await getObj(cluster, `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachines/tiny`);
      return obj?.status?.printableStatus === 'Running' && obj.status;
    });
    expect(status.ready).toBe(true);
    console.log(`VM restarted after guest poweroff: Running again after ${((Date.now() - poweredOff) / 1000).toFixed(1)} s`);
  });
});

describe('node failure', () => {
  it("runs a cut-off node's workloads Ready on the other node (default timings), and the node rejoins without duplicates", async () => {
    // The Deployment of the first test (applied again so this test also runs alone).
    await k(cluster, 'apply', '-f', await manifest(JSON.stringify(webDeployment)));
    await waitFor('4 ready pods', async () => (await pods('app=web')).filter(isReady).length === 4, 120_000);
    const vmi = await getObj(cluster, vmiPath('tiny'));
    const victimName = vmi?.status?.nodeName ?? 'node-2';
    const victim = cluster.nodes.find((n) => n.name === victimName)!;
    const survivor = cluster.nodes.find((n) => n.name !== victimName)!;
    const before = (await pods('app=web')).filter(isReady);
    const lost = before.filter((p) => p.spec.nodeName === victimName);
    expect(lost.length + (vmi ? 1 : 0)).toBeGreaterThan(0);

    const cut = Date.now();
    await victim.cutOff();
    // Milestones as the API shows them, for the printed breakdown.
    const seen: Record<string, number> = {};
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const node = await getObj(cluster, `/api/v1/nodes/${victimName}`).catch(() => undefined);
        if (!seen.tainted && (node?.spec?.taints ?? []).some((t: Obj) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute')) seen.tainted = Date.now();
        const current = await pods('app=web').catch(() => undefined);
        if (!seen.evicted && current && lost.every((p) => !current.some((c) => c.metadata.uid === p.metadata.uid && !c.metadata.deletionTimestamp))) seen.evicted = Date.now();
        const v = vmi && (await getObj(cluster, vmiPath('tiny')).catch(() => undefined));
        if (!seen.vmiReplaced && v && v.metadata.uid !== vmi.metadata.uid) seen.vmiReplaced = Date.now();
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    try {
      await waitFor('every workload Ready on the surviving node', async () => {
        const ready = (await pods('app=web')).filter(isReady);
        const v = await getObj(cluster, vmiPath('tiny'));
        const vmOk = !vmi || (v?.status?.phase === 'Running' && v.status.nodeName === survivor.name && v.metadata.uid !== vmi.metadata.uid);
        return ready.length === 4 && ready.every((p) => p.spec.nodeName === survivor.name) && vmOk;
      }, 180_000, 250);
      const seconds = (Date.now() - cut) / 1000;
      watching = false;
      await watcher;
      const at = (ms?: number) => (ms ? `${((ms - cut) / 1000).toFixed(1)} s` : 'n/a');
      console.log(
        `healing: ${lost.length} pod(s)${vmi ? ' and 1 VMI' : ''} of ${victimName} Ready on ${survivor.name} ${seconds.toFixed(1)} s after its network was cut ` +
          `(target ≤ 45 s with default settings; unreachable taint at ${at(seen.tainted)}, pods evicted at ${at(seen.evicted)}${vmi ? `, replacement VMI created at ${at(seen.vmiReplaced)}` : ''})`,
      );
      const node = (await getObj(cluster, `/api/v1/nodes/${victimName}`))!;
      expect(node.spec.taints.map((t: Obj) => `${t.key}:${t.effect}`)).toContain('node.kubernetes.io/unreachable:NoExecute');
      expect(node.status.conditions.find((c: Obj) => c.type === 'Ready').status).toBe('Unknown');
    } finally {
      watching = false;
      await watcher;
      await victim.restore();
    }
    // Back on the network: Ready again, untainted, and what was evicted no longer runs there.
    await waitFor('node Ready and untainted', async () => {
      const node = await getObj(cluster, `/api/v1/nodes/${victimName}`);
      return node?.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True') && !(node.spec.taints ?? []).some((t: Obj) => t.key === 'node.kubernetes.io/unreachable');
    }, 120_000);
    const evicted = new Set(lost.map((p) => p.metadata.uid));
    const driver = new ContainerDriver({ root: join(victim.root, 'containers') });
    await waitFor('evicted containers stopped on the returning node', async () => (await driver.list()).filter((c) => evicted.has(c.labels['io.kubernetes.pod.uid']) && c.status === 'running').length === 0, 60_000, 500);
    expect((await pods('app=web')).filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(4);
  });
});
