// More Services on a 2-node harness cluster: a Pod and a VMI behind one Service both answer
// through its ClusterIP; a Deployment rolls while a client loop in a pod hits the Service name
// without a single failed request (readiness gates new endpoints, preStop holds the old ones
// until every node's proxy has dropped them); `kubectl port-forward svc/…` and
// `coxctl port-forward svc/…` fetch a page; Local traffic policies keep traffic on the node
// (dropped where the node has no endpoint, except for the node itself and its pods).
import { ChildProcess, execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { RunningCluster, startCluster } from '@coxswain/harness';
import { api, getObj, KUBECTL, kubectl, manifest, Obj, spawnUntilOutput, waitFor } from './support';

const run = promisify(execFile);
jest.setTimeout(420_000);

let cluster: RunningCluster;
const children: ChildProcess[] = [];

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2 });
  await create('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client' }, spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } });
  await waitFor('client Running', async () => (await getObj(cluster, '/api/v1/namespaces/default/pods/client'))?.status?.phase === 'Running', 120_000);
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await cluster?.stop();
});

const COXCTL = join(__dirname, '..', '..', 'apps', 'cli', 'bin', 'coxctl');

async function create(path: string, body: Obj): Promise<Obj> {
  const res = await api(cluster, 'POST', path, body);
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Runs a shell snippet in the client pod (node-1), or another pod. */
async function inClient(script: string, timeoutMs = 60_000, pod = 'client'): Promise<string> {
  const result = await kubectl(cluster, ['exec', pod, '--', 'sh', '-c', script], { timeoutMs });
  if (result.code !== 0) throw new Error(`exec failed (${result.code}): ${result.stderr}${result.stdout}`);
  return result.stdout;
}

async function readyEndpoints(service: string): Promise<Obj[]> {
  const list = await getObj(cluster, `/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io/service-name%3D${service}`);
  return (list?.items ?? []).flatMap((s: Obj) => (s.endpoints ?? []).filter((e: Obj) => e.conditions?.ready).map((e: Obj) => ({ ...e, port: s.ports?.[0]?.port })));
}

/** iptables-save -t nat of a node's network namespace (its "host"). */
const rulesOn = async (index: number) => (await run('ip', ['netns', 'exec', cluster.nodes[index].host.netns, 'iptables-save', '-t', 'nat'])).stdout;

/** Waits until every node's DNAT rules hold exactly these `ip:port` endpoints for the Service. */
async function programmedEverywhere(service: string, backends: string[]): Promise<void> {
  await waitFor(`${service} → ${backends.join(',')} on every node`, async () => {
    for (const index of [0, 1]) {
      const rules = (await rulesOn(index)).split('\n').filter((l) => l.includes(`default/${service}`) && l.includes('--to-destination'));
      const found = rules.map((l) => l.match(/--to-destination (\S+)/)![1]).sort();
      if (JSON.stringify(found) !== JSON.stringify([...backends].sort())) return false;
    }
    return true;
  }, 60_000, 500);
}

/** Starts a long-running CLI and resolves with the first output match. */
const startForward = (bin: string, args: string[], pattern: RegExp) => spawnUntilOutput(children, bin, args, pattern);

describe('a Pod and a VMI behind one Service', () => {
  beforeAll(async () => {
    const objects = `
apiVersion: v1
kind: Pod
metadata: {name: mix-pod, labels: {app: mix}}
spec:
  nodeName: node-2
  terminationGracePeriodSeconds: 1
  containers:
  - name: httpd
    image: busybox
    command: [sh, -c, 'mkdir -p /www && echo "hello from $(hostname)" > /www/index.html && exec httpd -f -p 8080 -h /www']
    ports: [{name: http, containerPort: 8080}]
    readinessProbe: {tcpSocket: {port: http}, periodSeconds: 1}
---
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: mix-vm, labels: {app: mix}}
spec:
  terminationGracePeriodSeconds: 5
  domain:
    cpu: {cores: 1}
    resources: {requests: {memory: 128Mi}}
    devices:
      interfaces: [{name: default, masquerade: {}, ports: [{name: http, port: 80}]}]
    firmware:
      kernelBoot:
        container: {image: coxswain/tiny-vm:latest, kernelPath: /boot/vmlinuz, initrdPath: /boot/initrd.img}
        kernelArgs: console=ttyS0
  networks: [{name: default, pod: {}}]
---
apiVersion: v1
kind: Service
metadata: {name: mix}
spec:
  selector: {app: mix}
  ports: [{name: http, port: 80, targetPort: http}]
`;
    expect((await kubectl(cluster, ['apply', '-f', await manifest(objects)])).code).toBe(0);
  });

  it('answers through the ClusterIP from both the Pod (:8080) and the VM guest (:80)', async () => {
    const endpoints = await waitFor('a ready Pod and a ready VMI endpoint', async () => {
      const ready = await readyEndpoints('mix');
      return ready.length === 2 && new Set(ready.map((e) => e.targetRef.kind)).size === 2 && ready;
    }, 240_000, 1000);
    const vm = endpoints.find((e) => e.targetRef.kind === 'VirtualMachineInstance')!;
    const pod = endpoints.find((e) => e.targetRef.kind === 'Pod')!;
    expect([vm.port, pod.port]).toEqual([80, 8080]);
    // The guest's web server comes up after the VMI reports Running: wait for it directly first.
    await waitFor('the guest answers on its own address', async () => /^coxswain-guest /.test(await inClient(`timeout 5 wget -q -O- http://${vm.addresses[0]}:80/ || true`)), 60_000, 1000);
    await programmedEverywhere('mix:http', [`${vm.addresses[0]}:80`, `${pod.addresses[0]}:8080`]);

    const clusterIP = (await getObj(cluster, '/api/v1/namespaces/default/services/mix'))!.spec.clusterIP as string;
    const answers = (await inClient(`for i in $(seq 40); do timeout 5 wget -q -O- http://${clusterIP}/ || echo FAILED; done`, 180_000)).trim().split('\n');
    expect(answers).toHaveLength(40);
    expect(answers.filter((a) => a === 'FAILED')).toEqual([]);
    const kinds = new Set(answers.map((a) => (a === 'hello from mix-pod' ? 'pod' : /^coxswain-guest /.test(a) ? 'vm' : a)));
    expect([...kinds].sort()).toEqual(['pod', 'vm']);
  });

  it.each([
    ['kubectl', KUBECTL],
    ['coxctl', COXCTL],
  ])('%s port-forward svc/mix fetches the page of the Service’s pod', async (_name, bin) => {
    // Both CLIs pick a running pod the selector matches (the VMI is not a pod) and translate
    // the Service port 80 to the pod's named target port 8080.
    const { child, match } = await startForward(bin, ['--kubeconfig', cluster.kubeconfigPath('admin'), 'port-forward', 'svc/mix', ':80'], /Forwarding from 127\.0\.0\.1:(\d+) -> (\d+)/);
    try {
      expect(match[2]).toBe('8080');
      const res = await request(`http://127.0.0.1:${match[1]}/`);
      expect(await res.body.text()).toBe('hello from mix-pod\n');
    } finally {
      child.kill();
    }
  });
});

describe('a rolling update behind a Service', () => {
  it('serves a client loop with no failed request while every replica is replaced', async () => {
    // The server stops at once on SIGTERM (like most servers): only preStop keeps it serving
    // until the proxies on both nodes have dropped the terminating endpoint.
    const deployment = (version: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: roll}
spec:
  replicas: 3
  selector: {matchLabels: {app: roll}}
  template:
    metadata: {labels: {app: roll}}
    spec:
      terminationGracePeriodSeconds: 10
      containers:
      - name: web
        image: busybox
        env: [{name: VERSION, value: ${version}}]
        command: [sh, -c, 'mkdir -p /www && echo "$VERSION $(hostname)" > /www/index.html && httpd -f -p 8080 -h /www & pid=$!; trap "kill $pid; exit 0" TERM; wait']
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 1}
        lifecycle: {preStop: {exec: {command: [sleep, "3"]}}}
        resources: {requests: {cpu: 50m, memory: 16Mi}}
---
apiVersion: v1
kind: Service
metadata: {name: roll}
spec:
  selector: {app: roll}
  ports: [{name: http, port: 80, targetPort: http}]
`;
    expect((await kubectl(cluster, ['apply', '-f', await manifest(deployment('v1'))])).code).toBe(0);
    const first = await waitFor('3 ready v1 endpoints', async () => {
      const ready = await readyEndpoints('roll');
      return ready.length === 3 && ready;
    }, 180_000, 1000);
    await programmedEverywhere('roll:http', first.map((e) => `${e.addresses[0]}:8080`));

    // The loop resolves the Service name with the pod's resolver each time (busybox wget is
    // static and cannot), then fetches; it runs until /tmp/stop appears.
    const loop = 'n=0; while [ ! -f /tmp/stop ]; do '
      + 'ip=$(nslookup roll.default.svc.cluster.local | awk \'/^Address: /{a=$2} END{print a}\'); '
      + 'out=$(timeout 5 wget -q -O- "http://$ip/") && echo "$out" || echo "FAILED ip=$ip"; '
      + 'done > /tmp/roll.log 2>&1';
    await inClient(`rm -f /tmp/stop /tmp/roll.log; (${loop}) >/dev/null 2>&1 &`);
    await waitFor('the loop has answers', async () => Number(await inClient('wc -l < /tmp/roll.log')) >= 5, 30_000, 500);

    expect((await kubectl(cluster, ['apply', '-f', await manifest(deployment('v2'))])).code).toBe(0);
    const rolled = await kubectl(cluster, ['rollout', 'status', 'deployment/roll', '--timeout=240s'], { timeoutMs: 250_000 });
    expect(rolled.stdout).toContain('successfully rolled out');
    // Until the old pods are gone and the rules hold only the new ones.
    const last = await waitFor('only the 3 new pods left', async () => {
      const pods = (await api(cluster, 'GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Droll')).body.items as Obj[];
      return pods.length === 3 && pods.every((p) => p.spec.containers[0].env[0].value === 'v2') && pods;
    }, 120_000, 1000);
    await programmedEverywhere('roll:http', last.map((p) => `${p.status.podIP}:8080`));
    await inClient('touch /tmp/stop; sleep 6');

    const lines = (await inClient('cat /tmp/roll.log')).trim().split('\n');
    expect(lines.filter((l) => !/^v[12] roll-/.test(l))).toEqual([]);
    const versions = lines.map((l) => l.split(' ')[0]);
    expect(versions[0]).toBe('v1');
    expect(versions.at(-1)).toBe('v2');
    // Old and new replicas served side by side at some point of the roll.
    const firstV2 = versions.indexOf('v2');
    expect(versions.lastIndexOf('v1')).toBeGreaterThan(firstV2);
    expect(lines.length).toBeGreaterThan(20);
  });
});

describe('Local traffic policies', () => {
  /** busybox httpd on :8080 answering its name, with a CGI answering the caller's address. */
  const whoami = (name: string, node: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'lp' } },
    spec: {
      nodeName: node,
      terminationGracePeriodSeconds: 1,
      containers: [{
        name: 'web',
        image: 'busybox',
        command: ['sh', '-c', 'mkdir -p /www/cgi-bin && echo "hello from $(hostname)" > /www/index.html && printf \'#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho $REMOTE_ADDR\\n\' > /www/cgi-bin/ip && chmod +x /www/cgi-bin/ip && exec httpd -f -p 8080 -h /www'],
        ports: [{ name: 'http', containerPort: 8080 }],
        readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
      }],
    },
  });
  /** DNAT destinations of a Service in one node's rules. */
  const destinations = async (index: number, service: string) => [...new Set((await rulesOn(index)).split('\n').filter((l) => l.includes(`"default/${service}"`) && l.includes('--to-destination')).map((l) => l.match(/--to-destination (\S+):/)![1]))].sort();
  const curlFrom = async (from: number, url: string) => (await run('ip', ['netns', 'exec', cluster.nodes[from].host.netns, 'curl', '-sS', '-m', '3', url]).catch((e: { stderr?: string }) => ({ stdout: `FAILED ${e.stderr ?? ''}` }))).stdout.trim();
  let ips: string[] = [];
  let nodePort = 0;

  beforeAll(async () => {
    await create('/api/v1/namespaces/default/pods', whoami('lp-1', 'node-1'));
    await create('/api/v1/namespaces/default/pods', whoami('lp-2', 'node-2'));
    await create('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client-2' }, spec: { nodeName: 'node-2', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } });
    await create('/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lp-int' }, spec: { selector: { app: 'lp' }, internalTrafficPolicy: 'Local', ports: [{ port: 80, targetPort: 8080 }] } });
    const ext = await create('/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lp-ext' }, spec: { type: 'NodePort', selector: { app: 'lp' }, externalTrafficPolicy: 'Local', ports: [{ port: 80, targetPort: 8080 }] } });
    nodePort = ext.spec.ports[0].nodePort;
    const ready = await waitFor('lp-1 and lp-2 ready endpoints', async () => {
      const endpoints = await readyEndpoints('lp-int');
      return endpoints.length === 2 && endpoints;
    }, 240_000, 1000);
    ips = ['lp-1', 'lp-2'].map((name) => ready.find((e) => e.targetRef.name === name)!.addresses[0]);
  });

  it('internalTrafficPolicy: Local programs each node with its own endpoints only, and the cluster IP stays on the node', async () => {
    await waitFor('each node holds only its own endpoint for lp-int', async () => JSON.stringify(await destinations(0, 'lp-int')) === JSON.stringify([ips[0]]) && JSON.stringify(await destinations(1, 'lp-int')) === JSON.stringify([ips[1]]), 60_000, 500);
    const clusterIP = (await getObj(cluster, '/api/v1/namespaces/default/services/lp-int'))!.spec.clusterIP as string;
    const answers = (await inClient(`for i in $(seq 12); do timeout 5 wget -q -O- http://${clusterIP}/ || echo FAILED; done`)).trim().split('\n');
    expect(answers).toEqual(Array(12).fill('hello from lp-1'));
  });

  it('externalTrafficPolicy: Local answers a NodePort from the node’s own endpoint with the client address kept, and drops it once the node has none', async () => {
    // On a node's NodePort, lp-ext balances over that node's endpoints only (the cluster-wide chain is there for pods and the node itself).
    const node = (i: number) => cluster.nodes[i].host.address;
    for (const [from, to] of [[0, 1], [1, 0]]) {
      const bodies = await waitFor(`NodePort of node-${to + 1} from node-${from + 1}`, async () => {
        const out = await Promise.all(Array.from({ length: 6 }, () => curlFrom(from, `http://${node(to)}:${nodePort}/`)));
        return out.every((b) => !b.startsWith('FAILED')) && out;
      }, 60_000, 1000);
      expect(new Set(bodies)).toEqual(new Set([`hello from lp-${to + 1}`]));
      // No SNAT on the way: the endpoint sees the other node's address.
      const seenAs = await curlFrom(from, `http://${node(to)}:${nodePort}/cgi-bin/ip`);
      expect(seenAs.replace(/^\[::ffff:(.*)\]$/, '$1')).toBe(node(from));
    }

    await kubectl(cluster, ['delete', 'pod', 'lp-2', '--wait=false']);
    // (iptables-save prints `-p tcp` first, whatever order the rule was written in)
    const dropRule = new RegExp(`^-A COX-EXTERNAL-SERVICES .*"default/lp-ext has no local endpoints" .*--dst-type LOCAL .*--dport ${nodePort} -j DROP$`, 'm');
    await waitFor('node-2 drops lp-ext on its node port', async () => dropRule.test((await run('ip', ['netns', 'exec', cluster.nodes[1].host.netns, 'iptables-save', '-t', 'filter'])).stdout), 60_000, 500);
    expect(await curlFrom(0, `http://${node(1)}:${nodePort}/`)).toMatch(/^FAILED .*(timed out|Connection timed out)/);
    expect(await curlFrom(1, `http://${node(0)}:${nodePort}/`)).toBe('hello from lp-1');
    // kube-proxy's short circuit (local = this node's pod CIDR, as its NodeCIDR mode): node-2 itself
    // and a pod on node-2 still reach lp-ext through node-2's node port, at an endpoint elsewhere.
    expect(await curlFrom(1, `http://${node(1)}:${nodePort}/`)).toBe('hello from lp-1');
    await waitFor('client-2 Running', async () => (await getObj(cluster, '/api/v1/namespaces/default/pods/client-2'))?.status?.phase === 'Running', 60_000);
    expect((await inClient(`timeout 5 wget -q -O- http://${node(1)}:${nodePort}/ || echo FAILED`, 60_000, 'client-2')).trim()).toBe('hello from lp-1');
  });
});
