import type { IncomingMessage } from 'node:http';
import { createSecureContext } from 'node:tls';
import { ApiError, statusFromResponse } from './api-error';
import { Clock, realClock, sleep } from './clock';
import { classifyConnectionError, isIdempotent, retriableFailure, roundBackoffMs, ServerRing } from './failover';
import { HttpPool, readText, TlsSettings } from './http-pool';
import { Semaphore } from './semaphore';
import { TokenBucket } from './token-bucket';

/** How to reach and authenticate to the API server. */
export interface ConnectionOptions {
  /**
   * Base URL, e.g. https://127.0.0.1:6443 (a path prefix is kept), or several separated by
   * commas for an HA control plane: the client fails over between them (see failover.ts).
   */
  server: string;
  /** Bearer token. */
  token?: string;
  /** Basic auth, for kubeconfigs that still carry it. */
  username?: string;
  password?: string;
  /** PEM CA bundle that signs the server's certificate. */
  ca?: string | Buffer;
  /** PEM client certificate and key for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  insecureSkipTlsVerify?: boolean;
  /** SNI / certificate name to verify, when it differs from the URL host. */
  tlsServerName?: string;
}

export interface TransportOptions extends ConnectionOptions {
  /**
   * The client certificate and key for each new connection, read when it is made (wins over
   * cert/key): a rotated certificate is used without rebuilding the client.
   */
  clientCertificate?: () => { cert: string | Buffer; key: string | Buffer };
  userAgent?: string;
  /** Requests in flight at once (watches excluded: they are long-lived). Default 64. */
  maxConcurrentRequests?: number;
  /** Client-side rate limit; off unless qps is set. burst defaults to max(1, 2×qps). */
  qps?: number;
  burst?: number;
  /** Per request: time to response headers and between body bytes. Default 60 s. */
  timeoutMs?: number;
  /**
   * Retries of a request the server answered 429/5xx with Retry-After. Default 3. Also the
   * number of back-off rounds over every server when none can be reached.
   */
  maxRetries?: number;
  clock?: Clock;
  /** Called after each finished non-watch request (metrics). */
  onRequestDone?: (info: RequestInfo) => void;
}

export interface RequestInfo {
  method: string;
  path: string;
  code: number;
  durationMs: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RestRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  /** Serialized as JSON unless it is already a string. */
  body?: unknown;
  contentType?: string;
  /** Accept header for this request (server-side Tables); application/json otherwise. */
  accept?: string;
  signal?: AbortSignal;
  /**
   * Send a non-idempotent request again after a connection broke once it may have been
   * received, as for idempotent verbs: the caller tells a repeated effect from a real error
   * (a create of a named object: 409 AlreadyExists → is the stored object ours?). An error
   * answered to a retry after an uncertain attempt (that, or a 5xx with Retry-After) has
   * `retriedAfterUncertainOutcome` set.
   */
  repeatable?: boolean;
}

export interface RestResponse {
  code: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * HTTP/1.1 keep-alive transport to one API server (node:http pools, see http-pool.ts): auth
 * headers, TLS from PEM material, a concurrency cap, an optional QPS limit, Retry-After
 * handling, and non-2xx → ApiError. Watches go through `stream`, outside the concurrency cap.
 */
export class RestTransport {
  private pool: HttpPool;
  private watchPool: HttpPool;
  private readonly newPools: () => { pool: HttpPool; watchPool: HttpPool };
  private readonly ring: ServerRing;
  private readonly headers: Record<string, string>;
  private readonly semaphore: Semaphore;
  private readonly bucket?: TokenBucket;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private closed = false;
  private destroyed = false;

  constructor(private readonly options: TransportOptions) {
    this.ring = new ServerRing(options.server);
    this.clock = options.clock ?? realClock;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.semaphore = new Semaphore(options.maxConcurrentRequests ?? 64);
    if (options.qps) this.bucket = new TokenBucket(options.qps, options.burst ?? Math.max(1, Math.ceil(options.qps * 2)), this.clock);
    this.headers = { accept: 'application/json', 'user-agent': options.userAgent ?? 'coxswain-client' };
    if (options.token) this.headers.authorization = `Bearer ${options.token}`;
    else if (options.username !== undefined) {
      this.headers.authorization = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
    }
    const maxConcurrent = options.maxConcurrentRequests ?? 64;
    // One TLS context per credential, not per connection: given ca/cert/key, every new
    // connection parsed them into a fresh SecureContext (a tenth of a node agent's CPU while it
    // reconnected to stop 110 pods). A rotating client certificate is read for each new
    // connection, with one context per certificate handed out.
    const fixed = { cert: options.cert, key: options.key };
    let last: { material: object; settings: TlsSettings } | undefined;
    const tls = (): TlsSettings => {
      const material = options.clientCertificate?.() ?? fixed;
      if (last?.material !== material) {
        last = {
          material,
          settings: {
            secureContext: createSecureContext({ ca: options.ca, cert: material.cert, key: material.key }),
            rejectUnauthorized: !options.insecureSkipTlsVerify,
            servername: options.tlsServerName || undefined,
            sessions: new Map(),
          },
        };
      }
      return last.settings;
    };
    if (!options.clientCertificate) tls(); // bad PEM material fails here, not at the first request
    // Requests and watches use separate pools: requests share at most maxConcurrent
    // keep-alive connections, while each long-lived watch holds its own and never starves them.
    this.newPools = () => ({
      pool: new HttpPool({ maxSockets: maxConcurrent, idleTimeoutMs: 30_000, tls }),
      watchPool: new HttpPool({ idleTimeoutMs: 30_000, tls }),
    });
    ({ pool: this.pool, watchPool: this.watchPool } = this.newPools());
  }

  /**
   * New connections from now on, for new credentials (a rotated client certificate: the kubelet
   * closes every connection then too). Requests in flight finish on their old connection, which
   * then closes; open watches are cut, and their informers watch again over a new one.
   */
  async rotateConnections(): Promise<void> {
    if (this.closed) return;
    const old = { pool: this.pool, watchPool: this.watchPool };
    ({ pool: this.pool, watchPool: this.watchPool } = this.newPools());
    await Promise.all([old.pool.close(), old.watchPool.destroy()]);
  }

  /** The configured server (list), as given. */
  get server(): string {
    return this.options.server;
  }

  /** The server requests go to now. */
  get currentServer(): string {
    return this.ring.current;
  }

  get servers(): readonly string[] {
    return this.ring.servers;
  }

  /**
   * Sends a request and reads the whole body; throws ApiError for non-2xx answers. A server
   * that cannot be reached (any verb) or that broke the connection (idempotent verbs), or
   * that answers 503 without Retry-After (idempotent verbs, several servers), is left for the
   * next; after a full round of failures the client backs off before the next round. A DELETE
   * retried after a broken connection that finds the object gone (404) succeeded. Requests
   * marked `repeatable` are retried like idempotent ones.
   */
  async request(req: RestRequest): Promise<RestResponse> {
    const servers = this.ring.servers.length;
    let retryAfterAttempts = 0;
    let failures = 0;
    // An attempt may have taken effect without us knowing: a connection broke after the request
    // may have reached a server, or a server answered 5xx (ServerTimeout: etcd may have committed).
    let maybeSent = false;
    for (;;) {
      await this.bucket?.acquire(req.signal);
      const server = this.ring.current;
      let res: RestResponse;
      try {
        res = await this.semaphore.run(() => this.once(server, req));
      } catch (error) {
        const failure = classifyConnectionError(error);
        if (this.closed || req.signal?.aborted || !(retriableFailure(req.method, failure) || (req.repeatable && failure === 'maybe-sent'))) throw error;
        if (failure === 'maybe-sent') maybeSent = true;
        if (++failures >= servers * (this.maxRetries + 1)) throw error;
        this.ring.markFailed(server);
        if (failures % servers === 0) await sleep(this.clock, roundBackoffMs(failures / servers), req.signal);
        continue;
      }
      if (res.code >= 200 && res.code < 300) return res;
      if (maybeSent && res.code === 404 && req.method === 'DELETE') return retriedDeleteGone(req.path);
      const retryAfter = retryAfterSeconds(res);
      if (retryAfter !== undefined && (res.code === 429 || res.code >= 500) && retryAfterAttempts < this.maxRetries) {
        retryAfterAttempts++;
        // 429 is refused before any work; a 5xx may come after the write went through.
        if (res.code >= 500) maybeSent = true;
        await sleep(this.clock, Math.min(retryAfter, 30) * 1000, req.signal);
        continue;
      }
      if (res.code === 503 && retryAfter === undefined && servers > 1 && (isIdempotent(req.method) || req.repeatable) && ++failures < servers * (this.maxRetries + 1)) {
        this.ring.markFailed(server);
        if (failures % servers === 0) await sleep(this.clock, roundBackoffMs(failures / servers), req.signal);
        continue;
      }
      const error = new ApiError(statusFromResponse(res.code, res.text, headerValue(res.headers['retry-after'])), req.method, req.path);
      error.retriedAfterUncertainOutcome = maybeSent;
      throw error;
    }
  }

  /**
   * Opens a long-lived streaming GET (watch). Resolves once headers arrive with a 2xx; the
   * caller iterates `body` and must destroy it (or abort the signal) when done.
   */
  async stream(req: Omit<RestRequest, 'method' | 'body'>): Promise<{ body: AsyncIterable<Uint8Array> & { destroy(): void } }> {
    await this.bucket?.acquire(req.signal);
    // One pass over the servers: a watch that cannot start anywhere is the caller's to back
    // off and resume (from its last resourceVersion: every server reads the same etcd).
    for (let tried = 1; ; tried++) {
      const server = this.ring.current;
      const { url, basePath } = splitServer(server);
      let res: IncomingMessage;
      try {
        res = await this.watchPool.open(url, {
          method: 'GET',
          path: basePath + this.pathWithQuery(req.path, req.query),
          headers: this.headers,
          signal: req.signal,
          timeoutMs: this.timeoutMs,
        });
      } catch (error) {
        if (this.closed || req.signal?.aborted || !retriableFailure('GET', classifyConnectionError(error)) || tried >= this.ring.servers.length) throw error;
        this.ring.markFailed(server);
        continue;
      }
      const code = res.statusCode ?? 0;
      if (code < 200 || code >= 300) {
        const text = await readText(res).catch(() => '');
        if (code === 503 && res.headers['retry-after'] === undefined && tried < this.ring.servers.length) {
          this.ring.markFailed(server);
          continue;
        }
        throw new ApiError(statusFromResponse(code, text), 'GET', req.path);
      }
      return { body: res };
    }
  }

  /** Closes idle keep-alive connections and refuses further requests. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Open watches never finish on their own, so they are cut rather than awaited.
    await Promise.all([this.pool.close(), this.watchPool.destroy()]);
  }

  /** Drops every connection now, including open watches. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.closed = this.destroyed = true;
    await Promise.all([this.pool.destroy(), this.watchPool.destroy()]);
  }

  private async once(server: string, req: RestRequest): Promise<RestResponse> {
    const { url, basePath } = splitServer(server);
    const started = performance.now();
    const headers: Record<string, string> = { ...this.headers };
    if (req.accept) headers.accept = req.accept;
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['content-type'] = req.contentType ?? 'application/json';
    }
    const res = await this.pool.fetch(url, {
      method: req.method,
      path: basePath + this.pathWithQuery(req.path, req.query),
      headers,
      body,
      signal: req.signal,
      timeoutMs: this.timeoutMs,
    });
    this.options.onRequestDone?.({ method: req.method, path: req.path, code: res.code, durationMs: performance.now() - started });
    return res;
  }

  private pathWithQuery(path: string, query?: Query): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
    const qs = params.toString();
    return `${path}${qs ? `?${qs}` : ''}`;
  }
}

/**
 * A DELETE sent again after the connection broke, answered 404: the first attempt most likely
 * deleted the object before the connection went (the server was killed after committing), so
 * the caller's intent is done — answered as the Status a delete of an already-gone object
 * succeeds with, not as an error.
 */
function retriedDeleteGone(path: string): RestResponse {
  const name = path.split('/').filter(Boolean).pop() ?? '';
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name } };
  return { code: 200, headers: {}, text: JSON.stringify(status) };
}

function splitServer(server: string): { url: URL; basePath: string } {
  const url = new URL(server);
  return { url, basePath: url.pathname.replace(/\/+$/, '') };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function retryAfterSeconds(res: RestResponse): number | undefined {
  const raw = headerValue(res.headers['retry-after']);
  if (raw === undefined) return undefined;
  const seconds = Number.parseInt(raw, 10);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
