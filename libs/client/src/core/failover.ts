/**
 * Failover between several API servers (an HA control plane behind no load balancer).
 *
 * A server address may list several URLs separated by commas ("https://a:6443,https://b:6443"),
 * in a kubeconfig cluster's `server`, `--server` or COXSWAIN_SERVER alike; one URL is the
 * ordinary single-server case. The client sticks to one server and moves to the next when a
 * request cannot reach it or it answers 503 without Retry-After.
 */

import { CONNECT_TIMEOUT } from './http-pool';

/** Splits a comma-separated server list; at least one URL. */
export function parseServers(server: string): string[] {
  const servers = server
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (servers.length === 0) throw new Error(`no API server URL in "${server}"`);
  for (const s of servers) new URL(s);
  return servers;
}

/** The first server of a list, for callers that talk to one server directly (streams, websockets). */
export function firstServer(server: string): string {
  return parseServers(server)[0];
}

/**
 * - `not-sent`: the connection was never made (refused, unreachable, connect timeout), so the
 *   server saw nothing and any verb can be tried again elsewhere.
 * - `maybe-sent`: the connection broke after the request may have been received (reset, EOF,
 *   socket closed); only idempotent verbs are tried again, as client-go does for GET.
 * - `other`: not a connection problem (aborted by the caller, bad input) — no retry.
 */
export type ConnectionFailure = 'not-sent' | 'maybe-sent' | 'other';

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', CONNECT_TIMEOUT, 'EADDRNOTAVAIL']);
// ECONNRESET is also node:http's "socket hang up" (the server closed without answering). A
// server that takes too long to answer (HEADERS_TIMEOUT, BODY_TIMEOUT) is in neither set.
const MAYBE_SENT = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT']);

export function classifyConnectionError(error: unknown): ConnectionFailure {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const name = (e as { name?: string }).name;
    if (name === 'AbortError') return 'other';
    const code = (e as { code?: string }).code;
    if (code && NOT_SENT.has(code)) return 'not-sent';
    if (code && MAYBE_SENT.has(code)) return 'maybe-sent';
    const errors = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(errors) && errors.some((inner) => classifyConnectionError(inner) === 'not-sent')) return 'not-sent';
  }
  return 'other';
}

/** HTTP methods whose repetition has the same effect as one call (RFC 9110 §9.2.2). */
export function isIdempotent(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE';
}

/** Whether a failed attempt may be repeated (on the next server) for this method. */
export function retriableFailure(method: string, failure: ConnectionFailure): boolean {
  return failure === 'not-sent' || (failure === 'maybe-sent' && isIdempotent(method));
}

/** Back-off before another round over every server: 200 ms doubling, at most 2 s. */
export function roundBackoffMs(round: number): number {
  return Math.min(2000, 200 * 2 ** Math.max(0, round - 1));
}

/** The server in use, moving on when one fails; shared by requests and watches of a client. */
export class ServerRing {
  readonly servers: string[];
  private index = 0;

  constructor(server: string) {
    this.servers = parseServers(server);
  }

  get current(): string {
    return this.servers[this.index];
  }

  /** Moves past `failed` unless another caller already has (concurrent failures move once). */
  markFailed(failed: string): void {
    if (this.servers[this.index] === failed) this.index = (this.index + 1) % this.servers.length;
  }
}
