// A second machine joins the way `npm run up -- --join` makes it: the harness creates a
// bootstrap token through the API and node-2's agent starts with only that token. It gets its
// own client certificate (system:node:node-2) through a CSR the controller-manager approves and
// signs, registers, and runs pods whose logs and exec the API server reaches over the agent's
// gRPC — which admits only the API server's client identity.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunningCluster, startCluster } from '@coxswain/harness';
import { api, k, kubectl, manifest, waitFor } from './support';

jest.setTimeout(300_000);

let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, vms: false });
});

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
