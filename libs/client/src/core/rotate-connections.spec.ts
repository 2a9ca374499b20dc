// RestTransport.rotateConnections on a real loopback TLS server that reads each request's client
// certificate: keep-alive connections keep presenting the certificate they were opened with, so a
// rotated certificate is used only once the client moves to new connections (as the kubelet does).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { KubeClient } from './kube-client';

const dir = mkdtempSync(join(tmpdir(), 'rotate-connections-'));
function selfSigned(name: string, extra: string[] = []): { cert: string; key: string } {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', `/CN=${name}`, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`), ...extra], { stdio: 'pipe' });
  return { cert: readFileSync(join(dir, `${name}.crt`), 'utf8'), key: readFileSync(join(dir, `${name}.key`), 'utf8') };
}

const serving = selfSigned('server', ['-addext', 'subjectAltName=IP:127.0.0.1']);
const first = selfSigned('node-old');
const second = selfSigned('node-new');
let server: Server;
let url: string;
/** The common name of the client certificate each request came with, and a count of TLS connections. */
const seen: string[] = [];
let connections = 0;

beforeAll(async () => {
  server = createServer({ ...serving, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    seen.push(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"kind":"Status","apiVersion":"v1","status":"Success"}');
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

it('keeps the old certificate on kept-alive connections until rotateConnections, then presents the new one', async () => {
  let current = first;
  const client = new KubeClient({ server: url, ca: serving.cert, clientCertificate: () => current });
  const get = async (times: number) => {
    for (let i = 0; i < times; i++) await client.request({ method: 'GET', path: '/version' });
  };
  try {
    // Warm the pool (undici may open a second connection for the second request).
    await get(3);
    const warm = connections;
    current = second;
    await get(3);
    expect({ seen: seen.slice(3), connections }).toEqual({ seen: ['node-old', 'node-old', 'node-old'], connections: warm });
    await client.rotateConnections();
    await get(3);
    expect(seen.slice(6)).toEqual(['node-new', 'node-new', 'node-new']);
    expect(connections).toBeGreaterThan(warm);
  } finally {
    await client.destroy();
  }
});
