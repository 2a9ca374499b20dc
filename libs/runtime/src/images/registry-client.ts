import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat, truncate } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { sha256 } from './content-store';
import { DigestMismatchError, EndpointAttempt, ImageNotFoundError, ImagePullError, ImageTooLargeError, RegistryUnavailableError } from './errors';
import { parseAuthChallenge, RegistryConfig, RegistryEndpoint, registryEndpoints, tokenUrl } from './hosts';
import { Descriptor, MANIFEST_ACCEPT } from './manifest';
import { formatReference, ImageReference, manifestReference } from './reference';
import { RegistryHttp, RegistryResponse } from './registry-http';

export interface RegistryClientOptions {
  config?: RegistryConfig;
  /** Bound on manifest and token requests (blob bodies use an idle timeout instead). */
  requestTimeoutMs?: number;
  /** Idle time after which a blob body is considered stalled. */
  bodyIdleTimeoutMs?: number;
  /** Size bounds on manifests, configs and compressed layers (defaults: DEFAULT_PULL_LIMITS). */
  limits?: Partial<PullLimits>;
}

/** A manifest (or index) fetched from one endpoint and checked against its digest. */
export interface FetchedManifest {
  endpoint: RegistryEndpoint;
  digest: string;
  mediaType: string;
  body: Buffer;
}

/** Network-level failure talking to one endpoint (connection, DNS, TLS, timeout, 5xx). */
class EndpointUnreachable extends Error {}
/** The endpoint answered "no such thing" (404) or refused access (401/403). */
class EndpointMissing extends Error {
  constructor(message: string, readonly outcome: 'not-found' | 'denied') {
    super(message);
  }
}

/** Progress of one blob download: bytes on disk so far (including a resumed prefix). */
export type BytesCallback = (downloaded: number) => void;

/**
 * OCI distribution (Docker registry v2) client: anonymous, bearer-token and basic auth,
 * mirrors tried in order before the upstream, manifests checked against their digests and
 * blobs streamed to disk with Range resume. Nothing here writes to the image store.
 */
export class RegistryClient {
  private readonly config: RegistryConfig;
  private readonly requestTimeoutMs: number;
  private readonly bodyIdleTimeoutMs: number;
  readonly limits: PullLimits;
  private readonly web: RegistryHttp;
  /** Bearer tokens per `${endpoint}|${repository}`. */
  private readonly tokens = new Map<string, string>();

  constructor(options: RegistryClientOptions = {}) {
    this.config = options.config ?? {};
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.limits = { ...DEFAULT_PULL_LIMITS, ...options.limits };
    this.bodyIdleTimeoutMs = options.bodyIdleTimeoutMs ?? 60_000;
    this.web = new RegistryHttp({ headersMs: this.requestTimeoutMs, bodyIdleMs: this.bodyIdleTimeoutMs });
  }

  /** Nothing to release: every request has a connection of its own (registry-http.ts). */
  async close(): Promise<void> {}

  endpointsFor(ref: ImageReference): RegistryEndpoint[] {
    return registryEndpoints(ref.domain, this.config);
  }

  /**
   * Asks each endpoint (mirrors first) for the reference's manifest and returns the first
   * answer. Throws ImageNotFoundError when an endpoint answered but none had it, and
   * RegistryUnavailableError when none could be reached at all.
   */
  async resolve(ref: ImageReference): Promise<FetchedManifest> {
    const attempts: EndpointAttempt[] = [];
    for (const endpoint of this.endpointsFor(ref)) {
      try {
        return await this.getManifest(endpoint, ref.path, manifestReference(ref), ref.digest);
      } catch (error) {
        if (error instanceof EndpointMissing) attempts.push({ endpoint: endpoint.url, outcome: error.outcome, detail: error.message });
        else if (error instanceof EndpointUnreachable) attempts.push({ endpoint: endpoint.url, outcome: 'unreachable', detail: error.message });
        else throw error;
      }
    }
    const name = formatReference(ref);
    if (attempts.some((a) => a.outcome !== 'unreachable')) throw new ImageNotFoundError(name, attempts);
    throw new RegistryUnavailableError(name, attempts);
  }

  /** GETs a manifest by tag or digest from one endpoint; verifies it against `expectDigest` or the registry's Docker-Content-Digest. */
  fetchManifest(endpoint: RegistryEndpoint, repository: string, reference: string, expectDigest?: string, expectSize?: number): Promise<FetchedManifest> {
    return guard(endpoint, `${repository}@${reference}`, () => this.getManifest(endpoint, repository, reference, expectDigest, expectSize));
  }

  private async getManifest(endpoint: RegistryEndpoint, repository: string, reference: string, expectDigest?: string, expectSize?: number): Promise<FetchedManifest> {
    const res = await this.send(endpoint, repository, `manifests/${reference}`, { accept: MANIFEST_ACCEPT }, true);
    const body = await readBounded(res, this.limits.maxManifestBytes, `manifest ${repository}:${reference}`);
    const digest = sha256(body);
    const claimed = res.header('docker-content-digest');
    const want = expectDigest ?? (claimed?.startsWith('sha256:') ? claimed : undefined);
    const source = `manifest ${repository}:${reference} from ${endpoint.url}`;
    if (want && want !== digest) throw new DigestMismatchError(want, digest, source);
    if (expectSize !== undefined && expectSize !== body.length) throw new DigestMismatchError(`${want} (${expectSize} bytes)`, `${digest} (${body.length} bytes)`, source);
    return { endpoint, digest, mediaType: res.header('content-type')?.split(';')[0].trim() ?? '', body };
  }

  /** Small blobs (configs) straight into memory, verified. */
  fetchSmallBlob(endpoint: RegistryEndpoint, repository: string, desc: Descriptor): Promise<Buffer> {
    return guard(endpoint, `${repository}@${desc.digest}`, () => this.getSmallBlob(endpoint, repository, desc));
  }

  private async getSmallBlob(endpoint: RegistryEndpoint, repository: string, desc: Descriptor): Promise<Buffer> {
    const what = `config ${repository}@${desc.digest}`;
    if (desc.size > this.limits.maxConfigBytes) throw new ImageTooLargeError(`${what} (${desc.size} bytes)`, this.limits.maxConfigBytes);
    const res = await this.send(endpoint, repository, `blobs/${desc.digest}`, {}, true);
    const body = await readBounded(res, this.limits.maxConfigBytes, what);
    const digest = sha256(body);
    if (digest !== desc.digest || body.length !== desc.size) {
      throw new DigestMismatchError(desc.digest, digest, `blob ${repository}@${desc.digest} from ${endpoint.url}`);
    }
    return body;
  }

  /**
   * Streams a blob into `dest`, resuming from its current length with a Range request.
   * Returns the sha256 and size of the whole file; the caller decides whether to commit it.
   * Throws before writing past `desc.size`. A dropped connection leaves the partial file.
   */
  downloadBlob(endpoint: RegistryEndpoint, repository: string, desc: Descriptor, dest: string, onBytes?: BytesCallback): Promise<{ digest: string; size: number }> {
    return guard(endpoint, `${repository}@${desc.digest}`, () => this.download(endpoint, repository, desc, dest, onBytes));
  }

  private async download(endpoint: RegistryEndpoint, repository: string, desc: Descriptor, dest: string, onBytes?: BytesCallback): Promise<{ digest: string; size: number }> {
    // The body is cut off at desc.size (streamInto), so checking the declared size bounds it.
    if (desc.size > this.limits.maxLayerBytes) throw new ImageTooLargeError(`layer ${repository}@${desc.digest} (${desc.size} bytes)`, this.limits.maxLayerBytes);
    let offset = await stat(dest).then((s) => s.size, () => 0);
    if (offset > desc.size) {
      await truncate(dest, 0);
      offset = 0;
    }
    let hash = createHash('sha256');
    if (offset > 0) {
      for await (const chunk of createReadStream(dest, { end: offset - 1 }) as AsyncIterable<Buffer>) hash.update(chunk);
    }
    if (offset === desc.size) return { digest: 'sha256:' + hash.digest('hex'), size: offset };

    const path = `blobs/${desc.digest}`;
    const res = await this.send(endpoint, repository, path, offset > 0 ? { range: `bytes=${offset}-` } : {}, false);
    if (offset > 0 && res.status !== 206) {
      // The server ignored the Range (200): take the whole body from the start.
      hash = createHash('sha256');
      offset = 0;
    }
    let size = offset;
    await this.streamInto(res, hash, dest, offset, desc, (n) => {
      size = offset + n;
      onBytes?.(size);
    });
    return { digest: 'sha256:' + hash.digest('hex'), size };
  }

  private async streamInto(res: RegistryResponse, hash: ReturnType<typeof createHash>, dest: string, start: number, desc: Descriptor, progress: (n: number) => void): Promise<void> {
    let received = 0;
    const append = start > 0;
    try {
      await pipeline(
        res.body,
        async function* (source) {
          for await (const chunk of source as AsyncIterable<Buffer>) {
            received += chunk.length;
            if (start + received > desc.size) throw new DigestMismatchError(`${desc.digest} (${desc.size} bytes)`, `more than ${desc.size} bytes`, `blob ${desc.digest}`);
            hash.update(chunk);
            progress(received);
            yield chunk;
          }
        },
        createWriteStream(dest, { flags: append ? 'a' : 'w' }),
      );
    } catch (error) {
      if (error instanceof DigestMismatchError) throw error;
      throw new EndpointUnreachable(`blob ${desc.digest} download interrupted: ${(error as Error).message}`);
    }
  }

  /**
   * One request under /v2/<repository>/, answering a 401 challenge once (bearer token or
   * basic credentials). `failOnMissing` maps 404/401/403 to EndpointMissing.
   */
  private async send(endpoint: RegistryEndpoint, repository: string, path: string, headers: Record<string, string>, bounded: boolean): Promise<RegistryResponse> {
    const url = `${endpoint.url}/v2/${repository}/${path}`;
    const tokenKey = `${endpoint.url}|${repository}`;
    const go = async () => {
      const auth = this.authorization(endpoint, tokenKey);
      try {
        return await this.web.get(url, {
          headers: { ...headers, ...(auth ? { authorization: auth } : {}), 'user-agent': 'coxswain' },
          skipVerify: endpoint.skipVerify,
          signal: bounded ? AbortSignal.timeout(this.requestTimeoutMs) : undefined,
        });
      } catch (error) {
        throw new EndpointUnreachable(describeNetworkError(error));
      }
    };
    let res = await go();
    if (res.status === 401) {
      const challenge = parseAuthChallenge(res.header('www-authenticate') ?? '');
      res.cancel();
      if (challenge && (await this.authenticate(endpoint, repository, tokenKey, challenge))) res = await go();
    }
    if (res.ok) return res;
    const detail = await errorDetail(res);
    if (res.status === 404) throw new EndpointMissing(`HTTP 404${detail}`, 'not-found');
    if (res.status === 401 || res.status === 403) throw new EndpointMissing(`HTTP ${res.status}${detail}`, 'denied');
    if (res.status >= 500 || res.status === 429) throw new EndpointUnreachable(`HTTP ${res.status}${detail}`);
    throw new ImagePullError(`${url}: HTTP ${res.status}${detail}`);
  }

  private authorization(endpoint: RegistryEndpoint, tokenKey: string): string | undefined {
    const token = this.tokens.get(tokenKey);
    if (token === 'basic') {
      const c = this.config.auths?.[endpoint.host];
      return `Basic ${Buffer.from(`${c?.username ?? ''}:${c?.password ?? ''}`).toString('base64')}`;
    }
    return token ? `Bearer ${token}` : undefined;
  }

  /** Obtains credentials for a challenge; false when there is nothing to try. */
  private async authenticate(endpoint: RegistryEndpoint, repository: string, tokenKey: string, challenge: { scheme: string; params: Record<string, string> }): Promise<boolean> {
    const creds = this.config.auths?.[endpoint.host];
    if (challenge.scheme === 'basic') {
      if (!creds?.username || this.tokens.get(tokenKey) === 'basic') return false;
      this.tokens.set(tokenKey, 'basic');
      return true;
    }
    if (challenge.scheme !== 'bearer') return false;
    if (creds?.token) {
      if (this.tokens.get(tokenKey) === creds.token) return false;
      this.tokens.set(tokenKey, creds.token);
      return true;
    }
    const headers: Record<string, string> = {};
    if (creds?.username) headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}`;
    let res: RegistryResponse;
    try {
      res = await this.web.get(tokenUrl(challenge, repository), { headers, skipVerify: endpoint.skipVerify, signal: AbortSignal.timeout(this.requestTimeoutMs) });
    } catch (error) {
      throw new EndpointUnreachable(`token endpoint: ${describeNetworkError(error)}`);
    }
    if (!res.ok) {
      res.cancel();
      throw new EndpointMissing(`token endpoint answered HTTP ${res.status}`, 'denied');
    }
    let body: { token?: string; access_token?: string };
    try {
      body = JSON.parse(await res.text()) as typeof body;
    } catch (error) {
      throw new EndpointUnreachable(`token endpoint: ${describeNetworkError(error)}`);
    }
    const token = body.token ?? body.access_token;
    if (!token) throw new EndpointMissing('token endpoint returned no token', 'denied');
    this.tokens.set(tokenKey, token);
    return true;
  }
}

/** Size bounds a node puts on what it pulls. */
export interface PullLimits {
  maxManifestBytes: number;
  maxConfigBytes: number;
  /** Compressed size of one layer blob. */
  maxLayerBytes: number;
}

export const DEFAULT_PULL_LIMITS: PullLimits = { maxManifestBytes: 4 * 2 ** 20, maxConfigBytes: 8 * 2 ** 20, maxLayerBytes: 10 * 2 ** 30 };

/** Reads a whole response body, refusing (before and while reading) one bigger than `limit`. */
async function readBounded(res: RegistryResponse, limit: number, what: string): Promise<Buffer> {
  const declared = Number(res.header('content-length') ?? NaN);
  if (declared > limit) {
    res.cancel();
    throw new ImageTooLargeError(`${what} (${declared} bytes)`, limit);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limit) {
        res.cancel();
        throw new ImageTooLargeError(what, limit);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof ImageTooLargeError) throw error;
    throw new EndpointUnreachable(`${what} download interrupted: ${describeNetworkError(error)}`);
  }
  return Buffer.concat(chunks);
}

/** Maps this module's per-endpoint failures to the exported error classes. */
async function guard<T>(endpoint: RegistryEndpoint, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof EndpointUnreachable) {
      throw new RegistryUnavailableError(what, [{ endpoint: endpoint.url, outcome: 'unreachable', detail: error.message }]);
    }
    if (error instanceof EndpointMissing) throw new ImagePullError(`${what} on ${endpoint.url}: ${error.outcome} (${error.message})`);
    throw error;
  }
}

function describeNetworkError(error: unknown): string {
  const e = error as Error & { code?: string; cause?: { name?: string; code?: string; message?: string } };
  // AbortSignal.timeout aborts with an AbortError whose cause is the TimeoutError.
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError' || e?.code === 'HEADERS_TIMEOUT') return 'timed out';
  if (typeof e?.code === 'string') return e.code;
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
}

/** `: MANIFEST_UNKNOWN manifest unknown` from a registry error body, when there is one. */
async function errorDetail(res: RegistryResponse): Promise<string> {
  try {
    const text = await res.text();
    const body = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> };
    const first = body.errors?.[0];
    return first ? `: ${first.code ?? ''} ${first.message ?? ''}`.trimEnd() : '';
  } catch {
    return '';
  }
}
