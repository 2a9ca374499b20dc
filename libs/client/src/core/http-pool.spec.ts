// The node:http pools under RestTransport, on real loopback servers: a kept-alive connection the
// server drops as a request arrives, response timeouts, aborts, the connect timeout and close().
import { getEventListeners } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, createServer as createTcpServer, Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import { classifyConnectionError } from './failover';
import { BODY_TIMEOUT, CONNECT_TIMEOUT, HEADERS_TIMEOUT, HttpPool } from './http-pool';
import { RestRequest, RestTransport } from './rest-transport';

type Handler = (req: IncomingMessage, res: ServerResponse, nth: number, server: Server) => void;
interface TestServer {
  url: string;
  /** Requests seen, as "METHOD path". */
  seen: string[];
  connections: () => number;
  /** Connections the server saw close. */
  closed: () => number;
}

const servers: Server[] = [];
const transports: RestTransport[] = [];
/** A loopback server; `nth` counts requests on the connection (1 for the first on a new one). */
async function serve(handler: Handler): Promise<TestServer> {
  const perConnection = new WeakMap<Socket, number>();
  const seen: string[] = [];
  let connections = 0;
  let closed = 0;
  const server = createServer((req, res) => {
    const nth = (perConnection.get(req.socket) ?? 0) + 1;
    perConnection.set(req.socket, nth);
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => handler(req, res, nth, server));
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    socket.on('close', () => closed++);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, connections: () => connections, closed: () => closed };
}
const transport = (server: string, timeoutMs?: number) => {
  const t = new RestTransport({ server, timeoutMs, maxRetries: 0 });
  transports.push(t);
  return t;
};
afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.destroy()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const answer = (req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a' } }));
};
const outcome = (p: Promise<{ code: number }>) =>
  p.then(
    (res) => res.code,
    (error: { code?: string }) => error.code ?? error,
  );

describe('a request on a kept-alive connection the server drops as it arrives', () => {
  const drop: Handler = (req) => req.socket.destroy();
  const dropAndStop: Handler = (req, _res, _nth, server) => {
    req.socket.destroy();
    server.close();
  };
  const cutOff: Handler = (req, res) => {
    res.writeHead(201, { 'content-length': '100' });
    res.write('{"kind":');
    setTimeout(() => req.socket.destroy(), 20);
  };
  it.each([
    ['POST: the server closing its idle connection → sent again on a new connection', 'POST', 2, drop, { got: 201, sent: 2, connections: 2 }],
    ['PATCH: the same', 'PATCH', 2, drop, { got: 200, sent: 2, connections: 2 }],
    ['GET: the same', 'GET', 2, drop, { got: 200, sent: 2, connections: 2 }],
    ['POST: dropped, and the server is gone → the reset, not sent again', 'POST', 2, dropAndStop, { got: 'ECONNRESET', sent: 1, connections: 1 }],
    ['POST: an answer cut off midway → an error, not sent again', 'POST', 2, cutOff, { got: 'ECONNRESET', sent: 1, connections: 1 }],
    ['POST: the first request on a new connection dropped → an error, not sent again (it may have been received)', 'POST', 1, drop, { got: 'ECONNRESET', sent: 1, connections: 1 }],
  ] as const)('%s', async (_name, method, dropNth, onDrop, want) => {
    const server = await serve((req, res, nth, s) => (nth === dropNth && req.url === '/x' ? onDrop(req, res, nth, s) : answer(req, res)));
    const t = transport(server.url);
    if (dropNth === 2) await t.request({ method: 'GET', path: '/warm' });
    const got = await outcome(t.request({ method, path: '/x', body: { kind: 'ConfigMap' } }));
    expect({ got, sent: server.seen.filter((s) => s.endsWith(' /x')).length, connections: server.connections() }).toEqual(want);
  });
});

describe('timeouts (100 ms): to the response headers, then between body chunks; a watch body has none', () => {
  const stall: Handler = () => {};
  const stalledBody: Handler = (_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('{"kind":');
  };
  const trickle = (gapMs: number, chunks: string[]): Handler => (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).flushHeaders();
    const next = (i: number) => (i === chunks.length ? res.end() : setTimeout(() => (res.write(chunks[i]), next(i + 1)), gapMs));
    next(0);
  };
  // 150 ms in all, 15 ms apart: each gap leaves 85 ms of slack for a loaded machine's timers
  // (40 ms gaps, 60 ms of slack, failed once in a full suite).
  const slowBody = trickle(15, ['{"ki', 'nd"', ':"Con', 'fig', 'Map', '","a', 'piVe', 'rsi', 'on":"', 'v1"}']);

  it.each([
    ['no response headers in time → HEADERS_TIMEOUT, no failover', stall, HEADERS_TIMEOUT],
    ['the body stalls after the headers → BODY_TIMEOUT, no failover', stalledBody, BODY_TIMEOUT],
    ['headers after 30 ms → answered', (req, res) => setTimeout(() => answer(req, res), 30), 200],
    ['a body slower than 100 ms in all, each chunk within it → answered', slowBody, 200],
  ] as Array<[string, Handler, string | number]>)('request: %s', async (_name, handler, want) => {
    const a = await serve(handler);
    const b = await serve(answer);
    expect(await outcome(transport(`${a.url},${b.url}`, 100).request({ method: 'GET', path: '/x' }))).toBe(want);
    expect(b.seen).toEqual([]);
  });

  it.each([
    ['no response headers in time → HEADERS_TIMEOUT', stall, HEADERS_TIMEOUT],
    ['a body quiet for 250 ms → not cut', trickle(250, ['{"type":"ADDED"}\n']), '{"type":"ADDED"}\n'],
  ] as const)('watch: %s', async (_name, handler, want) => {
    const a = await serve(handler);
    const got = await transport(a.url, 100)
      .stream({ path: '/x', query: { watch: 1 } })
      .then(
        async ({ body }) => {
          let text = '';
          for await (const chunk of body) text += Buffer.from(chunk).toString();
          return text;
        },
        (error: { code?: string }) => error.code,
      );
    expect(got).toBe(want);
  });
});

describe('aborts', () => {
  const later: Handler = (req, res) => setTimeout(() => answer(req, res), 200);
  const watchEvents: Handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"type":"ADDED"}\n');
  };
  it.each([
    ['aborted before the answer → the reason, once sent', later, 30, 'request', 1],
    ['aborted before the start → the reason, nothing sent', later, 0, 'request', 0],
    ['a watch aborted while its body is read → the reason ends the iteration', watchEvents, 30, 'watch', 1],
  ] as const)('%s', async (_name, handler, abortAfterMs, kind, sent) => {
    const server = await serve(handler);
    const t = transport(server.url);
    const controller = new AbortController();
    const reason = new Error('stopped by the test');
    if (abortAfterMs) setTimeout(() => controller.abort(reason), abortAfterMs);
    else controller.abort(reason);
    const run =
      kind === 'request'
        ? t.request({ method: 'GET', path: '/x', signal: controller.signal })
        : t.stream({ path: '/x', signal: controller.signal }).then(async ({ body }) => {
            for await (const _ of body);
          });
    await expect(run).rejects.toBe(reason);
    expect(server.seen.length).toBe(sent);
  });

  it('leaves no listener on a signal shared by many requests', async () => {
    const server = await serve(answer);
    const t = transport(server.url);
    const { signal } = new AbortController();
    const req: RestRequest = { method: 'GET', path: '/x', signal };
    await Promise.all(Array.from({ length: 20 }, () => t.request(req)));
    const { body } = await t.stream({ path: '/x', signal });
    for await (const _ of body);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});

describe('HttpPool', () => {
  const noTls = () => ({ secureContext: createSecureContext({}), rejectUnauthorized: true, sessions: new Map() });

  it('gives up connecting after connectTimeoutMs (TLS handshake never answered) → not sent', async () => {
    const silent = createTcpServer(() => {});
    const open = new Set<Socket>();
    silent.on('connection', (s: Socket) => open.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const pool = new HttpPool({ idleTimeoutMs: 1000, connectTimeoutMs: 100, tls: noTls });
    try {
      const error = await pool.fetch(new URL(`https://127.0.0.1:${(silent.address() as AddressInfo).port}`), { method: 'POST', path: '/x', headers: {}, body: '{}', timeoutMs: 5000 }).catch((e: unknown) => e);
      expect([(error as { code?: string }).code, classifyConnectionError(error)]).toEqual([CONNECT_TIMEOUT, 'not-sent']);
    } finally {
      await pool.destroy();
      for (const s of open) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('close(): idle connections close now, one in flight once its request is done', async () => {
    const server = await serve((req, res) => setTimeout(() => answer(req, res), 50));
    const pool = new HttpPool({ idleTimeoutMs: 1000, tls: noTls });
    const origin = new URL(server.url);
    const get = (path: string) => pool.fetch(origin, { method: 'GET', path, headers: {}, timeoutMs: 1000 });
    await Promise.all([get('/a'), get('/b')]);
    const order: string[] = [];
    const inFlight = get('/busy').then((res) => order.push(`answered ${res.code}`));
    await new Promise((r) => setTimeout(r, 10));
    await pool.close().then(() => order.push('closed'));
    await inFlight;
    expect(order).toEqual(['answered 200', 'closed']);
    await expect(get('/after')).rejects.toMatchObject({ code: 'POOL_CLOSED' });
    for (let i = 0; i < 100 && server.closed() < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect({ connections: server.connections(), closed: server.closed() }).toEqual({ connections: 2, closed: 2 });
  });
});
