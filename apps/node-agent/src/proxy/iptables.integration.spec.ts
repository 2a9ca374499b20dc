// The service proxy's rules on real iptables: a "node" network namespace with a bridge and two
// "pod" namespaces serving HTTP with busybox httpd, all created (and removed) by this test.
// Needs root, curl and Debian's busybox-static (httpd).
import { execFile, spawn, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseSave } from './chains';
import { execIptables } from './iptables';
import { ProxyDesired } from './plan';
import { syncRules } from './service-proxy';
import { EndpointSliceView, ServiceView } from './shapes';

const exec = promisify(execFile);
jest.setTimeout(120_000);

const tag = randomBytes(3).toString('hex');
const node = `npxn${tag}`;
const pods = [`npxa${tag}`, `npxb${tag}`];
const net = `10.${100 + (parseInt(tag.slice(0, 2), 16) % 100)}.${parseInt(tag.slice(2, 4), 16)}`;
const gateway = `${net}.1`;
const podIPs = [`${net}.2`, `${net}.3`];
const nodeIP = `${net}.1`;
const BUSYBOX = '/bin/busybox';
const servers: ChildProcess[] = [];
let dir: string;

const inNs = (ns: string, ...argv: string[]) => exec('ip', ['netns', 'exec', ns, ...argv], { timeout: 30_000 });
const iptables = execIptables(['ip', 'netns', 'exec', node]);

/** GET with curl inside `ns` (busybox wget -T crashes); resolves to the body or the error text. */
async function get(ns: string, url: string): Promise<string> {
  try {
    return (await inNs(ns, 'curl', '-sS', '-m', '3', url)).stdout.trim();
  } catch (error) {
    return `ERROR ${(error as { stderr?: string }).stderr?.trim() ?? String(error)}`;
  }
}

const svc = (name: string, spec: ServiceView['spec']): ServiceView => ({ metadata: { name, namespace: 'default' }, spec });
const slice = (service: string, ips: string[]): EndpointSliceView => ({
  metadata: { name: `${service}-1`, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
});
const web = svc('web', { type: 'NodePort', clusterIP: '10.96.7.20', ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }] });
const sticky = svc('sticky', { clusterIP: '10.96.7.21', sessionAffinity: 'ClientIP', ports: [{ name: 'http', port: 80 }] });
const empty = svc('empty', { clusterIP: '10.96.7.22', ports: [{ name: 'http', port: 80 }] });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cox-proxy-'));
  await exec('ip', ['netns', 'add', node]);
  await inNs(node, 'ip', 'link', 'set', 'lo', 'up');
  await inNs(node, 'ip', 'link', 'add', 'br0', 'type', 'bridge');
  await inNs(node, 'ip', 'addr', 'add', `${gateway}/24`, 'dev', 'br0');
  await inNs(node, 'ip', 'link', 'set', 'br0', 'up');
  // Like any host, the node has a default route (ClusterIPs are routed before OUTPUT's DNAT).
  await inNs(node, 'ip', 'link', 'add', 'uplink0', 'type', 'veth', 'peer', 'name', 'uplink1');
  await inNs(node, 'ip', 'link', 'set', 'uplink1', 'up');
  await inNs(node, 'ip', 'link', 'set', 'uplink0', 'up');
  await inNs(node, 'ip', 'route', 'add', 'default', 'dev', 'uplink0');
  for (const [i, pod] of pods.entries()) {
    await exec('ip', ['netns', 'add', pod]);
    await inNs(node, 'ip', 'link', 'add', `veth${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod);
    await inNs(node, 'ip', 'link', 'set', `veth${i}`, 'master', 'br0', 'up');
    await inNs(node, 'ip', 'link', 'set', 'dev', `veth${i}`, 'type', 'bridge_slave', 'hairpin', 'on'); // as PodNetwork does
    await inNs(pod, 'ip', 'link', 'set', 'lo', 'up');
    await inNs(pod, 'ip', 'addr', 'add', `${podIPs[i]}/24`, 'dev', 'eth0');
    await inNs(pod, 'ip', 'link', 'set', 'eth0', 'up');
    await inNs(pod, 'ip', 'route', 'add', 'default', 'via', gateway);
    const www = join(dir, pod);
    await exec('mkdir', ['-p', www]);
    await writeFile(join(www, 'index.html'), `pod-${i}\n`);
    servers.push(spawn('ip', ['netns', 'exec', pod, BUSYBOX, 'httpd', '-f', '-p', '8080', '-h', www], { stdio: 'ignore' }));
  }
  await inNs(node, 'sh', '-c', 'echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables && echo 1 > /proc/sys/net/ipv4/ip_forward');
  // Someone else's chain in the same tables: the proxy must leave it alone.
  await inNs(node, 'iptables', '-t', 'nat', '-N', 'COX-HP-other');
  await inNs(node, 'iptables', '-t', 'nat', '-A', 'COX-HP-other', '-p', 'tcp', '--dport', '9999', '-j', 'RETURN');
  for (const ip of podIPs) expect(await waitFor(() => get(node, `http://${ip}:8080/`), (b) => b.startsWith('pod-'))).toMatch(/^pod-/);
});

afterAll(async () => {
  for (const server of servers) server.kill('SIGKILL');
  for (const ns of [...pods, node]) await exec('ip', ['netns', 'del', ns]).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const desired = (over: Partial<ProxyDesired> = {}): ProxyDesired => ({
  services: [web, sticky, empty],
  slices: [slice('web', podIPs), slice('sticky', podIPs)],
  clusterCidr: `${net}.0/24`,
  ...over,
});

const countBackends = async (ns: string, url: string, tries: number) => {
  const seen = new Map<string, number>();
  for (let i = 0; i < tries; i++) {
    const body = await get(ns, url);
    seen.set(body, (seen.get(body) ?? 0) + 1);
  }
  return seen;
};

describe('service rules on real iptables', () => {
  it('load-balances a ClusterIP over both endpoints, from the node and from a pod', async () => {
    await syncRules(iptables, desired());
    const fromNode = await countBackends(node, 'http://10.96.7.20/', 30);
    expect([...fromNode.keys()].sort()).toEqual(['pod-0', 'pod-1']);
    // A pod reaches the Service, including when the choice lands on itself (hairpin).
    const fromPod = await countBackends(pods[0], 'http://10.96.7.20/', 30);
    expect([...fromPod.keys()].sort()).toEqual(['pod-0', 'pod-1']);
  });

  it('serves the NodePort on the node address', async () => {
    expect(await get(pods[1], `http://${nodeIP}:30080/`)).toMatch(/^pod-[01]$/);
  });

  it('keeps a client on one endpoint with sessionAffinity ClientIP', async () => {
    const seen = await countBackends(pods[1], 'http://10.96.7.21/', 15);
    expect(seen.size).toBe(1);
    expect([...seen.keys()][0]).toMatch(/^pod-[01]$/);
  });

  it('rejects connections to a Service without endpoints', async () => {
    expect(await get(node, 'http://10.96.7.22/')).toMatch(/ERROR.*(refused|Couldn't connect)/i);
  });

  it('converges without duplicates when synced again (an agent restart)', async () => {
    const before = await iptables.save();
    await syncRules(iptables, desired());
    const after = await iptables.save();
    const ours = (text: string) => text.split('\n').filter((l) => l.startsWith('-A') && l.includes('COX-')).sort();
    expect(ours(after)).toEqual(ours(before));
    const jumps = after.split('\n').filter((l) => /^-A (PREROUTING|OUTPUT|POSTROUTING|INPUT|FORWARD) .*-j COX-/.test(l));
    expect(jumps).toHaveLength(8);
  });

  it('follows endpoint changes and removes everything of a deleted Service, leaving others\' chains', async () => {
    await syncRules(iptables, desired({ slices: [slice('web', [podIPs[1]]), slice('sticky', podIPs)] }));
    expect([...(await countBackends(node, 'http://10.96.7.20/', 10)).keys()]).toEqual(['pod-1']);

    const plan = await syncRules(iptables, desired({ services: [], slices: [] }));
    expect(plan.staleChains.length).toBeGreaterThan(0);
    const saved = await iptables.save();
    const tables = parseSave(saved);
    expect([...tables.nat.chains].filter((c) => /^COX-(SVC|SEP|EXT)-/.test(c))).toEqual([]);
    expect(saved).not.toContain('10.96.7.');
    expect(tables.nat.chains.has('COX-HP-other')).toBe(true);
    expect(tables.nat.rules).toContain('-A COX-HP-other -p tcp -m tcp --dport 9999 -j RETURN');
    expect(await get(node, 'http://10.96.7.20/')).toMatch(/^ERROR/);
  });
});
