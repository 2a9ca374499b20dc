// A second machine joins the way `npm run up -- --join` makes it: the harness creates a
// bootstrap token through the API; node-2 discovers the cluster from kube-public/cluster-info
// (token signature + CA key pin, as kubeadm) and its agent starts with only that token. It gets
// its own client certificate (system:node:node-2) through a CSR the controller-manager approves
// and signs, registers, and runs pods whose logs and exec the API server reaches over the
// agent's gRPC — which admits only the API server's client identity. A third machine joins
// with the pieces `coxctl token create --print-join-command` prints; a wrong CA pin is refused;
// without credentials only cluster-info can be read.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { request } from 'undici';
import { caCertHash, parseBootstrapToken } from '@coxswain/api';
import { discoverCluster, RunningCluster, startCluster, tlsDispatcher } from '@coxswain/harness';
import { parseJoinFlags } from '../../deploy/join';
import { api, k, kubectl, manifest, waitFor } from './support';

jest.setTimeout(300_000);

const COXCTL = join(__dirname, '..', '..', 'apps', 'cli', 'bin', 'coxctl');
let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, spareNodes: 1, vms: false });
});

/** An unauthenticated request (no Authorization header, no client certificate). */
async function anonymous(path: string): Promise<{ status: number; body: Record<string, any> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await request(`${cluster.api.url}${path}`, { dispatcher: tlsDispatcher(cluster.api.ca!) });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

afterAll(async () => {
  await cluster?.stop();
});

it('node-2 joined with a bootstrap token and runs as system:node:node-2 by certificate', async () => {
  const csrs = await api(cluster, 'GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests');
  const joined = csrs.body.items.filter((c: { spec: { username: string } }) => c.spec.username.startsWith('system:bootstrap:'));
  expect(joined).toHaveLength(1);
  expect(joined[0].status.conditions.map((c: { type: string }) => c.type)).toEqual(['Approved']);
  expect(joined[0].status.certificate).toBeTruthy();
  const kubeconfig = await readFile(join(cluster.dir, 'node-2', 'kubeconfig'), 'utf8');
  expect(kubeconfig).toContain('"client-certificate"');
  expect(kubeconfig).not.toContain('token');
  // Its gRPC serving certificate came from a kubelet-serving CSR for its own addresses.
  const serving = await waitFor('node-2\'s serving certificate', async () => {
    const all = await api(cluster, 'GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests');
    const issued = all.body.items.filter((c: { spec: { username: string; signerName: string }; status?: { certificate?: string } }) => c.spec.username === 'system:node:node-2' && c.spec.signerName === 'kubernetes.io/kubelet-serving' && c.status?.certificate);
    return issued.length > 0 && issued;
  }, 60_000);
  expect(serving).toHaveLength(1);
  const node = await api(cluster, 'GET', '/api/v1/nodes/node-2');
  expect(node.body.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
});

it('the API server reaches the joined node\'s agent for logs and exec', async () => {
  await k(cluster, 'apply', '-f', await manifest(`
apiVersion: v1
kind: Pod
metadata: { name: joined-pod }
spec:
  nodeName: node-2
  containers:
  - name: c
    image: busybox
    command: ['sh', '-c', 'echo hello-from-node-2; sleep 3600']
`));
  const logs = await waitFor('logs from node-2', async () => {
    const out = await kubectl(cluster, ['logs', 'joined-pod']);
    return out.stdout.includes('hello-from-node-2') && out.stdout;
  }, 120_000);
  expect(logs).toContain('hello-from-node-2');
  expect((await k(cluster, 'exec', 'joined-pod', '--', 'echo', 'exec-ok')).trim()).toBe('exec-ok');
});

it('serves cluster-info, signed per token, to anonymous clients — and nothing else', async () => {
  const info = await anonymous('/api/v1/namespaces/kube-public/configmaps/cluster-info');
  expect(info.status).toBe(200);
  expect(info.body.data.kubeconfig).toContain(`server: ${cluster.api.url}`);
  expect(Object.keys(info.body.data).filter((key) => key.startsWith('jws-kubeconfig-')).length).toBeGreaterThanOrEqual(1);
  await api(cluster, 'POST', '/api/v1/namespaces/kube-public/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-public' }, data: { a: 'b' } });
  for (const path of ['/api/v1/namespaces/kube-public/configmaps/not-public', '/api/v1/namespaces/kube-public/configmaps', '/api/v1/namespaces/kube-system/configmaps/cluster-info', '/api/v1/namespaces/kube-public/secrets']) {
    const denied = await anonymous(path);
    expect([path, denied.status, denied.body.kind]).toEqual([path, 401, 'Status']);
  }
});

it('refuses a CA pin that does not match, and a token the cluster never signed for', async () => {
  const created = await promisify(execFile)(COXCTL, ['--kubeconfig', cluster.kubeconfigPath('admin'), 'token', 'create', '--ttl', '10m']);
  const token = parseBootstrapToken(created.stdout.trim())!;
  expect(token).toBeDefined();
  const discovered = await waitFor('cluster-info signed for the new token', () => discoverCluster({ apiUrl: cluster.api.url, token, caCertHashes: [caCertHash(cluster.api.ca!)], timeoutMs: 30_000 }).catch(() => undefined), 60_000);
  expect(discovered.caPem).toBe(cluster.api.ca);
  await expect(discoverCluster({ apiUrl: cluster.api.url, token, caCertHashes: [`sha256:${'0'.repeat(64)}`], timeoutMs: 30_000 }))
    .rejects.toThrow(/cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "sha256:[0-9a-f]{64}" are pinned/);
  await expect(discoverCluster({ apiUrl: cluster.api.url, token: { id: token.id, secret: '0000000000000000' }, caCertHashes: [caCertHash(cluster.api.ca!)], timeoutMs: 30_000 }))
    .rejects.toThrow('failed to verify JWS signature of received cluster-info object, can\'t trust this API Server');
  await expect(discoverCluster({ apiUrl: cluster.api.url, token: { id: 'zzzzzz', secret: token.secret }, caCertHashes: [caCertHash(cluster.api.ca!)], timeoutMs: 2000, retryMs: 500 }))
    .rejects.toThrow('cluster-info is not signed for token id "zzzzzz" yet');
});

it('a machine joins with the command coxctl token create --print-join-command prints', async () => {
  const printed = await promisify(execFile)(COXCTL, ['--kubeconfig', cluster.kubeconfigPath('admin'), 'token', 'create', '--print-join-command', '--description', 'node-3']);
  const words = printed.stdout.trim().split(/\s+/);
  expect(words.slice(0, 4)).toEqual(['npm', 'run', 'up', '--']);
  // Read as deploy/up.ts reads it.
  const { values } = parseArgs({ args: words.slice(4), options: { join: { type: 'string' }, token: { type: 'string' }, 'discovery-token-ca-cert-hash': { type: 'string', multiple: true } }, strict: true });
  const joining = parseJoinFlags(values);
  expect(joining.apiUrl).toBe(cluster.api.url);
  expect(joining.discovery).toEqual({ kind: 'token', caCertHashes: [caCertHash(cluster.api.ca!)], unsafeSkipCaVerification: false });
  const node = await cluster.addNode({ token: joining.token, caCertHashes: joining.discovery.kind === 'token' ? joining.discovery.caCertHashes : [] });
  expect(node.name).toBe('node-3');
  const csrs = await api(cluster, 'GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests');
  expect(csrs.body.items.filter((c: { spec: { username: string } }) => c.spec.username === `system:bootstrap:${joining.token.split('.')[0]}`)).toHaveLength(1);
  await k(cluster, 'apply', '-f', await manifest(`
apiVersion: v1
kind: Pod
metadata: { name: node-3-pod }
spec:
  nodeName: node-3
  containers:
  - name: c
    image: busybox
    command: ['sh', '-c', 'sleep 3600']
`));
  await waitFor('node-3-pod running', async () => (await api(cluster, 'GET', '/api/v1/namespaces/default/pods/node-3-pod')).body.status?.phase === 'Running', 120_000);
  // The agent serves exec once its kubelet-serving certificate is issued, which may come after
  // the pod runs (as with the kubelet's serverTLSBootstrap); until then the API server says so.
  const echoed = await waitFor('exec on node-3 once its agent serves', async () => {
    const result = await kubectl(cluster, ['exec', 'node-3-pod', '--', 'echo', 'exec-on-node-3']);
    if (result.code !== 0) throw new Error(result.stderr);
    return result.stdout;
  }, 60_000);
  expect(echoed.trim()).toBe('exec-on-node-3');
});
