// The transport's TLS settings on a real loopback TLS server: the CA is enforced, the client
// certificate is presented on every connection, insecureSkipTlsVerify and tlsServerName do what
// kubeconfig users expect (one TLS context is built per credential and shared by connections).
import { KubeClient } from './kube-client';
import { ClientCertServer, startClientCertServer } from '../testing/client-cert-server';
import { makeTestPki } from '../testing/test-certs';

const pki = makeTestPki('node-1');
const stranger = makeTestPki();
let server: ClientCertServer;

beforeAll(async () => {
  // Slow enough that concurrent requests need several connections.
  server = await startClientCertServer({ cert: pki.serverCert, key: pki.serverKey }, 20);
});

afterAll(() => server.close());

const get = (client: KubeClient) => client.request({ method: 'GET', path: '/api/v1/namespaces/default' }).then((res) => JSON.stringify(res));

describe('TLS options', () => {
  it('presents the client certificate on every connection it opens', async () => {
    server.seen.length = 0;
    const before = server.connections();
    const client = new KubeClient({ server: server.url, ca: pki.ca, cert: pki.clientCert, key: pki.clientKey, maxConcurrentRequests: 4 });
    try {
      await Promise.all(Array.from({ length: 12 }, () => get(client)));
    } finally {
      await client.destroy();
    }
    expect(server.connections() - before).toBeGreaterThan(1);
    expect(server.seen).toEqual(Array(12).fill('node-1'));
  });

  it('refuses a server whose certificate the CA did not sign', async () => {
    const client = new KubeClient({ server: server.url, ca: stranger.ca, maxRetries: 0 });
    try {
      await expect(get(client)).rejects.toThrow(/certificate/i);
    } finally {
      await client.destroy();
    }
  });

  it('accepts it with insecureSkipTlsVerify', async () => {
    const client = new KubeClient({ server: server.url, ca: stranger.ca, insecureSkipTlsVerify: true });
    try {
      await expect(get(client)).resolves.toMatch(/"name":"default"/);
    } finally {
      await client.destroy();
    }
  });

  it('checks the certificate against tlsServerName when given', async () => {
    const named = new KubeClient({ server: server.url, ca: pki.ca, tlsServerName: 'localhost' });
    const misnamed = new KubeClient({ server: server.url, ca: pki.ca, tlsServerName: 'other.internal', maxRetries: 0 });
    try {
      await expect(get(named)).resolves.toMatch(/"name":"default"/);
      await expect(get(misnamed)).rejects.toThrow(/other\.internal|altnames/i);
    } finally {
      await named.destroy();
      await misnamed.destroy();
    }
  });
});
