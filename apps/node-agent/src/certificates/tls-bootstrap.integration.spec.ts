// TLS bootstrapping end to end on the real processes: etcd, the API server (HTTPS, client CA,
// bootstrap token auth) and the controller-manager's csrapproving/csrsigning/tokencleaner.
// A bootstrap token gets a node its client certificate; the node then authenticates by that
// certificate as system:node:<name> and the node authorizer limits it to its own things. An
// expired token is a 401 and the token cleaner deletes it.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { bootstrapTokenSecret, CertificateSigningRequest, generateBootstrapToken, KUBELET_CLIENT_SIGNER, KUBELET_SERVING_SIGNER, Node } from '@coxswain/api';
import { ApiError, BUILTIN_RESOURCES as R, clientFromKubeconfig, KubeClient } from '@coxswain/client';
import { kubeconfigYaml, ManagedProcess, RunningApiServerHarness, SigningControlPlane, startSigningControlPlane, waitUntil } from '@coxswain/harness';
import { bootstrapClientCertificate, clientSubject } from './bootstrap';
import { requestCertificate } from './request';
import { ClientCertificateRotation } from './rotation';

jest.setTimeout(120_000);

const status = async (work: Promise<unknown>): Promise<number> => {
  try {
    await work;
    return 200;
  } catch (error) {
    if (error instanceof ApiError) return error.status.code;
    throw error;
  }
};

describe('TLS bootstrap (real etcd, API server and controller-manager)', () => {
  let dir: string;
  let api: RunningApiServerHarness;
  let controllers: ManagedProcess;
  let admin: KubeClient;
  let plane: SigningControlPlane;
  const clients: KubeClient[] = [];
  const node = `tb-${process.pid}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cox-tls-bootstrap-'));
    plane = await startSigningControlPlane(dir, { controllers: ['csrapproving', 'csrsigning', 'tokencleaner'], signingDuration: '1h' });
    ({ api, controllers, admin } = plane);
    clients.push(admin);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.destroy()));
    await plane?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const tokenKubeconfig = async (name: string, token: string) => {
    const path = join(dir, `${name}.kubeconfig`);
    await writeFile(path, kubeconfigYaml(api.url, token, api.ca, name));
    return path;
  };
  const clientFor = (path: string) => {
    const c = clientFromKubeconfig({ path, client: { maxRetries: 0 } }).client;
    clients.push(c);
    return c;
  };

  it('joins a node: bootstrap token → CSR → approved → signed → the node authenticates by certificate', async () => {
    const token = generateBootstrapToken();
    await admin.create(R.Secret, bootstrapTokenSecret(token, { expiration: new Date(Date.now() + 3600_000) }), { namespace: 'kube-system' });
    const bootstrap = await tokenKubeconfig('bootstrap', `${token.id}.${token.secret}`);
    // The token may only ask for certificates.
    const asToken = clientFor(bootstrap);
    expect(await status(asToken.list(R.Pod, { namespace: 'default' }))).toBe(403);
    expect(await status(asToken.list(R.CertificateSigningRequest))).toBe(200);

    const kubeconfig = join(dir, 'node', 'kubeconfig');
    const pair = await bootstrapClientCertificate({ nodeName: node, bootstrapKubeconfig: bootstrap, kubeconfig, timeoutMs: 60_000 });
    const cert = new X509Certificate(await readFile(pair, 'utf8'));
    expect(cert.subject).toBe(`CN=system:node:${node}\nO=system:nodes`);
    expect(cert.verify(new X509Certificate(api.ca!).publicKey)).toBe(true);
    const csrs = await admin.list<CertificateSigningRequest>(R.CertificateSigningRequest);
    const mine = csrs.items.find((c) => c.spec.username === `system:bootstrap:${token.id}`)!;
    expect(mine.spec.groups).toEqual(['system:bootstrappers', 'system:authenticated']);
    expect(mine.status?.conditions?.map((c) => [c.type, c.reason])).toEqual([['Approved', 'AutoApproved']]);

    // As system:node:<name>: its own Node yes, another node's no; secrets only by reference.
    const asNode = clientFor(kubeconfig);
    const nodeObj: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: node }, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: node }] } };
    expect(await status(asNode.create(R.Node, nodeObj))).toBe(200);
    expect(await status(asNode.create(R.Node, { ...nodeObj, metadata: { name: `${node}-other` } }))).toBe(403);
    await admin.create(R.Secret, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'not-for-nodes' }, data: { a: 'Yg==' } }, { namespace: 'default' });
    const forbidden = await asNode.get(R.Secret, 'not-for-nodes', { namespace: 'default' }).catch((e: ApiError) => e);
    expect((forbidden as ApiError).status.code).toBe(403);
    expect((forbidden as ApiError).status.message).toContain(`User "system:node:${node}" cannot get resource "secrets"`);
    expect(await status(asNode.list(R.Pod, { namespace: 'default' }))).toBe(200);

    // Renewal with its own identity (selfnodeclient) and a serving certificate for its own addresses.
    const renewed = await requestCertificate(asNode, { signerName: KUBELET_CLIENT_SIGNER, usages: ['digital signature', 'client auth'], subject: clientSubject(node) }, { timeoutMs: 60_000 });
    expect(new X509Certificate(renewed.certPem).subject).toBe(`CN=system:node:${node}\nO=system:nodes`);
    const serving = await requestCertificate(asNode, { signerName: KUBELET_SERVING_SIGNER, usages: ['digital signature', 'server auth'], subject: { ...clientSubject(node), dnsNames: [node], ipAddresses: ['127.0.0.1'] } }, { timeoutMs: 60_000 });
    expect(new X509Certificate(serving.certPem).subjectAltName).toBe(`DNS:${node}, IP Address:127.0.0.1`);
    // Rotation without a restart: the pair file is replaced and new connections present it.
    const rotation = new ClientCertificateRotation({ nodeName: node, kubeconfig, pairFile: pair });
    const rotating = clientFromKubeconfig({ path: kubeconfig, client: { maxRetries: 0, clientCertificate: () => rotation.current() } }).client;
    clients.push(rotating);
    await rotation.rotate(rotating);
    rotation.stop();
    const rotated = new X509Certificate(await readFile(pair, 'utf8'));
    expect(rotated.serialNumber).not.toBe(cert.serialNumber);
    expect(new X509Certificate(rotation.current().cert).serialNumber).toBe(rotated.serialNumber);
    expect(await status(rotating.get(R.Node, node))).toBe(200);

    // A serving certificate for an address that is not the node's stays pending.
    const foreign = requestCertificate(asNode, { signerName: KUBELET_SERVING_SIGNER, usages: ['digital signature', 'server auth'], subject: { ...clientSubject(node), ipAddresses: ['10.200.0.1'] } }, { timeoutMs: 3000 });
    await expect(foreign).rejects.toThrow(/timed out waiting for certificate request/);
  });

  it('refuses an expired token with 401, and the token cleaner deletes it', async () => {
    const token = generateBootstrapToken();
    await admin.create(R.Secret, bootstrapTokenSecret(token, { expiration: new Date(Date.now() + 2000) }), { namespace: 'kube-system' });
    const asToken = clientFor(await tokenKubeconfig('expiring', `${token.id}.${token.secret}`));
    expect(await status(asToken.list(R.CertificateSigningRequest))).toBe(200);
    await waitUntil(async () => (await status(asToken.list(R.CertificateSigningRequest))) === 401, 10_000, () => 'token never expired');
    await waitUntil(async () => (await status(admin.get(R.Secret, `bootstrap-token-${token.id}`, { namespace: 'kube-system' }))) === 404, 20_000, () => `token cleaner did not delete the Secret: ${controllers.output()}`);
    // A token whose Secret is gone, and a wrong secret, are 401s too.
    const wrong = clientFor(await tokenKubeconfig('wrong', `${token.id}.0000000000000000`));
    expect(await status(wrong.list(R.CertificateSigningRequest))).toBe(401);
  });
});
