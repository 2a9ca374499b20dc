// The transport's TLS settings on a real loopback TLS server: the CA is enforced, the client
// certificate is presented on every connection, insecureSkipTlsVerify and tlsServerName do what
// kubeconfig users expect (one TLS context is built per credential and shared by connections).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { KubeClient } from './kube-client';

const dir = mkdtempSync(join(tmpdir(), 'tls-options-'));
function selfSigned(name: string, extra: string[] = []): { cert: string; key: string } {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`), ...extra], { stdio: 'pipe' });
  return { cert: readFileSync(join(dir, `${name}.crt`), 'utf8'), key: readFileSync(join(dir, `${name}.key`), 'utf8') };
}

const serving = selfSigned('server', ['-addext', 'subjectAltName=IP:127.0.0.1,DNS:api.internal']);
const stranger = selfSigned('stranger');
const clientPair = selfSigned('node-1');
let server: Server;
let url: string;
const seen: string[] = [];
let connections = 0;

beforeAll(async () => {
  server = createServer({ ...serving, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    seen.push(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN));
    // Slow enough that concurrent requests need several connections.
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"default"}}');
    }, 20);
  });
  server.on('secureConnection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const get = (client: KubeClient) => client.request({ method: 'GET', path: '/api/v1/namespaces/default' }).then((res) => JSON.stringify(res));

describe('TLS options', () => {
  it('presents the client certificate on every connection it opens', async () => {
    seen.length = 0;
    const before = connections;
    const client = new KubeClient({ server: url, ca: serving.cert, cert: clientPair.cert, key: clientPair.key, maxConcurrentRequests: 4 });
    try {
      await Promise.all(Array.from({ length: 12 }, () => get(client)));
    } finally {
      await client.destroy();
    }
    expect(connections - before).toBeGreaterThan(1);
    expect(seen).toEqual(Array(12).fill('node-1'));
  });

  it('refuses a server whose certificate the CA did not sign', async () => {
    const client = new KubeClient({ server: url, ca: stranger.cert, maxRetries: 0 });
    try {
      await expect(get(client)).rejects.toThrow(/certificate/i);
    } finally {
      await client.destroy();
    }
  });

  it('accepts it with insecureSkipTlsVerify', async () => {
    const client = new KubeClient({ server: url, ca: stranger.cert, insecureSkipTlsVerify: true });
    try {
      await expect(get(client)).resolves.toMatch(/"name":"default"/);
    } finally {
      await client.destroy();
    }
  });

  it('checks the certificate against tlsServerName when given', async () => {
    const named = new KubeClient({ server: url, ca: serving.cert, tlsServerName: 'api.internal' });
    const misnamed = new KubeClient({ server: url, ca: serving.cert, tlsServerName: 'other.internal', maxRetries: 0 });
    try {
      await expect(get(named)).resolves.toMatch(/"name":"default"/);
      await expect(get(misnamed)).rejects.toThrow(/other\.internal|altnames/i);
    } finally {
      await named.destroy();
      await misnamed.destroy();
    }
  });
});
