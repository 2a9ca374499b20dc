// GETs for the registry client on node:http/node:https, shaped like the little of fetch it
// used. Not undici: its WASM parser and fetch cost a node agent ~5 MB of RSS from its first
// pull on. One connection per request (a pull is a handful of large ones), so a socket's
// timeout never outlives the response it was set for.
import * as http from 'node:http';
import * as https from 'node:https';

export interface RegistryResponse {
  status: number;
  ok: boolean;
  header(name: string): string | undefined;
  /** The body, unread; idle longer than the body timeout, it fails with BODY_TIMEOUT. */
  body: http.IncomingMessage;
  /** Drops the body unread. */
  cancel(): void;
  text(): Promise<string>;
}

export interface RegistryGet {
  headers: Record<string, string>;
  signal?: AbortSignal;
  /** Accept any certificate (an insecure registry). */
  skipVerify?: boolean;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

export class RegistryHttp {
  constructor(private readonly timeouts: { headersMs: number; bodyIdleMs: number }) {}

  /**
   * A GET that follows redirects (blob storage often answers elsewhere) and, as fetch does,
   * drops the Authorization header when a redirect leaves the origin.
   */
  async get(url: string, init: RegistryGet): Promise<RegistryResponse> {
    let target = new URL(url);
    const headers = { ...init.headers };
    for (let hops = 0; ; hops++) {
      const res = await this.once(target, headers, init);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.statusCode ?? 0) || !location) return wrap(res);
      res.destroy();
      if (hops === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects from ${url}`);
      const next = new URL(location, target);
      if (next.origin !== target.origin) delete headers.authorization;
      target = next;
    }
  }

  private once(url: URL, headers: Record<string, string>, init: RegistryGet): Promise<http.IncomingMessage> {
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') return Promise.reject(new Error(`unsupported protocol ${url.protocol}`));
    return new Promise((resolve, reject) => {
      const options: https.RequestOptions = { method: 'GET', headers, agent: false, signal: init.signal };
      if (secure) options.rejectUnauthorized = !init.skipVerify;
      const req = (secure ? https : http).request(url, options, (res) => {
        clearTimeout(timer);
        res.setTimeout(this.timeouts.bodyIdleMs, () => res.destroy(coded('BODY_TIMEOUT', `no body bytes for ${this.timeouts.bodyIdleMs} ms`)));
        resolve(res);
      });
      const timer = setTimeout(() => req.destroy(coded('HEADERS_TIMEOUT', `no answer within ${this.timeouts.headersMs} ms`)), this.timeouts.headersMs);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end();
    });
  }
}

function wrap(res: http.IncomingMessage): RegistryResponse {
  const status = res.statusCode ?? 0;
  return {
    status,
    ok: status >= 200 && status < 300,
    header: (name) => {
      const value = res.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    body: res,
    cancel: () => res.destroy(),
    text: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of res as AsyncIterable<Buffer>) chunks.push(chunk);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

function coded(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
