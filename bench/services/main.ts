// `npm run bench -- services`: the Service data plane.
//  1. rules_sync_ms_1000_services: one full proxy sync (iptables-save, plan, iptables-restore) of
//     1,000 Services × 3 endpoints in a network namespace of its own; baseline: iptables-restore
//     alone of the very same ruleset (what the kernel side costs at minimum).
//  2. dns_qps / dns_p99_ms: the cluster DNS server answering `svc.ns.svc.cluster.local` to a
//     client in another network namespace over UDP. dns_qps with 32 queries in flight (the
//     server saturated; dns_p99_ms_32_in_flight is then mostly queueing: in-flight ÷ rate);
//     dns_p99_ms with 2 in flight, what one pod's resolver sends (glibc asks A and AAAA at
//     once). Baseline for both: a UDP echo server at the same place and the same client (the
//     floor of a Node.js UDP round trip here). The server and the echo baseline run in a child
//     process with the node agent's V8 flags (--jitless: about two thirds of the saturated q/s
//     of a JIT process), the client in an ordinary one.
//     dns_p99_ms_spawning_direct / _helper: the same one-pod figure while the server's process
//     also runs host commands 4 at a time (what the node agent does: ip, iptables, runc for pod
//     starts, probes, proxy syncs), through child_process vs libs/runtime's coxspawn helper —
//     the event-loop stalls a query waits behind in the agent; dns_loop_delay_p99_ms_* beside.
//  3. endpoint_propagation_p50_ms / p99_ms on a 2-node harness cluster: Pod Ready (seen on the
//     API) → its address in the DNAT rules of every node.
// Ends with one JSON line. `--skip-cluster` leaves out part 3, `--only-cluster` parts 1 and 2,
// `--only-dns` runs part 2 alone, `--compare-spawner` repeats part 3 with the agents forking
// through child_process (`--spawner direct`) for a same-run baseline.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { request } from 'undici';
import { DirectSpawner, HelperSpawner, Spawner } from '@coxswain/runtime';
import { nodeFlags, startCluster, tlsDispatcher, RunningCluster } from '@coxswain/harness';
import { DnsServer } from '../../apps/node-agent/src/dns/server';
import { buildZone } from '../../apps/node-agent/src/dns/zone';
import { execIptables } from '../../apps/node-agent/src/proxy/iptables';
import { planRules } from '../../apps/node-agent/src/proxy/plan';
import { syncRules } from '../../apps/node-agent/src/proxy/service-proxy';
import { EndpointSliceView, ServiceView } from '../../apps/node-agent/src/proxy/shapes';
import { round, summarize } from '../lib/stats';

const run = promisify(execFile);
const tag = randomBytes(2).toString('hex');
const SERVICES = 1000;
const ROUNDS = 3;

function fleet(n: number): { services: ServiceView[]; slices: EndpointSliceView[] } {
  const services: ServiceView[] = [];
  const slices: EndpointSliceView[] = [];
  for (let i = 0; i < n; i++) {
    const name = `svc-${i}`;
    services.push({ metadata: { name, namespace: 'bench' }, spec: { clusterIP: `10.100.${i >> 8}.${i & 255}`, ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
    slices.push({
      metadata: { name: `${name}-x`, namespace: 'bench', labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      endpoints: [0, 1, 2].map((j) => ({ addresses: [`10.${200 + j}.${i >> 8}.${i & 255}`], conditions: { ready: true } })),
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
  }
  return { services, slices };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function rulesBench(): Promise<Record<string, number>> {
  const ns = `cxbsvc${tag}`;
  await run('ip', ['netns', 'add', ns]);
  try {
    const iptables = execIptables(['ip', 'netns', 'exec', ns]);
    const desired = fleet(SERVICES);
    const planMs: number[] = [];
    const firstMs: number[] = [];
    const steadyMs: number[] = [];
    const rawMs: number[] = [];
    let rules = 0;
    for (let r = 0; r < ROUNDS; r++) {
      // Start empty each round: the first sync creates every chain.
      await syncRules(iptables, { services: [], slices: [] });
      let t = performance.now();
      await syncRules(iptables, desired);
      firstMs.push(performance.now() - t);
      t = performance.now();
      const plan = await syncRules(iptables, desired);
      steadyMs.push(performance.now() - t);
      rules = plan.ruleCount;
      t = performance.now();
      planRules(desired, {});
      planMs.push(performance.now() - t);
      // Baseline: the kernel-side work alone, the identical ruleset restored again.
      t = performance.now();
      await iptables.restore(plan.text);
      rawMs.push(performance.now() - t);
    }
    const first = median(firstMs);
    const raw = median(rawMs);
    console.log(`rules: ${SERVICES} Services × 3 endpoints = ${rules} rules; sync ${round(first)} ms (first), ${round(median(steadyMs))} ms (steady), plan ${round(median(planMs))} ms; raw iptables-restore ${round(raw)} ms`);
    return { rules_sync_ms_1000_services: round(first), rules_sync_steady_ms_1000_services: round(median(steadyMs)), rules_plan_ms_1000_services: round(median(planMs)), iptables_restore_ms_baseline: round(raw), rules_sync_vs_restore: round(first / raw), rules_1000_services: rules };
  } finally {
    await run('ip', ['netns', 'del', ns]).catch(() => undefined);
  }
}

/** Runs a helper process from the repository root; its stdout lines, the last one JSON. */
async function runForJson<T>(what: string, command: string, args: string[], env = process.env): Promise<{ result: T; before: string[] }> {
  const child = spawn(command, args, { cwd: join(__dirname, '..', '..'), env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number>((r) => child.on('exit', (c) => r(c ?? 1)));
  if (code !== 0) throw new Error(`${what} exited ${code}`);
  const lines = out.trim().split('\n');
  return { result: JSON.parse(lines.at(-1)!) as T, before: lines.slice(0, -1) };
}

async function dnsClient(ns: string, server: string, port: number, name: string, total: number, inFlight = 32): Promise<{ qps: number; p50_ms: number; p99_ms: number; failures: number }> {
  const script = join(__dirname, 'dns-client.ts');
  return (await runForJson<{ qps: number; p50_ms: number; p99_ms: number; failures: number }>('dns client', 'ip', ['netns', 'exec', ns, process.execPath, '-r', '@swc-node/register', script, server, String(port), name, String(total), String(inFlight)])).result;
}

async function dnsBench(): Promise<Record<string, number>> {
  const ns = `cxbdns${tag}`;
  const subnet = `10.254.${parseInt(tag.slice(0, 2), 16)}`;
  const hostIf = `cxbd${tag}h`;
  await run('ip', ['netns', 'add', ns]);
  const echo = createSocket('udp4');
  let server: DnsServer | undefined;
  try {
    await run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    await run('ip', ['addr', 'add', `${subnet}.1/30`, 'dev', hostIf]);
    await run('ip', ['link', 'set', hostIf, 'up']);
    await run('ip', ['netns', 'exec', ns, 'ip', 'addr', 'add', `${subnet}.2/30`, 'dev', 'eth0']);
    await run('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'eth0', 'up']);
    const { services, slices } = fleet(SERVICES);
    const zone = buildZone({ domain: 'cluster.local', services, slices });
    server = new DnsServer({ host: `${subnet}.1`, port: 0, zone: () => zone, upstreams: [], logger: { warn: () => undefined, debug: () => undefined } });
    await server.start();
    echo.on('message', (msg, rinfo) => echo.send(msg, rinfo.port, rinfo.address));
    await new Promise<void>((r) => echo.bind(0, `${subnet}.1`, () => r()));
    const name = 'svc-500.bench.svc.cluster.local';
    await dnsClient(ns, `${subnet}.1`, server.port, name, 2000); // warm-up
    const dns = await dnsClient(ns, `${subnet}.1`, server.port, name, 20_000);
    const raw = await dnsClient(ns, `${subnet}.1`, echo.address().port, name, 20_000);
    const pod = await dnsClient(ns, `${subnet}.1`, server.port, name, 10_000, 2);
    const podRaw = await dnsClient(ns, `${subnet}.1`, echo.address().port, name, 10_000, 2);
    // Host commands in the same process, as the agent runs them, while one pod queries.
    const whileSpawning = async (spawner: Spawner) => {
      let stop = false;
      const delay = monitorEventLoopDelay({ resolution: 1 });
      const lanes = Array.from({ length: 4 }, async () => {
        while (!stop) await spawner.run('ip', ['-j', 'link', 'show', 'lo']);
      });
      delay.enable();
      const result = await dnsClient(ns, `${subnet}.1`, server!.port, name, 5_000, 2).finally(() => (stop = true));
      delay.disable();
      await Promise.all(lanes);
      return { ...result, loopP99: delay.percentile(99) / 1e6 };
    };
    const helper = new HelperSpawner();
    const spawningDirect = await whileSpawning(new DirectSpawner());
    const spawningHelper = await whileSpawning(helper);
    helper.close();
    console.log(`dns, 2 in flight while 4 host commands run at a time: child_process p50 ${round(spawningDirect.p50_ms, 3)} ms p99 ${round(spawningDirect.p99_ms, 3)} ms (loop delay p99 ${round(spawningDirect.loopP99)} ms); coxspawn p50 ${round(spawningHelper.p50_ms, 3)} ms p99 ${round(spawningHelper.p99_ms, 3)} ms (loop delay p99 ${round(spawningHelper.loopP99)} ms)`);
    console.log(`dns, 32 in flight: ${dns.qps} q/s p50 ${round(dns.p50_ms, 3)} ms p99 ${round(dns.p99_ms, 3)} ms (${dns.failures} lost); UDP echo baseline ${raw.qps} q/s p99 ${round(raw.p99_ms, 3)} ms`);
    console.log(`dns, 2 in flight (one pod): p50 ${round(pod.p50_ms, 3)} ms p99 ${round(pod.p99_ms, 3)} ms (${pod.failures} lost); UDP echo baseline p50 ${round(podRaw.p50_ms, 3)} ms p99 ${round(podRaw.p99_ms, 3)} ms`);
    return {
      dns_qps: dns.qps, dns_p50_ms: round(pod.p50_ms, 3), dns_p99_ms: round(pod.p99_ms, 3), dns_lost: dns.failures + pod.failures,
      dns_p99_ms_spawning_direct: round(spawningDirect.p99_ms, 3), dns_p99_ms_spawning_helper: round(spawningHelper.p99_ms, 3),
      dns_loop_delay_p99_ms_spawning_direct: round(spawningDirect.loopP99), dns_loop_delay_p99_ms_spawning_helper: round(spawningHelper.loopP99),
      dns_p99_ms_32_in_flight: round(dns.p99_ms, 3), udp_echo_qps_baseline: raw.qps, udp_echo_p99_ms_baseline: round(podRaw.p99_ms, 3), udp_echo_p99_ms_32_in_flight_baseline: round(raw.p99_ms, 3), dns_vs_echo_qps: round(dns.qps / raw.qps),
    };
  } finally {
    echo.close();
    await server?.stop();
    await run('ip', ['netns', 'del', ns]).catch(() => undefined);
    await run('ip', ['link', 'del', hostIf]).catch(() => undefined);
  }
}

async function propagationBench(pods: number, spawner: 'helper' | 'direct' = 'helper'): Promise<Record<string, number>> {
  const cluster: RunningCluster = await startCluster({ nodes: 2, scheduler: false, vms: false, agentArgs: ['--spawner', spawner] });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await request(`${cluster.api.url}${path}`, { method: method as 'GET', headers: { authorization: `Bearer ${cluster.api.tokens.admin}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), dispatcher: tlsDispatcher(cluster.api.ca!) });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
    return JSON.parse(text);
  };
  const nodeRulesHave = async (node: RunningCluster['nodes'][number], ip: string) => (await run('ip', ['netns', 'exec', node.host.netns, 'iptables-save', '-t', 'nat'])).stdout.includes(`--to-destination ${ip}:80`);
  const sliceHas = async (ip: string) => {
    const list = await call('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dprop');
    return list.items.some((s: { endpoints?: Array<{ addresses: string[]; conditions?: { ready?: boolean } }> }) => (s.endpoints ?? []).some((e) => e.addresses[0] === ip && e.conditions?.ready));
  };
  /** The agents' own sync timings (their Prometheus histograms), to tell the kernel side from the rest. */
  const proxySyncs = async () => Promise.all(cluster.nodes.map(async (node) => {
    const text = await run('ip', ['netns', 'exec', node.host.netns, 'curl', '-sS', '-m', '5', `http://${node.host.address}:10255/metrics`]).then((r) => r.stdout, () => '');
    const value = (name: string) => Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? NaN);
    return { sum: value('coxswain_proxy_sync_proxy_rules_duration_seconds_sum'), count: value('coxswain_proxy_sync_proxy_rules_duration_seconds_count'), lagP99: value('nodejs_eventloop_lag_p99_seconds') };
  }));
  try {
    await call('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'prop' }, spec: { selector: { app: 'prop' }, ports: [{ port: 80 }] } });
    const samples: number[] = [];
    const sliceSamples: number[] = [];
    for (let i = 0; i < pods; i++) {
      const name = `prop-${i}`;
      await call('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'prop' } }, spec: { nodeName: cluster.nodes[i % 2].name, terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } });
      let ip = '';
      let readyAt = 0;
      for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
        const pod = await call('GET', `/api/v1/namespaces/default/pods/${name}`);
        if (pod.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True')) {
          ip = pod.status.podIP;
          readyAt = performance.now();
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      if (!ip) throw new Error(`${name} never became Ready`);
      // Where the time goes: the ready endpoint in the API (controller), then in each node's rules
      // (watch + proxy sync); every stage polled concurrently.
      const seen: Record<string, number> = {};
      const poll = async (stage: string, check: () => Promise<boolean>) => {
        for (const deadline = Date.now() + 60_000; ; ) {
          if (await check()) return void (seen[stage] = performance.now() - readyAt);
          if (Date.now() > deadline) throw new Error(`${ip}: ${stage} not reached`);
          await new Promise((r) => setTimeout(r, 5));
        }
      };
      await Promise.all([poll('slice', () => sliceHas(ip)), ...cluster.nodes.map((node) => poll(node.name, () => nodeRulesHave(node, ip)))]);
      samples.push(Math.max(...cluster.nodes.map((n) => seen[n.name])));
      sliceSamples.push(seen.slice);
    }
    const s = summarize(samples);
    const slice = summarize(sliceSamples);
    const syncs = await proxySyncs();
    // NaN where a node's metrics could not be read (reported as such, left out of the JSON figure).
    const syncMs = syncs.map((x) => round((x.sum / x.count) * 1000));
    // The agents' own event-loop lag (prom-client's p99 over its monitoring window, at the end).
    const lagMs = syncs.map((x) => round(x.lagP99 * 1000));
    console.log(`propagation (agents' spawner: ${spawner}): Pod Ready → rules on both nodes p50 ${s.p50} ms p99 ${s.p99} ms over ${s.n} pods; Ready → ready endpoint in the API p50 ${slice.p50} ms p99 ${slice.p99} ms; mean proxy sync per node ${syncMs.join(', ')} ms (${syncs.map((x) => x.count).join(', ')} syncs); agent event-loop lag p99 ${lagMs.join(', ')} ms`);
    console.log(`propagation per pod, in creation order (ms, rules on both nodes / slice): ${samples.map((x, i) => `${round(x, 0)}/${round(sliceSamples[i], 0)}`).join(' ')}`);
    const suffix = spawner === 'helper' ? '' : `_${spawner}`;
    return {
      [`endpoint_propagation_p50_ms${suffix}`]: s.p50, [`endpoint_propagation_p99_ms${suffix}`]: s.p99, [`propagation_pods${suffix}`]: s.n, [`endpoint_slice_p50_ms${suffix}`]: slice.p50, [`endpoint_slice_p99_ms${suffix}`]: slice.p99,
      [`proxy_sync_mean_ms${suffix}`]: Math.max(...syncMs.filter(Number.isFinite)), [`agent_loop_lag_p99_ms${suffix}`]: Math.max(...lagMs.filter(Number.isFinite)),
    };
  } finally {
    await cluster.stop();
  }
}

/**
 * The DNS part in a child process running with the node agent's V8 flags (`--jitless` among
 * them), as the server runs inside the agent; the query client stays an ordinary process.
 */
async function dnsBenchAsAgent(): Promise<Record<string, number>> {
  const { result, before } = await runForJson<Record<string, number>>('dns bench', process.execPath, [...nodeFlags('node-agent'), '--expose-gc', '-r', '@swc-node/register', __filename], { ...process.env, BENCH_DNS_IN_PROCESS: '1' });
  console.log(before.join('\n'));
  return result;
}

async function main(): Promise<void> {
  const skipCluster = process.argv.includes('--skip-cluster');
  const onlyCluster = process.argv.includes('--only-cluster');
  const onlyDns = process.argv.includes('--only-dns');
  if (process.env.BENCH_DNS_IN_PROCESS) {
    console.log(JSON.stringify(await dnsBench()));
    return;
  }
  const rules = onlyCluster || onlyDns ? {} : await rulesBench();
  const dns = onlyCluster ? {} : await dnsBenchAsAgent();
  const propagation = skipCluster || onlyDns ? {} : await propagationBench(20);
  // `--compare-spawner`: the same on agents forking with child_process (the state before coxspawn).
  const direct = process.argv.includes('--compare-spawner') && !skipCluster && !onlyDns ? await propagationBench(20, 'direct') : {};
  console.log(JSON.stringify({ ...propagation, ...direct, ...dns, ...rules }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
