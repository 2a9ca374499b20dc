/**
 * Keep-alive HTTP/1.1 connection pools on node:http / node:https, for the REST transport.
 * Built-in rather than undici: loading undici costs every process that uses the client 5–8 MB
 * of RSS (its llhttp WASM, fetch, …), and the node agent only needs plain requests.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { connect as netConnect, isIP, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, SecureContext } from 'node:tls';

/** Codes of this module's own errors (failover.ts classifies them). */
export const CONNECT_TIMEOUT = 'CONNECT_TIMEOUT';
export const HEADERS_TIMEOUT = 'HEADERS_TIMEOUT';
export const BODY_TIMEOUT = 'BODY_TIMEOUT';
export const POOL_CLOSED = 'POOL_CLOSED';

/** The TLS side of new connections. */
export interface TlsSettings {
  secureContext: SecureContext;
  rejectUnauthorized: boolean;
  /** SNI and the name the server's certificate must carry; the URL's host (unless an IP) otherwise. */
  servername?: string;
  /** Sessions to resume, by host:port:servername. Kept per settings, so a new client certificate never resumes an old session. */
  sessions: Map<string, Buffer>;
}

export interface HttpPoolOptions {
  /** Connections per server; further requests wait for one. Unbounded when unset. */
  maxSockets?: number;
  /** An idle connection is closed after this long (sooner if the server's Keep-Alive header asks). */
  idleTimeoutMs: number;
  /** Time to establish a connection, TCP and TLS. Default 10 s (undici's). */
  connectTimeoutMs?: number;
  /** Read for each new connection, so a rotated client certificate is used from then on. */
  tls: () => TlsSettings;
}

export interface PoolRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** From the request written to its response headers; for `fetch` also between body chunks. */
  timeoutMs: number;
}

export interface PoolResponse {
  code: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

interface Attempt {
  /** The request was written to a connection (the server may have it). */
  written: boolean;
  /** It failed on a kept-alive connection the server had closed, before any byte of an answer. */
  stale: boolean;
}

const RESET = new Set(['ECONNRESET', 'EPIPE']);

export class HttpPool {
  private readonly agents: Record<'http:' | 'https:', http.Agent>;
  private readonly sockets = new Set<Socket>();
  private readonly drained: Array<() => void> = [];
  private closed = false;
  private destroyed = false;

  constructor(private readonly options: HttpPoolOptions) {
    const agentOptions: http.AgentOptions = {
      keepAlive: true,
      keepAliveMsecs: 60_000, // TCP keep-alive probes after 60 s of silence, as connect() sets

      maxSockets: options.maxSockets,
      maxFreeSockets: options.maxSockets,
      timeout: options.idleTimeoutMs,
    };
    this.agents = { 'http:': this.agent(http.Agent, false, agentOptions), 'https:': this.agent(https.Agent, true, agentOptions) };
  }

  /** Sends a request and reads the whole answer. */
  async fetch(origin: URL, req: PoolRequest): Promise<PoolResponse> {
    const { res, text } = await this.exchange(origin, req, true);
    return { code: res.statusCode ?? 0, headers: res.headers, text: text ?? '' };
  }

  /** Sends a request; resolves once the response headers are in. The caller reads or destroys the body (no timeout). */
  async open(origin: URL, req: PoolRequest): Promise<http.IncomingMessage> {
    return (await this.exchange(origin, req, false)).res;
  }

  /** Refuses new requests and closes idle connections now, the others once their request is done; resolves when all are closed. */
  close(): Promise<void> {
    this.closed = true;
    for (const agent of Object.values(this.agents)) for (const idle of Object.values(agent.freeSockets)) for (const socket of idle ?? []) socket.destroy();
    return this.allClosed();
  }

  /** Closes every connection now, cutting what is in flight. */
  destroy(): Promise<void> {
    this.closed = this.destroyed = true;
    for (const socket of this.sockets) socket.destroy();
    return this.allClosed();
  }

  private async exchange(origin: URL, req: PoolRequest, readBody: boolean): Promise<{ res: http.IncomingMessage; text?: string }> {
    if (this.closed) throw coded(POOL_CLOSED, 'connection pool closed');
    if (req.signal?.aborted) throw req.signal.reason;
    const first: Attempt = { written: false, stale: false };
    try {
      return await this.attempt(origin, req, readBody, first, false);
    } catch (error) {
      if (!first.stale || req.signal?.aborted || this.destroyed) throw error;
      // A reset on a kept-alive connection before any byte of an answer: most likely the server
      // closed it as the request went out (its keep-alive timeout, or a shutdown closing idle
      // connections) and never read the request. Sent once more on a new connection, whatever the
      // verb (bodies are strings, so replayable), lest a POST/PATCH fail for nothing. Go's
      // net/http retries there too, but it can tell a close that came before the write; Node
      // cannot, so a server that read the request and then dropped the connection while staying
      // up gets it twice. (Our idle connections close at 30 s, before the API server's 65 s
      // keepAliveTimeout, so against it the race takes a shutdown.)
      const again: Attempt = { written: false, stale: false };
      try {
        return await this.attempt(origin, req, readBody, again, true);
      } catch (retryError) {
        // Not even connected (the server is gone): report the first failure, which may have been received.
        throw again.written ? retryError : error;
      }
    }
  }

  private attempt(origin: URL, r: PoolRequest, readBody: boolean, attempt: Attempt, fresh: boolean): Promise<{ res: http.IncomingMessage; text?: string }> {
    const secure = origin.protocol === 'https:';
    if (!secure && origin.protocol !== 'http:') return Promise.reject(new Error(`unsupported protocol ${origin.protocol}`));
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request({
        hostname: origin.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: origin.port || (secure ? 443 : 80),
        defaultPort: secure ? 443 : 80,
        path: r.path,
        method: r.method,
        headers: r.body === undefined ? r.headers : { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) },
        // The retry of a stale connection bypasses the pool: a one-off connection (Connection: close).
        ...(fresh ? { createConnection: (options: http.ClientRequestArgs) => this.connect(secure, options) } : { agent: this.agents[origin.protocol as 'http:' | 'https:'] }),
      });
      let timer: NodeJS.Timeout | undefined;
      let response: http.IncomingMessage | undefined;
      let answered = false;
      const timeout = (code: string, what: string) => () => (response ?? req).destroy(coded(code, `${what} timed out after ${r.timeoutMs} ms`));
      const fail = (error: unknown) => {
        clearTimeout(timer);
        const code = (error as { code?: string } | undefined)?.code ?? '';
        attempt.stale = !fresh && req.reusedSocket && !answered && RESET.has(code);
        // A connection that broke before the whole answer came, as an error of this module (as
        // undici's SocketError was; node core's errors are another realm's Error under jest).
        reject(RESET.has(code) ? Object.assign(new Error((error as Error).message), { code }) : error);
      };
      // Aborting rejects with (and ends a body being read with) the signal's reason.
      const onAbort = () => (response ?? req).destroy(r.signal?.reason);
      r.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('close', () => r.signal?.removeEventListener('abort', onAbort));
      req.on('error', fail);
      req.on('socket', (socket) => {
        const onData = () => (answered = true);
        socket.once('data', onData);
        req.once('close', () => socket.off('data', onData));
      });
      req.on('finish', () => {
        attempt.written = true;
        if (!response) timer = setTimeout(timeout(HEADERS_TIMEOUT, 'response headers'), r.timeoutMs);
      });
      req.on('response', (res: http.IncomingMessage) => {
        response = res;
        clearTimeout(timer);
        if (!readBody) return resolve({ res });
        const chunks: Buffer[] = [];
        const bodyTimer = (timer = setTimeout(timeout(BODY_TIMEOUT, 'response body'), r.timeoutMs));
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          bodyTimer.refresh();
        });
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(bodyTimer);
          resolve({ res, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end(r.body);
    });
  }

  /** An agent whose connections this pool makes, and which closes them once the pool is closed. */
  private agent(Base: typeof http.Agent, secure: boolean, options: http.AgentOptions): http.Agent {
    const connect = (connectOptions: http.ClientRequestArgs) => this.connect(secure, connectOptions);
    const closed = () => this.closed;
    return new (class extends Base {
      override createConnection(connectOptions: http.ClientRequestArgs): Duplex {
        return connect(connectOptions);
      }

      override keepSocketAlive(socket: Duplex) {
        return closed() ? false : super.keepSocketAlive(socket);
      }
    })(options);
  }

  /** A new connection with the TLS settings of the moment and a connect timeout. */
  private connect(secure: boolean, options: http.ClientRequestArgs): Socket {
    const host = options.host ?? options.hostname ?? 'localhost';
    const port = Number(options.port);
    let socket: Socket;
    if (secure) {
      const tls = this.options.tls();
      const servername = tls.servername ?? (isIP(host) ? undefined : host);
      const key = `${host}:${port}:${servername ?? ''}`;
      socket = tlsConnect({ host, port, servername, secureContext: tls.secureContext, rejectUnauthorized: tls.rejectUnauthorized, session: tls.sessions.get(key) });
      socket.on('session', (session: Buffer) => tls.sessions.set(key, session));
    } else {
      socket = netConnect({ host, port });
    }
    socket.setNoDelay(true).setKeepAlive(true, 60_000);
    const ms = this.options.connectTimeoutMs ?? 10_000;
    const timer = setTimeout(() => socket.destroy(coded(CONNECT_TIMEOUT, `connecting to ${host}:${port} timed out after ${ms} ms`)), ms);
    socket.once(secure ? 'secureConnect' : 'connect', () => clearTimeout(timer));
    this.sockets.add(socket);
    socket.once('close', () => {
      clearTimeout(timer);
      this.sockets.delete(socket);
      if (this.sockets.size === 0) for (const resolve of this.drained.splice(0)) resolve();
    });
    return socket;
  }

  private allClosed(): Promise<void> {
    return this.sockets.size === 0 ? Promise.resolve() : new Promise((resolve) => this.drained.push(resolve));
  }
}

/** Reads a whole body as text. */
export async function readText(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function coded(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
