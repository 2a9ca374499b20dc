// WebSockets to the API server (exec, VM console) with the kubeconfig's credentials and TLS
// settings, and the Kubernetes channel protocol exec speaks: every binary frame starts with
// a channel byte — 0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize (v5: 255 close).
import { ConnectionOptions, statusFromResponse, ApiError, firstServer } from '@coxswain/client';
import WebSocket from 'ws';

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;
export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/** `path?query` with repeated keys (command=a&command=b) kept in order. */
export function buildQuery(params: Array<[string, string | number | boolean | undefined]>): string {
  const q = new URLSearchParams();
  for (const [k, v] of params) if (v !== undefined) q.append(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : '';
}

export function websocketUrl(server: string, pathAndQuery: string): string {
  // Streams go to the first server of an HA list (no failover for an open exec/attach).
  const url = new URL(firstServer(server));
  const base = url.pathname.replace(/\/+$/, '');
  return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}${base}${pathAndQuery}`;
}

/**
 * Opens a socket; rejects with the server's Status (ApiError) when it refuses the upgrade.
 * The socket comes back paused so nothing the server sends at once is lost before the
 * caller's listeners are in place: call `ws.resume()` after attaching them.
 */
export function openWebSocket(conn: ConnectionOptions, pathAndQuery: string, protocols: string[]): Promise<WebSocket> {
  const headers: Record<string, string> = {};
  if (conn.token) headers.authorization = `Bearer ${conn.token}`;
  else if (conn.username !== undefined) headers.authorization = `Basic ${Buffer.from(`${conn.username}:${conn.password ?? ''}`).toString('base64')}`;
  const ws = new WebSocket(websocketUrl(conn.server, pathAndQuery), protocols, {
    headers,
    ca: conn.ca,
    cert: conn.cert,
    key: conn.key,
    rejectUnauthorized: !conn.insecureSkipTlsVerify,
    ...(conn.tlsServerName ? ({ servername: conn.tlsServerName } as object) : {}),
    handshakeTimeout: 30_000,
    perMessageDeflate: false,
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.pause();
      resolve(ws);
    });
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => reject(new ApiError(statusFromResponse(res.statusCode ?? 500, Buffer.concat(chunks).toString('utf8')), 'GET', pathAndQuery.split('?')[0])));
      res.on('error', reject);
    });
    ws.once('error', reject);
  });
}

/** One frame on a channel. */
export function channelFrame(channel: number, data: Uint8Array | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
  return Buffer.concat([Buffer.from([channel]), body]);
}

/**
 * The exit code a v4/v5 error-channel Status carries: 0 for Success, the ExitCode cause for
 * NonZeroExitCode, undefined (with the message) for any other failure.
 */
export function exitCodeFromStatus(text: string): { code?: number; message?: string } {
  let status: { status?: string; reason?: string; message?: string; details?: { causes?: Array<{ reason?: string; message?: string }> } };
  try {
    status = JSON.parse(text);
  } catch {
    return { message: text.trim() };
  }
  if (status.status === 'Success') return { code: 0 };
  const exit = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (status.reason === 'NonZeroExitCode' && exit?.message !== undefined) return { code: Number(exit.message) };
  return { message: status.message ?? text };
}
