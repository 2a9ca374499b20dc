// Requests from the dashboard server to the API server with the session's bearer token,
// trusting the cluster CA when one is configured.
import { readFileSync } from 'node:fs';
import { Agent, fetch, type Response } from 'undici';
import { DashboardConfig } from './config';

export class Upstream {
  readonly dispatcher: Agent;
  readonly ca?: string;

  constructor(readonly config: Pick<DashboardConfig, 'apiUrl' | 'caFile'>) {
    this.ca = config.caFile ? readFileSync(config.caFile, 'utf8') : undefined;
    // Watches and log follows stay open for long: no body timeout on this agent.
    this.dispatcher = new Agent({ connect: this.ca ? { ca: this.ca } : {}, bodyTimeout: 0, headersTimeout: 30_000, keepAliveTimeout: 30_000 });
  }

  url(path: string): string {
    return `${this.config.apiUrl}${path}`;
  }

  fetch(token: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array | ReadableStream; signal?: AbortSignal } = {}): Promise<Response> {
    return fetch(this.url(path), {
      method: init.method ?? 'GET',
      headers: { ...init.headers, authorization: `Bearer ${token}` },
      body: init.body as never,
      signal: init.signal,
      dispatcher: this.dispatcher,
      duplex: init.body instanceof ReadableStream ? 'half' : undefined,
    } as never);
  }

  async json<T>(token: string, path: string, signal?: AbortSignal): Promise<T> {
    const res = await this.fetch(token, path, { headers: { accept: 'application/json' }, signal });
    const body = await res.text();
    if (!res.ok) throw new UpstreamError(res.status, body);
    return JSON.parse(body) as T;
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}

export class UpstreamError extends Error {
  constructor(readonly status: number, readonly body: string) {
    super(statusMessage(status, body));
  }
}

/** The message of a Kubernetes Status body, or the raw text. */
export function statusMessage(code: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: string };
    if (parsed.message) return parsed.message;
  } catch {
    /* not JSON */
  }
  return `HTTP ${code}${body ? `: ${body.slice(0, 200)}` : ''}`;
}

/**
 * A path the proxy may forward: the API's resource trees only, no dot segments or
 * encoded slashes that could climb out of them.
 */
export function allowedApiPath(path: string): boolean {
  if (!/^\/(api|apis)(\/|$)/.test(path)) return false;
  if (/%2e|%2f|%5c|\\/i.test(path)) return false;
  return !path.split('/').some((seg) => seg === '..' || seg === '.');
}
