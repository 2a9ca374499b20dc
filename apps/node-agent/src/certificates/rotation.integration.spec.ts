// Certificate rotation end to end on the real processes: etcd, the API server and the
// controller-manager's csrapproving/csrsigning with --cluster-signing-duration 2m, and the
// node agent's own pieces as main.ts wires them (TLS bootstrap, ClientCertificateRotation,
// ensureServingPair + ServingCertificateRotation swapping a live gRPC server's credentials).
// The signer backdates notBefore by 5 min, so a 2 min certificate lives 7 min and is issued at
// about 71 % of its lifetime; the jitter is fixed low for the first renewal (a few seconds
// after issue) and high afterwards (about a minute), so the test sees exactly one renewal of
// each certificate, well before it expires.
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { bootstrapTokenSecret, CertificateSigningRequest, generateBootstrapToken, KUBELET_CLIENT_SIGNER, KUBELET_SERVING_SIGNER, Node } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, clientFromKubeconfig, KubeClient } from '@coxswain/client';
import { ClusterPki, kubeconfigYaml, ManagedProcess, RunningApiServerHarness, SigningControlPlane, startSigningControlPlane, waitUntil } from '@coxswain/harness';
import { clientCredentials, createNodeAgentClient } from '@coxswain/proto';
import { BidiStreamingCall, NodeAgentHandlers, NodeAgentServer, startNodeAgentServer } from '@coxswain/proto/server';
import { bootstrapClientCertificate } from './bootstrap';
import { ClientCertificateRotation, ensureServingPair, rotationDeadline, SERVING_PAIR_FILE, ServingCertificateRotation } from './rotation';

jest.setTimeout(120_000);

const BACKDATE_MS = 5 * 60_000;
const DURATION_MS = 2 * 60_000;

// Just what the test drives: a port-forward stream (echoes reversed) and stats.
const handlers = {
  portForward(call: BidiStreamingCall<{ start?: unknown; data?: Buffer; eof?: boolean }, unknown>) {
    call.on('data', (msg) => {
      if (msg.start) call.write({ connected: true });
      else if (msg.data) call.write({ data: Buffer.from(`${msg.data}`.split('').reverse().join('')) });
      else if (msg.eof) {
        call.write({ eof: true });
        call.end();
      }
    });
  },
  stats(_call: unknown, callback: (error: null, value: unknown) => void) {
    callback(null, { nodeName: 'rotating', node: { cpuUsageNanoseconds: '1', memoryWorkingSetBytes: '1', timestampMs: '1' }, workloads: [] });
  },
} as unknown as NodeAgentHandlers;

/** First call low (renew a few seconds after issue), then high (the next renewal after the test). */
const jitters = (first: number) => {
  let calls = 0;
  return () => (calls++ === 0 ? first : 0.99);
};

describe('certificate rotation (real etcd, API server and controller-manager signer at 2m)', () => {
  let dir: string;
  let api: RunningApiServerHarness;
  let controllers: ManagedProcess;
  let admin: KubeClient;
  let plane: SigningControlPlane;
  let pki: ClusterPki;
  const clients: KubeClient[] = [];
  const stops: Array<() => void> = [];
  const node = `rot-${process.pid}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cox-cert-rotation-'));
    plane = await startSigningControlPlane(dir, { controllers: ['csrapproving', 'csrsigning'], signingDuration: '2m' });
    ({ api, controllers, admin, pki } = plane);
    clients.push(admin);
  });

  afterAll(async () => {
    for (const stop of stops) stop();
    await Promise.all(clients.map((c) => c.destroy()));
    await plane?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('renews the client and serving certificates at 70–90 % of their lifetime; streams survive the swap, new connections get the new pairs', async () => {
    // TLS bootstrap with the short signing duration: 2 min after issue, backdated 5 min.
    const token = generateBootstrapToken();
    await admin.create(R.Secret, bootstrapTokenSecret(token, { expiration: new Date(Date.now() + 3600_000) }), { namespace: 'kube-system' });
    const bootstrap = join(dir, 'bootstrap.kubeconfig');
    await writeFile(bootstrap, kubeconfigYaml(api.url, `${token.id}.${token.secret}`, api.ca, 'bootstrap'));
    const kubeconfig = join(dir, 'node', 'kubeconfig');
    const clientPair = await bootstrapClientCertificate({ nodeName: node, bootstrapKubeconfig: bootstrap, kubeconfig, timeoutMs: 60_000 });
    const firstClient = new X509Certificate(await readFile(clientPair, 'utf8'));
    expect(Date.parse(firstClient.validTo) - Date.parse(firstClient.validFrom)).toBe(DURATION_MS + BACKDATE_MS);

    // As main.ts: the agent's client takes the current pair for every new connection.
    const clientRotation = new ClientCertificateRotation({ nodeName: node, kubeconfig, pairFile: clientPair, random: jitters(0.15), retryMs: 2000 });
    stops.push(() => clientRotation.stop());
    const client = clientFromKubeconfig({ path: kubeconfig, client: { clientCertificate: () => clientRotation.current() } }).client;
    clients.push(client);
    clientRotation.start(client);
    const nodeObj: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: node }, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: node }] } };
    await client.create(R.Node, nodeObj);

    // The serving pair, and a gRPC server whose credentials follow its rotation.
    const addresses = async () => ({ dnsNames: [node], ipAddresses: ['127.0.0.1'] });
    const servingPair = join(dir, 'node', 'pki', SERVING_PAIR_FILE);
    await ensureServingPair(client, { nodeName: node, pairFile: servingPair, addresses, timeoutMs: 60_000 });
    const servingRotation = new ServingCertificateRotation({
      nodeName: node, pairFile: servingPair, addresses, random: jitters(0.2), retryMs: 2000,
      onRotated: (pair) => server.update({ cert: Buffer.from(pair.cert), key: Buffer.from(pair.key) }),
    });
    stops.push(() => servingRotation.stop());
    const firstServing = new X509Certificate(servingRotation.current().cert);
    expect(firstServing.subjectAltName).toBe(`DNS:${node}, IP Address:127.0.0.1`);
    // Started after the rotation, as in main.ts; onRotated only runs once the server is up.
    const server: NodeAgentServer = await startNodeAgentServer({
      address: '127.0.0.1:0',
      tls: { cert: Buffer.from(servingRotation.current().cert), key: Buffer.from(servingRotation.current().key), ca: await readFile(pki.ca) },
      allowedClientNames: ['kube-apiserver-kubelet-client'],
      handlers,
    });
    stops.push(() => void server.close());
    const port = server.port;
    servingRotation.start(client);

    // The API server's side: its kubelet-client identity, verifying the node's serving certificate.
    const apiserverIdentity = { ca: await readFile(pki.ca), cert: await readFile(pki.clientCert), key: await readFile(pki.clientKey) };
    const servedSerial = () =>
      new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, ...apiserverIdentity, ALPNProtocols: ['h2'] }, () => {
          resolve(socket.getPeerCertificate().serialNumber);
          socket.destroy();
        });
        socket.on('error', reject);
      });
    expect(await servedSerial()).toBe(firstServing.serialNumber);

    // A port-forward stream opened before the swap.
    const grpcClient = createNodeAgentClient(`127.0.0.1:${port}`, clientCredentials(apiserverIdentity));
    const call = grpcClient.portForward();
    const out: string[] = [];
    let more: () => void = () => undefined;
    call.on('data', (msg) => {
      out.push(msg.output === 'data' ? `data:${msg.data}` : String(msg.output));
      more();
    });
    const done = new Promise<void>((resolve, reject) => {
      call.on('end', resolve);
      call.on('error', reject);
    });
    const next = () => new Promise<void>((resolve) => (more = resolve));
    let got = next();
    call.write({ start: { pod: { namespace: 'default', name: 'web' }, port: 8080 } });
    await got;
    got = next();
    call.write({ data: Buffer.from('before') });
    await got;

    // Both are renewed by themselves, with the node's own identity, before they expire.
    const csrs = async () => (await admin.list<CertificateSigningRequest>(R.CertificateSigningRequest)).items.filter((c) => c.spec.username === `system:node:${node}` && c.status?.certificate);
    await waitUntil(
      async () => new X509Certificate(clientRotation.current().cert).serialNumber !== firstClient.serialNumber && new X509Certificate(servingRotation.current().cert).serialNumber !== firstServing.serialNumber,
      60_000,
      () => `no renewal of both certificates within 60 s: ${controllers.output()}`,
      250,
    );
    const renewedAt = Date.now();
    const issued = await csrs();
    const clientRenewals = issued.filter((c) => c.spec.signerName === KUBELET_CLIENT_SIGNER);
    const servingIssued = issued.filter((c) => c.spec.signerName === KUBELET_SERVING_SIGNER).sort((a, b) => a.metadata.creationTimestamp!.localeCompare(b.metadata.creationTimestamp!));
    expect(clientRenewals).toHaveLength(1); // the first one came through the bootstrap token
    expect(servingIssued).toHaveLength(2);
    const checkRenewal = (old: X509Certificate, csr: CertificateSigningRequest, jitter: number) => {
      const notBefore = Date.parse(old.validFrom);
      const notAfter = Date.parse(old.validTo);
      const requested = Date.parse(csr.metadata.creationTimestamp!);
      const fraction = (requested - notBefore) / (notAfter - notBefore);
      expect(fraction).toBeGreaterThanOrEqual(0.7);
      expect(fraction).toBeLessThanOrEqual(0.9);
      // Not before its jittered deadline (creationTimestamp has whole seconds), and well before expiry.
      expect(requested).toBeGreaterThanOrEqual(rotationDeadline(new Date(notBefore), new Date(notAfter), jitter).getTime() - 1000);
      expect(renewedAt).toBeLessThan(notAfter - 60_000);
    };
    checkRenewal(firstClient, clientRenewals[0], 0.15);
    checkRenewal(firstServing, servingIssued[1], 0.2);

    // The pair files hold the new pairs (a restarted agent reuses them).
    const newClient = new X509Certificate(await readFile(clientPair, 'utf8'));
    const newServing = new X509Certificate(await readFile(servingPair, 'utf8'));
    expect(newClient.serialNumber).toBe(new X509Certificate(clientRotation.current().cert).serialNumber);
    expect(newServing.serialNumber).toBe(new X509Certificate(servingRotation.current().cert).serialNumber);
    expect(newServing.subjectAltName).toBe(`DNS:${node}, IP Address:127.0.0.1`);

    // The stream opened before the swap goes on over its connection.
    got = next();
    call.write({ data: Buffer.from('after') });
    await got;
    call.write({ eof: true });
    call.end();
    await done;
    expect(out).toEqual(['connected', 'data:erofeb', 'data:retfa', 'eof']);
    // New connections are served the new certificate (verified against the CA for 127.0.0.1) and still get in.
    expect(await servedSerial()).toBe(newServing.serialNumber);
    const fresh = createNodeAgentClient(`127.0.0.1:${port}`, clientCredentials(apiserverIdentity));
    const stats = await new Promise<{ nodeName: string }>((resolve, reject) => fresh.stats({} as never, {}, (error, value) => (error ? reject(error) : resolve(value as { nodeName: string }))));
    expect(stats.nodeName).toBe('rotating');
    fresh.close();
    grpcClient.close();

    // The agent keeps working: its client (connections made before the swap) and a client built
    // as main.ts builds it now (new connections: the new pair) both act as the node.
    expect((await client.get<Node>(R.Node, node)).metadata.name).toBe(node);
    const afterSwap = clientFromKubeconfig({ path: kubeconfig, client: { maxRetries: 0, clientCertificate: () => clientRotation.current() } }).client;
    clients.push(afterSwap);
    await afterSwap.patch(R.Node, node, { metadata: { labels: { rotated: 'yes' } } }, { type: 'merge' });
    expect((await admin.get<Node>(R.Node, node)).metadata.labels?.rotated).toBe('yes');
    // From the pair file alone (a restarted agent), the new certificate authenticates as the node.
    const fromFile = clientFromKubeconfig({ path: kubeconfig, client: { maxRetries: 0 } }).client;
    clients.push(fromFile);
    expect((await fromFile.get<Node>(R.Node, node)).metadata.name).toBe(node);
  });
});
