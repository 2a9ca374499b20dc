// RestTransport.rotateConnections on a real loopback TLS server that reads each request's client
// certificate: keep-alive connections keep presenting the certificate they were opened with, so a
// rotated certificate is used only once the client moves to new connections (as the kubelet does).
import { KubeClient } from './kube-client';
import { ClientCertServer, startClientCertServer } from '../testing/client-cert-server';
import { makeTestPki } from '../testing/test-certs';

const pki = makeTestPki('node-old');
const first = { cert: pki.clientCert, key: pki.clientKey };
const rotated = makeTestPki('node-new');
const second = { cert: rotated.clientCert, key: rotated.clientKey };
let server: ClientCertServer;

beforeAll(async () => {
  server = await startClientCertServer({ cert: pki.serverCert, key: pki.serverKey });
});

afterAll(() => server.close());

it('keeps the old certificate on kept-alive connections until rotateConnections, then presents the new one', async () => {
  const { seen } = server;
  let current = first;
  const client = new KubeClient({ server: server.url, ca: pki.ca, clientCertificate: () => current });
  const get = async (times: number) => {
    for (let i = 0; i < times; i++) await client.request({ method: 'GET', path: '/version' });
  };
  try {
    // Warm the pool (it may open a second connection for the second request).
    await get(3);
    const warm = server.connections();
    current = second;
    await get(3);
    expect({ seen: seen.slice(3), connections: server.connections() }).toEqual({ seen: ['node-old', 'node-old', 'node-old'], connections: warm });
    await client.rotateConnections();
    await get(3);
    expect(seen.slice(6)).toEqual(['node-new', 'node-new', 'node-new']);
    expect(server.connections()).toBeGreaterThan(warm);
  } finally {
    await client.destroy();
  }
});
