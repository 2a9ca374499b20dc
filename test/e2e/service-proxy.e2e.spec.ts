// Services on a 2-node harness cluster: every node agent programs iptables for ClusterIP and
// NodePort traffic and answers cluster DNS on its own address. Pods on both nodes (and a VMI)
// answer behind one name, headless names list every endpoint, SRV records carry named ports,
// rules disappear with their Service and converge again after an agent restart.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RunningCluster, startCluster } from '@coxswain/harness';
import { api, getObj, k, kubectl, Obj, waitFor } from './support';

const run = promisify(execFile);
jest.setTimeout(300_000);

let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, scheduler: false, vms: false });
});

afterAll(async () => {
  await cluster?.stop();
});

const ns = 'default';

async function create(path: string, body: Obj): Promise<Obj> {
  const res = await api(cluster, 'POST', path, body);
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A busybox web server on :80 answering with its pod name. */
const webPod = (name: string, node: string, labels: Obj = { app: 'web' }) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: {
    nodeName: node,
    terminationGracePeriodSeconds: 2,
    containers: [{
      name: 'web',
      image: 'busybox',
      command: ['sh', '-c', 'mkdir -p /www && echo "$HOSTNAME" > /www/index.html && exec httpd -f -p 80 -h /www'],
      ports: [{ name: 'http', containerPort: 80 }],
      readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 },
    }],
  },
});

const service = (name: string, spec: Obj) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'web' }, ...spec } });

/** Runs a shell snippet in the client pod (node-1). */
async function inClient(script: string, timeoutMs = 60_000): Promise<string> {
  const result = await kubectl(cluster, ['exec', 'client', '--', 'sh', '-c', script], { timeoutMs });
  if (result.code !== 0) throw new Error(`exec failed (${result.code}): ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** iptables-save of a node's network namespace (its "host"). */
async function rulesOn(index: number): Promise<string> {
  return (await run('ip', ['netns', 'exec', cluster.nodes[index].host.netns, 'iptables-save', '-t', 'nat'])).stdout;
}

const podIP = async (name: string) => (await getObj(cluster, `/api/v1/namespaces/${ns}/pods/${name}`))?.status?.podIP as string | undefined;

async function readyEndpoints(service: string): Promise<string[]> {
  const list = await getObj(cluster, `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices?labelSelector=kubernetes.io/service-name%3D${service}`);
  return (list?.items ?? []).flatMap((s: Obj) => (s.endpoints ?? []).filter((e: Obj) => e.conditions?.ready !== false).map((e: Obj) => e.addresses[0])).sort();
}

const webPods = ['web-a', 'web-b', 'web-c', 'web-d'];

describe('Services across nodes', () => {
  beforeAll(async () => {
    for (const [i, name] of webPods.entries()) await create(`/api/v1/namespaces/${ns}/pods`, webPod(name, i % 2 === 0 ? 'node-1' : 'node-2'));
    await create(`/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client' }, spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } });
    await create(`/api/v1/namespaces/${ns}/services`, service('web', { ports: [{ name: 'http', port: 80, targetPort: 'http' }] }));
    const ips = await waitFor('4 web pods with IPs', async () => {
      const all = await Promise.all(webPods.map(podIP));
      return all.every(Boolean) ? (all as string[]) : undefined;
    }, 120_000);
    await waitFor('4 ready endpoints for web', async () => (await readyEndpoints('web')).length === 4, 120_000);
    // Every node programs every endpoint.
    await waitFor('endpoints in both nodes\' rules', async () => {
      for (const index of [0, 1]) {
        const rules = await rulesOn(index);
        if (!ips.every((ip) => rules.includes(`--to-destination ${ip}:80`))) return false;
      }
      return true;
    }, 60_000);
    await waitFor('client running', async () => (await getObj(cluster, `/api/v1/namespaces/${ns}/pods/client`))?.status?.phase === 'Running', 120_000);
  });

  it('gives containers a kubelet-style resolv.conf and hosts file', async () => {
    const resolv = await inClient('cat /etc/resolv.conf');
    expect(resolv).toContain('nameserver 10.96.0.10');
    expect(resolv).toMatch(/^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/m);
    expect(resolv).toContain('options ndots:5');
    expect(await inClient('cat /etc/hosts')).toMatch(new RegExp(`^${(await podIP('client'))!.replace(/\./g, '\\.')}\\tclient$`, 'm'));
  });

  it('load-balances web.default.svc.cluster.local over the replicas on both nodes', async () => {
    // The test image is busybox-static: its wget cannot use DNS (static glibc has no nss_dns),
    // so the pod resolves with busybox nslookup (its own resolver, reading /etc/resolv.conf),
    // then connects to the answer. (busybox wget -T crashes, hence no timeout flag.)
    const script = 'ip=$(nslookup web.default.svc.cluster.local | awk \'/^Address: /{a=$2} END{print a}\'); echo "IP $ip"; '
      + 'for i in $(seq 40); do wget -q -O - "http://$ip/" || echo FAILED; done';
    const out = (await inClient(script, 120_000)).trim().split('\n');
    const clusterIP = (await getObj(cluster, `/api/v1/namespaces/${ns}/services/web`))!.spec.clusterIP as string;
    expect(out[0]).toBe(`IP ${clusterIP}`);
    const answers = out.slice(1);
    expect(answers).toHaveLength(40);
    expect(answers.filter((a) => a === 'FAILED')).toEqual([]);
    expect([...new Set(answers)].sort()).toEqual(webPods);
  });

  it('serves a NodePort on each node\'s address and on its 127.0.0.1, from a node\'s host namespace', async () => {
    const svc = await create(`/api/v1/namespaces/${ns}/services`, service('web-np', { type: 'NodePort', ports: [{ port: 80, targetPort: 80 }] }));
    const nodePort = svc.spec.ports[0].nodePort as number;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    for (const from of [0, 1]) {
      // `localhost:<nodePort>` on the node itself, as kube-proxy serves it (route_localnet).
      for (const to of [0, 1, 'localhost'] as const) {
        const url = `http://${to === 'localhost' ? '127.0.0.1' : cluster.nodes[to].host.address}:${nodePort}/`;
        const body = await waitFor(`NodePort ${url} from ${cluster.nodes[from].name}`, async () => {
          const { stdout } = await run('ip', ['netns', 'exec', cluster.nodes[from].host.netns, 'curl', '-sS', '-m', '3', url]).catch(() => ({ stdout: '' }));
          return stdout.trim() || undefined;
        }, 30_000);
        expect(webPods).toContain(body);
      }
    }
  });

  it('answers a headless Service with one A record per endpoint and SRV for its named port', async () => {
    await create(`/api/v1/namespaces/${ns}/services`, service('web-hl', { clusterIP: 'None', ports: [{ name: 'http', port: 80, targetPort: 80 }] }));
    await waitFor('web-hl endpoints', async () => (await readyEndpoints('web-hl')).length === 4, 60_000);
    const ips = (await Promise.all(webPods.map(podIP))).sort();
    const lookup = await inClient('nslookup web-hl.default.svc.cluster.local');
    const found = [...lookup.matchAll(/Address: (\d+\.\d+\.\d+\.\d+)/g)].map((m) => m[1]).filter((ip) => ip !== '10.96.0.10').sort();
    expect(found).toEqual(ips);
    // SRV through the kube-dns ClusterIP from node-1's host namespace (busybox nslookup inside the
    // pod prints no SRV answers with the cluster search path; see the report).
    const srvFromNode = async (name: string) => (await run('ip', ['netns', 'exec', cluster.nodes[0].host.netns, '/bin/busybox', 'nslookup', '-type=srv', name, '10.96.0.10'])).stdout;
    const srv = await srvFromNode('_http._tcp.web-hl.default.svc.cluster.local');
    expect(srv.match(/ 80 \S+\.web-hl\.default\.svc\.cluster\.local/g)?.length ?? srv).toBe(4);
    const clusterSrv = await srvFromNode('_http._tcp.web.default.svc.cluster.local');
    expect(clusterSrv).toMatch(/\b80 web\.default\.svc\.cluster\.local/);
    // A name that does not exist.
    expect((await kubectl(cluster, ['exec', 'client', '--', 'nslookup', 'nope.default.svc.cluster.local'])).stdout + '').toMatch(/NXDOMAIN|can't find/i);
  });

  it('removes the rules of a deleted Service on every node', async () => {
    const svc = await getObj(cluster, `/api/v1/namespaces/${ns}/services/web-np`);
    const clusterIP = svc!.spec.clusterIP as string;
    expect(await rulesOn(0)).toContain(`-d ${clusterIP}/32`);
    await k(cluster, 'delete', 'service', 'web-np');
    for (const index of [0, 1]) {
      await waitFor(`rules for ${clusterIP} gone on node-${index + 1}`, async () => !(await rulesOn(index)).includes(clusterIP), 30_000);
    }
    expect(await rulesOn(0)).toContain('-j COX-NODEPORTS');
  });

  it('converges after a node agent restart: stale rules removed, live ones kept', async () => {
    await create(`/api/v1/namespaces/${ns}/services`, service('web-tmp', { ports: [{ port: 8080, targetPort: 80 }] }));
    const tmpIP = (await getObj(cluster, `/api/v1/namespaces/${ns}/services/web-tmp`))!.spec.clusterIP as string;
    await waitFor('web-tmp on node-1', async () => (await rulesOn(0)).includes(`-d ${tmpIP}/32`), 30_000);
    await cluster.nodes[0].stop();
    await k(cluster, 'delete', 'service', 'web-tmp');
    // While the agent is down its rules stay (the kernel keeps serving Services).
    expect(await rulesOn(0)).toContain(`-d ${tmpIP}/32`);
    await cluster.nodes[0].start();
    await waitFor('node-1 agent serving exec again', async () => (await kubectl(cluster, ['exec', 'client', '--', 'true'])).code === 0, 60_000, 500);
    // A restarted agent re-probes its pods; wait until all four are ready endpoints again.
    await waitFor('4 ready endpoints after the restart', async () => (await readyEndpoints('web')).length === 4, 60_000);
    await waitFor('web-tmp rules gone after restart', async () => !(await rulesOn(0)).includes(tmpIP), 60_000);
    // The live Service is programmed again with all four endpoints.
    const ips = (await Promise.all(webPods.map(podIP))) as string[];
    await waitFor('web endpoints back in node-1 rules', async () => {
      const rules = await rulesOn(0);
      return ips.every((ip) => rules.includes(`--to-destination ${ip}:80`));
    }, 60_000);
    const jumps = (await rulesOn(0)).split('\n').filter((l) => /^-A (PREROUTING|OUTPUT|POSTROUTING) .*-j COX-(SERVICES|POSTROUTING)$/.test(l));
    expect(jumps).toHaveLength(3);
  });
});
