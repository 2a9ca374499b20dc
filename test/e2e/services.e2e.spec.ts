// Networking on a 2-node harness cluster: pods (and a VM) reach each other across nodes
// without NAT; Services get ClusterIPs and node ports that are released on delete; the
// EndpointSlice controller lists a Deployment's pods on both nodes and a VMI with the same
// labels; kubectl's svc/endpointslices tables and `kubectl expose` work.
// (ClusterIP reachability through the service proxy and DNS are the proxy's own e2e.)
import { RunningCluster, startCluster } from '@coxswain/harness';
import { api, getObj, k, kubectl, manifest, Obj, waitFor } from './support';

jest.setTimeout(300_000);

let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2 });
});

afterAll(async () => {
  await cluster?.stop();
});

const podPath = (name: string) => `/api/v1/namespaces/default/pods/${name}`;

/** busybox httpd on :8080 with a CGI that answers the caller's address (REMOTE_ADDR). */
const HTTPD_WITH_WHOAMI = [
  'sh',
  '-c',
  'mkdir -p /www/cgi-bin && echo "hello from $(hostname)" > /www/index.html && printf \'#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho $REMOTE_ADDR\\n\' > /www/cgi-bin/ip && chmod +x /www/cgi-bin/ip && exec httpd -f -p 8080 -h /www',
];

async function runPod(name: string, node: string, command: string[], labels: Obj = {}): Promise<Obj> {
  const res = await api(cluster, 'POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox', command, ports: [{ name: 'http', containerPort: 8080 }] }] },
  });
  expect(res.status).toBe(201);
  return waitFor(`pod ${name} Running with an IP`, async () => {
    const pod = await getObj(cluster, podPath(name));
    return pod?.status?.phase === 'Running' && pod.status.podIP && pod;
  }, 90_000);
}

const sh = (pod: string, script: string) => kubectl(cluster, ['exec', pod, '--', 'sh', '-c', script], { timeoutMs: 30_000 });

describe('pod network across nodes', () => {
  it('a pod on node-1 reaches a pod on node-2 over TCP, and the server sees the client pod IP (no NAT)', async () => {
    const server = await runPod('far-server', 'node-2', HTTPD_WITH_WHOAMI);
    const client = await runPod('near-client', 'node-1', ['sleep', '3600']);
    expect(server.spec.nodeName).not.toBe(client.spec.nodeName);
    const page = await waitFor('wget across nodes', async () => {
      const out = await sh('near-client', `timeout 5 wget -q -O- http://${server.status.podIP}:8080/`);
      return out.code === 0 && out.stdout;
    }, 60_000, 1000);
    expect(page.trim()).toBe('hello from far-server');
    const seenAs = await sh('near-client', `timeout 5 wget -q -O- http://${server.status.podIP}:8080/cgi-bin/ip`);
    // busybox httpd reports the IPv4-mapped form of an IPv4 peer.
    expect(seenAs.stdout.trim().replace(/^\[::ffff:(.*)\]$/, '$1')).toBe(client.status.podIP);
    // And back: node-2 → node-1 with plain TCP (busybox nc).
    await runPod('near-listener', 'node-1', ['sh', '-c', 'while true; do echo pong | nc -l -p 9000; done']);
    const listener = (await getObj(cluster, podPath('near-listener')))!;
    const pong = await waitFor('nc across nodes', async () => {
      const out = await sh('far-server', `echo ping | nc -w 3 ${listener.status.podIP} 9000`);
      return out.code === 0 && out.stdout.includes('pong') && out.stdout;
    }, 30_000, 1000);
    expect(pong.trim()).toBe('pong');
  });

  it('each node holds a route to the other node pod CIDR via its address', async () => {
    const nodes = await Promise.all(cluster.nodes.map((n) => getObj(cluster, `/api/v1/nodes/${n.name}`)));
    const { execFile } = await import('node:child_process');
    const routes = (netns: string) =>
      new Promise<string>((resolve, reject) => execFile('ip', ['netns', 'exec', netns, 'ip', 'route', 'show', 'proto', '199'], (err, out) => (err ? reject(err) : resolve(out))));
    const [one, two] = await Promise.all(cluster.nodes.map((n) => routes(n.host.netns)));
    expect(one.trim()).toBe(`${nodes[1]!.spec.podCIDR} via ${cluster.nodes[1].host.address} dev eth0`);
    expect(two.trim()).toBe(`${nodes[0]!.spec.podCIDR} via ${cluster.nodes[0].host.address} dev eth0`);
  });
});

describe('Services and EndpointSlices', () => {
  it('lists a Deployment spread over both nodes and a VMI with the same labels, and follows changes', async () => {
    const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: busybox
        command: ${JSON.stringify(HTTPD_WITH_WHOAMI)}
        ports: [{name: http, containerPort: 8080}]
        resources: {requests: {cpu: 200m, memory: 32Mi}}
        readinessProbe: {tcpSocket: {port: http}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: kubevirt.io/v1
kind: VirtualMachineInstance
metadata: {name: web-vm, labels: {app: web}}
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
`;
    const applied = await kubectl(cluster, ['apply', '-f', await manifest(deployment)]);
    expect(applied.stderr).toBe('');
    expect(applied.stdout.split('\n').filter(Boolean)).toEqual(['deployment.apps/web created', 'service/web created', 'virtualmachineinstance.kubevirt.io/web-vm created']);

    const slices = await waitFor('4 ready pods and a ready VMI in the slices', async () => {
      const list = (await api(cluster, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb')).body.items as Obj[];
      const endpoints = list.flatMap((s) => s.endpoints ?? []);
      const ready = endpoints.filter((e: Obj) => e.conditions?.ready);
      return ready.filter((e: Obj) => e.targetRef.kind === 'Pod').length === 4 && ready.some((e: Obj) => e.targetRef.kind === 'VirtualMachineInstance') && list;
    }, 180_000, 1000);
    const pods = (await api(cluster, 'GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).body.items as Obj[];
    const vmi = (await getObj(cluster, '/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances/web-vm'))!;
    const endpoints = slices.flatMap((s) => s.endpoints.map((e: Obj) => ({ ...e, ports: s.ports })));
    const expected = [
      ...pods.map((p) => `Pod/${p.metadata.name} ${p.status.podIP} ${p.spec.nodeName} 8080`),
      `VirtualMachineInstance/web-vm ${vmi.status.interfaces[0].ipAddress} ${vmi.status.nodeName} 80`,
    ].sort();
    expect(endpoints.map((e) => `${e.targetRef.kind}/${e.targetRef.name} ${e.addresses[0]} ${e.nodeName} ${e.ports[0].port}`).sort()).toEqual(expected);
    expect(new Set(pods.map((p) => p.spec.nodeName))).toEqual(new Set(['node-1', 'node-2']));
    for (const slice of slices) {
      expect(slice.metadata.labels).toMatchObject({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
      expect(slice.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Service', name: 'web', controller: true })]);
      expect(slice.addressType).toBe('IPv4');
    }
    // The named targetPort resolves per target: 8080 in the pods, 80 in the VM — two slices.
    expect(slices.map((s) => `${s.ports.map((p: Obj) => `${p.name}:${p.port}/${p.protocol}`)} ${s.endpoints.length}`).sort()).toEqual(['http:80/TCP 1', 'http:8080/TCP 4']);

    // Every endpoint answers a pod on node-1 directly, the VM's guest httpd included.
    await runPod('svc-client', 'node-1', ['sleep', '3600']);
    for (const pod of pods) {
      const out = await sh('svc-client', `timeout 5 wget -q -O- http://${pod.status.podIP}:8080/`);
      expect(out.stdout.trim()).toBe(`hello from ${pod.metadata.name}`);
    }
    const guest = await waitFor('the VM answers a pod', async () => {
      const out = await sh('svc-client', `timeout 5 wget -q -O- http://${vmi.status.interfaces[0].ipAddress}:80/`);
      return out.code === 0 && out.stdout;
    }, 30_000, 1000);
    expect(guest).toMatch(/^coxswain-guest /);

    // A deleted pod leaves the slices (its replacement joins them).
    await k(cluster, 'delete', 'pod', pods[0].metadata.name, '--wait=false');
    await waitFor('deleted pod gone from the slices', async () => {
      const list = (await api(cluster, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb')).body.items as Obj[];
      const names = list.flatMap((s) => (s.endpoints ?? []).map((e: Obj) => e.targetRef.name));
      return !names.includes(pods[0].metadata.name) && names.length === 5;
    }, 90_000, 1000);

    const svcTable = await k(cluster, 'get', 'svc', 'web', '-o', 'wide');
    const [header, row] = svcTable.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    const svc = (await getObj(cluster, '/api/v1/namespaces/default/services/web'))!;
    expect(row.split(/\s+/)).toEqual(['web', 'ClusterIP', svc.spec.clusterIP, '<none>', '80/TCP', expect.stringMatching(/^\d+[sm]$/), 'app=web']);
    const sliceTable = await k(cluster, 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=web');
    const sliceLines = sliceTable.trim().split('\n');
    expect(sliceLines[0].split(/\s{2,}/)).toEqual(['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
    const rows = sliceLines.slice(1).map((l) => l.split(/\s{2,}/).slice(1, 4)).sort((a, b) => a[1].localeCompare(b[1]));
    expect(rows).toEqual([
      ['IPv4', '80', vmi.status.interfaces[0].ipAddress],
      ['IPv4', '8080', expect.stringMatching(/^(\d+\.\d+\.\d+\.\d+,){2}\d+\.\d+\.\d+\.\d+ \+ 1 more\.\.\.$/)],
    ]);

    await k(cluster, 'delete', 'vmi', 'web-vm', '--wait=false');
  });

  it('allocates ClusterIPs and node ports, refuses taken ones with 422, and releases them on delete', async () => {
    const kubernetes = (await getObj(cluster, '/api/v1/namespaces/default/services/kubernetes'))!;
    expect(kubernetes.spec.clusterIP).toBe('10.96.0.1');
    const nodePort = `
apiVersion: v1
kind: Service
metadata: {name: np}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080, nodePort: 30080}]
`;
    expect((await kubectl(cluster, ['apply', '-f', await manifest(nodePort)])).code).toBe(0);
    const np = (await getObj(cluster, '/api/v1/namespaces/default/services/np'))!;
    expect(np.spec.clusterIP).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    expect((await k(cluster, 'get', 'svc', 'np')).split('\n')[1].split(/\s+/).slice(0, 5)).toEqual(['np', 'NodePort', np.spec.clusterIP, '<none>', '80:30080/TCP']);

    const clash = await kubectl(cluster, ['create', '-f', await manifest(nodePort.replace('name: np', 'name: np2'))]);
    expect(clash.code).not.toBe(0);
    expect(clash.stderr).toContain('spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
    const ipClash = await kubectl(cluster, ['create', '-f', await manifest(nodePort.replace('name: np', 'name: np3').replace('nodePort: 30080', 'nodePort: 30081').replace('type: NodePort', `type: NodePort\n  clusterIP: ${np.spec.clusterIP}`))]);
    expect(ipClash.stderr).toContain(`failed to allocate IP ${np.spec.clusterIP}: provided IP is already allocated`);
    const outOfRange = await kubectl(cluster, ['create', '-f', await manifest(nodePort.replace('name: np', 'name: np4').replace('nodePort: 30080', 'nodePort: 8080'))]);
    expect(outOfRange.stderr).toContain('provided port is not in the valid range. The range of valid ports is 30000-32767');

    await k(cluster, 'delete', 'svc', 'np');
    const reuse = await kubectl(cluster, ['create', '-f', await manifest(nodePort.replace('name: np', 'name: np5').replace('type: NodePort', `type: NodePort\n  clusterIP: ${np.spec.clusterIP}`))]);
    expect(reuse.stderr).toBe('');
    expect((await getObj(cluster, '/api/v1/namespaces/default/services/np5'))!.spec).toMatchObject({ clusterIP: np.spec.clusterIP, ports: [expect.objectContaining({ nodePort: 30080 })] });
    await k(cluster, 'delete', 'svc', 'np5');
  });

  it('kubectl expose creates a Service from a Deployment selector, and it gets endpoints', async () => {
    const out = await k(cluster, 'expose', 'deployment', 'web', '--name', 'web-exposed', '--port', '80', '--target-port', '8080');
    expect(out.trim()).toBe('service/web-exposed exposed');
    const svc = (await getObj(cluster, '/api/v1/namespaces/default/services/web-exposed'))!;
    expect(svc.spec).toMatchObject({ type: 'ClusterIP', selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    await waitFor('4 endpoints for the exposed service', async () => {
      const list = (await api(cluster, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb-exposed')).body.items as Obj[];
      return list.flatMap((s) => s.endpoints ?? []).filter((e: Obj) => e.conditions.ready && e.targetRef.kind === 'Pod').length === 4;
    }, 60_000, 1000);
    await k(cluster, 'delete', 'svc', 'web-exposed');
    await waitFor('its slices garbage', async () => (await api(cluster, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb-exposed')).body.items.length === 0, 30_000);
  });

  it('runs the two-tier example as-is: both tiers get endpoints, the frontend page renders', async () => {
    const applied = await kubectl(cluster, ['apply', '-f', 'deploy/examples/two-tier-app.yaml']);
    expect(applied.stdout.split('\n').filter(Boolean)).toEqual(['deployment.apps/shop-backend created', 'service/shop-backend created', 'deployment.apps/shop-frontend created', 'service/shop-frontend created']);
    const readyEndpoints = async (service: string) => {
      const list = (await api(cluster, 'GET', `/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D${service}`)).body.items as Obj[];
      return list.flatMap((s) => (s.endpoints ?? []).filter((e: Obj) => e.conditions.ready).map((e: Obj) => `${e.addresses[0]}:${s.ports[0].port}`));
    };
    const backends = await waitFor('2 ready backends', async () => ((await readyEndpoints('shop-backend')).length === 2 ? readyEndpoints('shop-backend') : false), 120_000, 1000);
    const frontends = await waitFor('2 ready frontends', async () => ((await readyEndpoints('shop-frontend')).length === 2 ? readyEndpoints('shop-frontend') : false), 120_000, 1000);
    expect(backends.every((b) => b.endsWith(':9000'))).toBe(true);
    const frontendSvc = (await getObj(cluster, '/api/v1/namespaces/default/services/shop-frontend'))!;
    expect(frontendSvc.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    const backend = await sh('svc-client', `timeout 5 wget -q -O- http://${backends[0]}/`);
    expect(JSON.parse(backend.stdout)).toMatchObject({ items: ['oars', 'rowlocks', 'life jackets'] });
    const page = await sh('svc-client', `timeout 10 wget -q -O- http://${frontends[0]}/cgi-bin/page`);
    expect(page.stdout).toMatch(/^frontend: shop-frontend-/);
  });
});
