import * as grpc from '@grpc/grpc-js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { clientCredentials, createNodeAgentClient, StatsResponse, TlsFiles } from './index';
import { NodeAgentHandlers, NodeAgentServer, startNodeAgentServer } from './server';

// The agent's gRPC server on loopback with small in-test handlers: checks that the proto, the
// typed client and mutual TLS fit together as the node agent and API server will use them.
const handlers: NodeAgentHandlers = {
  logs(call) {
    const lines = ['one', 'two', 'three'];
    const tail = Number(call.request.tailLines ?? -1);
    for (const line of tail >= 0 ? lines.slice(-tail) : lines) call.write({ data: Buffer.from(`${call.request.pod.name}:${line}\n`) });
    call.end();
  },
  exec(call) {
    let command: string[] = [];
    call.on('data', (msg) => {
      if ('start' in msg && msg.start) command = msg.start.command;
      else if ('stdin' in msg && msg.stdin) call.write({ stdout: Buffer.from(String(msg.stdin).toUpperCase()) });
      else if ('stdinEof' in msg && msg.stdinEof) {
        call.write({ stderr: Buffer.from(command.join(' ')) });
        call.write({ exitCode: 3 });
        call.end();
      }
    });
  },
  console(call) {
    call.on('data', (msg) => {
      if ('data' in msg && msg.data) call.write({ data: Buffer.concat([Buffer.from('echo:'), msg.data]) });
    });
    call.on('end', () => call.end());
  },
  attach(call) {
    call.on('data', (msg) => {
      if ('start' in msg && msg.start) {
        call.write({ stdout: Buffer.from(`attached to ${msg.start.container}\n`) });
        call.write({ exitCode: 0 });
        call.end();
      }
    });
  },
  portForward(call) {
    call.on('data', (msg) => {
      if ('start' in msg && msg.start) call.write({ connected: true });
      else if ('data' in msg && msg.data) call.write({ data: Buffer.from(`${msg.data}`.split('').reverse().join('')) });
      else if ('eof' in msg && msg.eof) {
        call.write({ eof: true });
        call.end();
      }
    });
  },
  stats(_call, callback) {
    callback(null, {
      nodeName: 'n1',
      node: { cpuUsageNanoseconds: '123456789012', memoryWorkingSetBytes: '1048576', timestampMs: '1' },
      workloads: [],
    });
  },
};

function makePki(dir: string): { server: TlsFiles; server2: TlsFiles; client: TlsFiles; stranger: TlsFiles } {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ca = (name: string) => {
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '1', '-subj', `/CN=${name}`);
  };
  const leaf = (name: string, caName: string, san: string) => {
    writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
    ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${caName}.crt`, '-CAkey', `${caName}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`);
  };
  ca('ca');
  ca('other-ca');
  leaf('server', 'ca', 'IP:127.0.0.1');
  leaf('server2', 'ca', 'IP:127.0.0.1');
  leaf('client', 'ca', 'DNS:apiserver');
  leaf('stranger', 'other-ca', 'DNS:stranger');
  const read = (name: string, caName: string): TlsFiles => ({
    ca: readFileSync(join(dir, `${caName}.crt`)),
    cert: readFileSync(join(dir, `${name}.crt`)),
    key: readFileSync(join(dir, `${name}.key`)),
  });
  return { server: read('server', 'ca'), server2: read('server2', 'ca'), client: read('client', 'ca'), stranger: { ...read('stranger', 'other-ca'), ca: readFileSync(join(dir, 'ca.crt')) } };
}

const stats = (client: ReturnType<typeof createNodeAgentClient>) =>
  new Promise<StatsResponse>((resolve, reject) => client.stats({}, { deadline: Date.now() + 5000 }, (err, res) => (err ? reject(err) : resolve(res!))));

describe('NodeAgent gRPC service', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cox-proto-'));
  const pki = makePki(dir);
  let server: NodeAgentServer;
  let address = '';

  beforeAll(async () => {
    server = await startNodeAgentServer({ address: '127.0.0.1:0', tls: pki.server, handlers });
    address = `127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams logs honouring tailLines', async () => {
    const client = createNodeAgentClient(address, clientCredentials(pki.client));
    const chunks: string[] = [];
    for await (const chunk of client.logs({ pod: { namespace: 'default', name: 'web' }, tailLines: 2 })) chunks.push(String(chunk.data));
    client.close();
    expect(chunks.join('')).toBe('web:two\nweb:three\n');
  });

  it('runs an interactive exec with stdin, stderr and an exit code', async () => {
    const client = createNodeAgentClient(address, clientCredentials(pki.client));
    const call = client.exec();
    const out: Array<[string, string]> = [];
    const done = new Promise<void>((resolve, reject) => {
      call.on('data', (msg) => out.push([msg.output ?? '', String(msg.output === 'exitCode' ? msg.exitCode : msg[msg.output as 'stdout'])]));
      call.on('end', resolve);
      call.on('error', reject);
    });
    call.write({ start: { pod: { namespace: 'default', name: 'web' }, command: ['sh', '-c', 'tr a-z A-Z'], stdin: true } });
    call.write({ stdin: Buffer.from('hello') });
    call.write({ stdinEof: true });
    call.end();
    await done;
    client.close();
    expect(out).toEqual([['stdout', 'HELLO'], ['stderr', 'sh -c tr a-z A-Z'], ['exitCode', '3']]);
  });

  it('relays a port-forward connection both ways with half-close', async () => {
    const client = createNodeAgentClient(address, clientCredentials(pki.client));
    const call = client.portForward();
    const out: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      call.on('data', (msg) => out.push(msg.output === 'data' ? `data:${msg.data}` : String(msg.output)));
      call.on('end', resolve);
      call.on('error', reject);
    });
    call.write({ start: { pod: { namespace: 'default', name: 'web' }, port: 8080 } });
    call.write({ data: Buffer.from('abc') });
    call.write({ eof: true });
    call.end();
    await done;
    client.close();
    expect(out).toEqual(['connected', 'data:cba', 'eof']);
  });

  it('carries 64-bit usage counters without losing precision', async () => {
    const client = createNodeAgentClient(address, clientCredentials(pki.client));
    const res = await stats(client);
    client.close();
    expect(res.nodeName).toBe('n1');
    expect(String(res.node.cpuUsageNanoseconds)).toBe('123456789012');
  });

  it('refuses a client whose certificate another CA signed', async () => {
    const client = createNodeAgentClient(address, clientCredentials(pki.stranger));
    await expect(stats(client)).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    client.close();
  });
});

describe('NodeAgent gRPC service that admits only the API server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cox-proto-cn-'));
  const pki = makePki(dir);
  let server: NodeAgentServer;
  let address = '';

  beforeAll(async () => {
    server = await startNodeAgentServer({ address: '127.0.0.1:0', tls: pki.server, allowedClientNames: ['client'], handlers });
    address = `127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the API server\'s identity', async () => {
    const client = createNodeAgentClient(address, clientCredentials(pki.client));
    expect((await stats(client)).nodeName).toBe('n1');
    client.close();
  });

  it('refuses a certificate the same CA signed for someone else (another node)', async () => {
    const client = createNodeAgentClient(address, clientCredentials({ ...pki.server, ca: pki.client.ca }));
    await expect(stats(client)).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED, details: 'client "server" is not allowed to call the node agent (allowed: client)' });
    const call = client.exec();
    const failed = new Promise((resolve) => call.on('error', resolve));
    call.write({ start: { pod: { namespace: 'default', name: 'web' }, command: ['true'] } });
    expect(await failed).toMatchObject({ code: grpc.status.PERMISSION_DENIED });
    client.close();
  });
});

describe('NodeAgent gRPC service whose serving certificate rotates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cox-proto-rotate-'));
  const pki = makePki(dir);
  let server: NodeAgentServer;
  let port = 0;

  beforeAll(async () => {
    server = await startNodeAgentServer({ address: '127.0.0.1:0', tls: pki.server, allowedClientNames: ['client'], handlers });
    port = server.port;
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The serial of the certificate a new TLS connection is served (as the API server's dial sees it). */
  const servedSerial = () =>
    new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, ca: pki.client.ca, cert: pki.client.cert, key: pki.client.key, ALPNProtocols: ['h2'] }, () => {
        resolve(socket.getPeerCertificate().serialNumber);
        socket.destroy();
      });
      socket.on('error', reject);
    });
  const serial = (pem: Buffer) => new (require('node:crypto').X509Certificate)(pem).serialNumber as string; // eslint-disable-line @typescript-eslint/no-require-imports

  it('serves the new pair to new connections and keeps a stream in flight', async () => {
    expect(await servedSerial()).toBe(serial(pki.server.cert));
    const client = createNodeAgentClient(`127.0.0.1:${port}`, clientCredentials(pki.client));
    const call = client.portForward();
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

    server.update(pki.server2);
    expect(await servedSerial()).toBe(serial(pki.server2.cert));

    // The stream opened before the swap goes on over its connection.
    got = next();
    call.write({ data: Buffer.from('after') });
    await got;
    call.write({ eof: true });
    call.end();
    await done;
    expect(out).toEqual(['connected', 'data:erofeb', 'data:retfa', 'eof']);
    // A client that connects now is served the new certificate and still gets in.
    const fresh = createNodeAgentClient(`127.0.0.1:${port}`, clientCredentials(pki.client));
    expect((await stats(fresh)).nodeName).toBe('n1');
    fresh.close();
    client.close();
  });
});
