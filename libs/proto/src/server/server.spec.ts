// The node:http2 server against the API server's real grpc-js client (and a raw HTTP/2
// client for what grpc-js would not send), over mutual TLS on loopback.
import * as grpc from '@grpc/grpc-js';
import { X509Certificate } from 'node:crypto';
import { connect as h2connect, IncomingHttpHeaders } from 'node:http2';
import { connect } from 'node:tls';
import { makeTestPki } from '@coxswain/client';
import { clientCredentials, createNodeAgentClient, NodeAgentClient, StatsResponse, TlsFiles } from '../index';
import { encodeFrame } from './framing';
import { NodeAgentHandlers, NodeAgentServer, startNodeAgentServer } from './server';
import { Status, statusError } from './status';

// Two CAs the server trusts for clients: "apiserver" is allowed in, "node-b" is not; a third
// CA's client is refused at the handshake. The server rotates from pki a's pair to b's.
const a = makeTestPki('apiserver');
const b = makeTestPki('node-b');
const stranger = makeTestPki('apiserver');
const pem = (...texts: string[]) => Buffer.from(texts.join(''));
const serverTls = { ca: pem(a.ca, b.ca), cert: pem(a.serverCert), key: pem(a.serverKey) };
const apiserver: TlsFiles = { ca: pem(a.ca, b.ca), cert: pem(a.clientCert), key: pem(a.clientKey) };
const otherNode: TlsFiles = { ca: pem(a.ca, b.ca), cert: pem(b.clientCert), key: pem(b.clientKey) };
const strangerClient: TlsFiles = { ca: pem(a.ca, b.ca), cert: pem(stranger.clientCert), key: pem(stranger.clientKey) };

/** What the handlers saw, for the cases that check the server side. */
const seen: Array<{ method: string; event: string; value?: unknown }> = [];
const waitSeen = async (method: string, event: string) => {
  for (let i = 0; i < 200 && !seen.some((s) => s.method === method && s.event === event); i++) await new Promise((r) => setTimeout(r, 10));
  return seen.find((s) => s.method === method && s.event === event);
};

// `pod.name` picks what logs does; exec upper-cases stdin; console answers with an error
// without a code; portForward throws; stats answers a fixed sample.
const handlers: NodeAgentHandlers = {
  logs(call) {
    seen.push({ method: 'logs', event: 'request', value: call.request });
    call.on('cancelled', () => seen.push({ method: 'logs', event: 'cancelled', value: call.cancelled }));
    const name = call.request.pod.name;
    if (name === 'missing') return void call.emit('error', statusError(Status.NOT_FOUND, 'pod "missing" has no containers on node n1'));
    if (name === 'forever') return void call.write({ data: Buffer.from('first\n') });
    for (const line of ['one', 'two', 'three']) call.write({ data: Buffer.from(`${line}\n`) });
    call.end();
  },
  exec(call) {
    call.on('data', (msg) => {
      if ('start' in msg && msg.start) seen.push({ method: 'exec', event: 'start', value: msg });
      else if ('stdin' in msg && msg.stdin) call.write({ stdout: Buffer.from(String(msg.stdin).toUpperCase()) });
    });
    call.on('end', () => {
      call.write({ exitCode: 7 });
      call.end();
    });
  },
  console(call) {
    call.on('data', () => call.emit('error', new Error('console: 100% broken, "quoted" ünïcode')));
  },
  attach(call) {
    call.on('data', (msg) => {
      if ('start' in msg && msg.start) call.write({ stdout: Buffer.from('attached\n') });
    });
    call.on('cancelled', () => seen.push({ method: 'attach', event: 'cancelled' }));
  },
  portForward() {
    throw new Error('handler bug');
  },
  stats(_call, callback) {
    callback(null, {
      nodeName: 'n1',
      node: { cpuUsageNanoseconds: 123456789012345, memoryWorkingSetBytes: '9007199254740993', timestampMs: 1700000000000 },
      workloads: [{ ref: { namespace: 'default', name: 'web', uid: 'u1' }, kind: 'Pod', containers: [{ name: 'app', usage: { cpuUsageNanoseconds: 1, memoryWorkingSetBytes: 2, timestampMs: 3 } }], usage: { cpuUsageNanoseconds: 1, memoryWorkingSetBytes: 2, timestampMs: 3 } }],
    });
  },
};

let server: NodeAgentServer;
let address = '';
const clients: NodeAgentClient[] = [];
const client = (tls: TlsFiles = apiserver) => {
  const c = createNodeAgentClient(address, clientCredentials(tls));
  clients.push(c);
  return c;
};

beforeAll(async () => {
  server = await startNodeAgentServer({ address: '127.0.0.1:0', tls: serverTls, allowedClientNames: ['apiserver'], handlers });
  address = `127.0.0.1:${server.port}`;
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await server.close();
});

const stats = (c: NodeAgentClient, deadlineMs = 5000) =>
  new Promise<StatsResponse>((resolve, reject) => c.stats({}, { deadline: Date.now() + deadlineMs }, (err, res) => (err ? reject(err) : resolve(res!))));

/** Everything a server-streaming or bidi call returns: its messages and how it ended. */
function outcome<T>(call: NodeJS.EventEmitter): Promise<{ messages: T[]; code: number; details: string }> {
  const messages: T[] = [];
  call.on('data', (m: T) => messages.push(m));
  return new Promise((resolve) => {
    call.on('error', (e: grpc.ServiceError) => resolve({ messages, code: e.code, details: e.details }));
    call.on('status', (s: grpc.StatusObject) => s.code === grpc.status.OK && resolve({ messages, code: s.code, details: s.details }));
  });
}

/** One raw HTTP/2 request: what grpc-js clients never send. Returns the response headers and trailers. */
async function raw(headers: Record<string, string>, body?: Buffer, keepOpen = false) {
  const session = h2connect(`https://${address}`, { ca: apiserver.ca, cert: apiserver.cert, key: apiserver.key });
  try {
    const req = session.request({ ':method': 'POST', ':path': '/coxswain.node.v1.NodeAgent/Logs', 'content-type': 'application/grpc', te: 'trailers', ...headers }, { endStream: false });
    if (body) req.write(body);
    if (!keepOpen) req.end();
    const result = await new Promise<{ headers: IncomingHttpHeaders; trailers?: IncomingHttpHeaders }>((resolve, reject) => {
      let got: IncomingHttpHeaders = {};
      req.on('response', (h) => (got = h));
      req.on('trailers', (t) => resolve({ headers: got, trailers: t }));
      req.on('end', () => resolve({ headers: got }));
      req.on('error', reject);
      req.resume();
    });
    return result;
  } finally {
    session.close();
  }
}

describe('node agent gRPC server, called by grpc-js', () => {
  it('answers a unary call: 64-bit numbers as strings, nested and repeated messages', async () => {
    expect(await stats(client())).toEqual({
      nodeName: 'n1',
      node: { cpuUsageNanoseconds: '123456789012345', memoryWorkingSetBytes: '9007199254740993', timestampMs: '1700000000000' },
      workloads: [{ ref: { namespace: 'default', name: 'web', uid: 'u1' }, kind: 'Pod', containers: [{ name: 'app', usage: { cpuUsageNanoseconds: '1', memoryWorkingSetBytes: '2', timestampMs: '3' } }], usage: { cpuUsageNanoseconds: '1', memoryWorkingSetBytes: '2', timestampMs: '3' } }],
    });
  });

  it('streams server messages, then OK; the handler sees the request as proto-loader decodes it', async () => {
    const got = await outcome<{ data: Buffer }>(client().logs({ pod: { namespace: 'default', name: 'web' }, tailLines: 2 }));
    expect({ ...got, messages: got.messages.map((m) => String(m.data)) }).toEqual({ messages: ['one\n', 'two\n', 'three\n'], code: grpc.status.OK, details: 'OK' });
    expect((await waitSeen('logs', 'request'))?.value).toEqual({
      pod: { namespace: 'default', name: 'web', uid: '' }, container: '', follow: false, previous: false, tailLines: '2', sinceSeconds: '0', timestamps: false, limitBytes: '0',
    });
  });

  it('runs a bidi call to the client\'s half-close, oneofs both ways', async () => {
    const call = client().exec();
    const done = outcome<Record<string, unknown>>(call);
    call.write({ start: { pod: { namespace: 'default', name: 'web' }, command: ['cat'], stdin: true } });
    call.write({ stdin: Buffer.from('hello') });
    call.write({ stdin: Buffer.from('world') });
    call.end();
    const got = await done;
    expect(got.messages.map((m) => [m.output, String(m[m.output as string])])).toEqual([['stdout', 'HELLO'], ['stdout', 'WORLD'], ['exitCode', '7']]);
    expect(got.code).toBe(grpc.status.OK);
    expect((await waitSeen('exec', 'start'))?.value).toEqual({
      input: 'start', start: { pod: { namespace: 'default', name: 'web', uid: '' }, container: '', command: ['cat'], stdin: true, tty: false, size: null },
    });
  });

  const failures: Array<{ name: string; call: () => NodeJS.EventEmitter; code: number; details: string }> = [
    { name: 'an emitted status error: its code and details', call: () => client().logs({ pod: { namespace: 'default', name: 'missing' } }), code: grpc.status.NOT_FOUND, details: 'pod "missing" has no containers on node n1' },
    {
      name: 'an emitted error without a code: UNKNOWN with its message, every character intact',
      call: () => {
        const c = client().console();
        c.write({ attach: { namespace: 'default', name: 'vm' } });
        return c;
      },
      code: grpc.status.UNKNOWN,
      details: 'console: 100% broken, "quoted" ünïcode',
    },
    { name: 'a handler that throws: UNKNOWN', call: () => client().portForward(), code: grpc.status.UNKNOWN, details: 'Unknown error' },
    { name: 'a refused client certificate common name: PERMISSION_DENIED before any handler', call: () => client(otherNode).exec(), code: grpc.status.PERMISSION_DENIED, details: 'client "node-b" is not allowed to call the node agent (allowed: apiserver)' },
  ];
  it.each(failures)('fails a call with $name', async ({ call, code, details }) => {
    const got = await outcome(call());
    expect({ code: got.code, details: got.details }).toEqual({ code, details });
  });

  it('refuses a unary call from another identity and a client whose CA it does not trust', async () => {
    await expect(stats(client(otherNode))).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED, details: 'client "node-b" is not allowed to call the node agent (allowed: apiserver)' });
    await expect(stats(client(strangerClient))).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
  });

  it('answers UNIMPLEMENTED for a method it does not have', async () => {
    const c = client();
    const err = await new Promise<grpc.ServiceError>((resolve) =>
      c.makeUnaryRequest('/coxswain.node.v1.NodeAgent/Reboot', (x: Buffer) => x, (x: Buffer) => x, Buffer.alloc(0), (e) => resolve(e!)),
    );
    expect({ code: err.code, details: err.details }).toEqual({ code: grpc.status.UNIMPLEMENTED, details: 'The server does not implement the method /coxswain.node.v1.NodeAgent/Reboot' });
  });

  it('tells the handler when the client cancels', async () => {
    const call = client().logs({ pod: { namespace: 'default', name: 'forever' }, follow: true });
    await new Promise((resolve) => call.once('data', resolve));
    call.on('error', () => undefined);
    call.cancel();
    expect(await waitSeen('logs', 'cancelled')).toEqual({ method: 'logs', event: 'cancelled', value: true });
  });

  it('ends a call at its deadline: DEADLINE_EXCEEDED, and the handler is told', async () => {
    seen.length = 0;
    const call = client().attach({ deadline: Date.now() + 300 });
    const done = outcome(call);
    call.write({ start: { pod: { namespace: 'default', name: 'web' }, command: [] } });
    expect((await done).code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(await waitSeen('attach', 'cancelled')).toBeDefined();
  });

  it('rejects a message over 4 MiB with RESOURCE_EXHAUSTED', async () => {
    const call = client().exec();
    const done = outcome(call);
    call.write({ stdin: Buffer.alloc(4 * 1024 * 1024 + 1) });
    // The message is the bytes plus their field's tag and 4-byte length.
    expect(await done).toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED, details: `Received message larger than max (${4 * 1024 * 1024 + 6} vs 4194304)` });
  });
});

describe('node agent gRPC server, raw HTTP/2', () => {
  const request = encodeFrame(Buffer.from([0x0a, 0x05, 0x0a, 0x01, 0x78, 0x12, 0x00])); // LogsRequest{pod:{namespace:"x",name:""}}
  const cases: Array<{ name: string; headers: Record<string, string>; body?: Buffer; keepOpen?: boolean; want: Record<string, string | number> }> = [
    { name: 'not gRPC: 415', headers: { 'content-type': 'application/json' }, want: { ':status': 415 } },
    { name: 'not POST: 405', headers: { ':method': 'PUT' }, want: { ':status': 405 } },
    { name: 'a compressed message: UNIMPLEMENTED', headers: { 'grpc-encoding': 'gzip' }, body: Buffer.from([1, 0, 0, 0, 0]), want: { 'grpc-status': '12', 'grpc-message': 'Received%20message%20compressed%20with%20unsupported%20encoding%20%22gzip%22' } },
    { name: 'no request message for a server-streaming method: UNIMPLEMENTED', headers: {}, want: { 'grpc-status': '12' } },
    { name: 'two request messages for a server-streaming method: UNIMPLEMENTED', headers: {}, body: Buffer.concat([request, request]), want: { 'grpc-status': '12', 'grpc-message': 'Received%20a%20second%20request%20message%20for%20server%20streaming%20method%20/coxswain.node.v1.NodeAgent/Logs' } },
    { name: 'a malformed grpc-timeout: INTERNAL', headers: { 'grpc-timeout': 'soon' }, body: request, want: { 'grpc-status': '13', 'grpc-message': 'Invalid%20grpc-timeout%20value%20%22soon%22' } },
    { name: 'the server\'s own deadline timer: DEADLINE_EXCEEDED', headers: { 'grpc-timeout': '100m', ':path': '/coxswain.node.v1.NodeAgent/Attach' }, keepOpen: true, want: { 'grpc-status': '4', 'grpc-message': 'Deadline%20exceeded' } },
  ];
  it.each(cases)('$name', async ({ headers, body, keepOpen, want }) => {
    const { headers: head, trailers } = await raw(headers, body, keepOpen);
    expect({ ...head, ...trailers }).toMatchObject(want);
  });
});

describe('node agent gRPC server whose serving certificate rotates', () => {
  const serial = (text: string) => new X509Certificate(text).serialNumber;
  /** The serial of the certificate a new TLS connection is served. */
  const servedSerial = () =>
    new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: server.port, ...apiserver, ALPNProtocols: ['h2'] }, () => {
        resolve(socket.getPeerCertificate().serialNumber);
        socket.destroy();
      });
      socket.on('error', reject);
    });

  it('serves the new pair to new connections and keeps a stream in flight', async () => {
    expect(await servedSerial()).toBe(serial(a.serverCert));
    const before = client();
    const call = before.exec();
    const out: string[] = [];
    let more: () => void = () => undefined;
    call.on('data', (m: { output: string; stdout?: Buffer; exitCode?: number }) => (out.push(m.output === 'stdout' ? String(m.stdout) : String(m.exitCode)), more()));
    const done = outcome(call);
    const echoed = (text: string) => new Promise<void>((resolve) => ((more = resolve), call.write({ stdin: Buffer.from(text) })));
    await echoed('before');

    server.update({ cert: pem(b.serverCert), key: pem(b.serverKey) });
    expect(await servedSerial()).toBe(serial(b.serverCert));

    // The stream opened before the swap goes on over its connection; a new client gets in.
    await echoed('after');
    call.end();
    expect((await done).code).toBe(grpc.status.OK);
    expect(out).toEqual(['BEFORE', 'AFTER', '7']);
    expect((await stats(client())).nodeName).toBe('n1');
    server.update({ cert: pem(a.serverCert), key: pem(a.serverKey) });
  });
});

describe('node agent gRPC server closing', () => {
  it('stops accepting, and cuts a call still open after the grace period (its handler is told)', async () => {
    const closing = await startNodeAgentServer({ address: '127.0.0.1:0', handlers, closeGraceMs: 200 });
    const c = createNodeAgentClient(`127.0.0.1:${closing.port}`, grpc.credentials.createInsecure());
    clients.push(c);
    seen.length = 0;
    const call = c.logs({ pod: { namespace: 'default', name: 'forever' }, follow: true });
    const done = outcome(call);
    await new Promise((resolve) => call.once('data', resolve));
    const started = Date.now();
    await closing.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(await waitSeen('logs', 'cancelled')).toBeDefined();
    expect((await done).code).not.toBe(grpc.status.OK);
    await expect(stats(c, 1000)).rejects.toMatchObject({ code: expect.any(Number) });
  });
});
