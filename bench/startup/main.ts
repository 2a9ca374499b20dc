// Start-up benchmark on a real one-node cluster: Pod apply→Running and VMI apply→Running
// (through the scheduler when it runs), next to a bare `runc run` and a bare QEMU boot of the
// same kernel measured in the same run (a bare boot before each VMI), and where a pod's time goes (apply→bound from the
// watch, the agent's sandbox and container steps from its own metrics). Last line: JSON.
import { request } from 'undici';
import { buildTinyVmFiles, startCluster, tlsDispatcher, RunningCluster } from '@coxswain/harness';
import { bareQemuBoots, bareRuncRuns } from '../lib/baselines';
import { pssMb, round, rssMb, summarize } from '../lib/stats';
import { agentStartTotals, meanSeconds } from '../lib/agent-metrics';
import { watchPods } from './pod-timeline';

const PODS = Number(process.env.BENCH_PODS ?? 20);
const VMIS = Number(process.env.BENCH_VMIS ?? 3);
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(cluster: RunningCluster, method: string, path: string, body?: unknown): Promise<Obj> {
  const res = await request(`${cluster.api.url}${path}`, {
    method: method as 'GET',
    headers: { authorization: `Bearer ${cluster.api.tokens.admin}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: tlsDispatcher(cluster.api.ca!),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
  return JSON.parse(text) as Obj;
}

async function until(cluster: RunningCluster, path: string, done: (obj: Obj) => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const obj = await call(cluster, 'GET', path).catch(() => undefined);
    if (obj && done(obj)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${path}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Polls until GET answers 404. */
async function untilGone(cluster: RunningCluster, path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const gone = await call(cluster, 'GET', path).then(() => false, (error: Error) => / 404 /.test(error.message));
    if (gone) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${path} to go`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  const cluster = await startCluster({ nodes: 1, controllers: false });
  const scheduled = Boolean(cluster.components.scheduler);
  try {
    const node = cluster.nodes[0].name;
    // Warm the image cache once, as a node that has run a pod before would be.
    await call(cluster, 'POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'warm' }, spec: { nodeName: node, containers: [{ name: 'a', image: 'busybox', command: ['sleep', '600'] }] } });
    await until(cluster, '/api/v1/namespaces/default/pods/warm', (p) => p.status?.phase === 'Running', 60_000);
    const podMs: number[] = [];
    const boundMs: number[] = [];
    const address = cluster.nodes[0].host.address;
    const agentBefore = await agentStartTotals(address);
    const pods = await watchPods(cluster, 'default');
    for (let i = 0; i < PODS; i++) {
      const name = `start-${i}`;
      const start = performance.now();
      await call(cluster, 'POST', '/api/v1/namespaces/default/pods', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { ...(scheduled ? {} : { nodeName: node }), terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox', imagePullPolicy: 'IfNotPresent', command: ['sleep', '600'], resources: { requests: { cpu: '10m', memory: '8Mi' } } }] },
      });
      const times = await pods.timeline.running(name, 60_000);
      podMs.push(times.running! - start);
      boundMs.push((times.bound ?? times.running!) - start);
    }
    pods.close();
    const agent = meanSeconds(await agentStartTotals(address), agentBefore);
    const vmiMs: number[] = [];
    const qemuMs: number[] = [];
    const files = await buildTinyVmFiles();
    for (let i = 0; i < VMIS; i++) {
      // A bare boot right before each VMI, so both of a pair meet the same machine (TCG boots
      // here vary by hundreds of ms from one minute to the next).
      qemuMs.push(...(await bareQemuBoots(1, files.kernelPath, files.initrdPath)));
      const name = `vm-${i}`;
      const start = performance.now();
      await call(cluster, 'POST', '/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances', {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachineInstance',
        metadata: { name },
        spec: {
          ...(scheduled ? {} : { nodeName: node }),
          terminationGracePeriodSeconds: 5,
          domain: { cpu: { cores: 1 }, resources: { requests: { memory: '128Mi' } }, firmware: { kernelBoot: { container: { image: 'coxswain/tiny-vm:latest', kernelPath: '/boot/vmlinuz', initrdPath: '/boot/initrd.img' } } } },
        },
      });
      await until(cluster, `/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances/${name}`, (v) => v.status?.phase === 'Running', 120_000);
      vmiMs.push(performance.now() - start);
      await call(cluster, 'DELETE', `/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances/${name}`);
      // The bare QEMU boots run one at a time with no other VM alive; so do these: the next VMI
      // starts once this one's QEMU is gone (its guest shutting down within the grace period
      // took a core from the next boot under TCG).
      await untilGone(cluster, `/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances/${name}`, 60_000);
    }
    const agentRss = await rssMb(cluster.nodes[0].process()!.child.pid!);
    const agentPss = await pssMb(cluster.nodes[0].process()!.child.pid!);
    const apiRss = await rssMb(cluster.api.pid);
    const runcMs = await bareRuncRuns(PODS);
    const p = summarize(podMs);
    const v = summarize(vmiMs);
    const r = summarize(runcMs);
    const q = summarize(qemuMs);
    const sandboxMs = round((agent.sandbox_s_mean ?? 0) * 1000, 1);
    const containerMs = round((agent.container_s_mean ?? 0) * 1000, 1);
    const b = summarize(boundMs);
    // What the agent's two timed steps leave: its reaction to the binding, the pass that writes
    // the status, the status write through the API server and etcd, and the watch back to us.
    const restMs = round(p.mean - b.mean - sandboxMs - containerMs, 1);
    console.log(`pods (${scheduled ? 'through the scheduler' : 'pre-bound'}): apply→Running p50 ${p.p50} ms p99 ${p.p99} ms; bare runc run p50 ${r.p50} ms`);
    console.log(`  where a pod's time goes (means, of ${p.mean} ms): apply→bound ${b.mean} ms, sandbox ${sandboxMs} ms (cgroup, network, DNS files, namespaces), container ${containerMs} ms (rootfs, runc create+start), the rest ${restMs} ms (agent passes, status write, watch)`);
    // Median of each VMI's time minus the bare boot made just before it.
    const vmiMinusQemu = summarize(vmiMs.map((ms, i) => ms - qemuMs[i])).p50;
    console.log(`VMIs: apply→Running p50 ${v.p50} ms p99 ${v.p99} ms; bare QEMU boot p50 ${q.p50} ms; VMI minus the bare boot before it, median ${round(vmiMinusQemu, 0)} ms (pairs: ${vmiMs.map((ms, i) => round(ms - qemuMs[i], 0)).join(', ')})`);
    console.log(`RSS: node agent ${agentRss} MB (PSS ${agentPss} MB; ~50 MB of RSS is the Node binary shared by every Node process), apiserver ${apiRss} MB`);
    console.log(JSON.stringify({ pod_p50_ms: p.p50, pod_p99_ms: p.p99, runc_p50_ms: r.p50, pod_bound_ms: b.mean, pod_sandbox_ms: sandboxMs, pod_container_ms: containerMs, pod_rest_ms: restMs, vmi_p50_ms: v.p50, vmi_p99_ms: v.p99, qemu_p50_ms: q.p50, vmi_minus_qemu_ms: round(vmiMinusQemu, 0), agent_rss_mb: agentRss, agent_pss_mb: agentPss, apiserver_rss_mb: apiRss, pods: PODS, vmis: VMIS, scheduled }));
  } finally {
    await cluster.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
