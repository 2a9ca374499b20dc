// The VMI serial console for the browser: the dashboard accepts a websocket at
// /api/console/{namespace}/{name}, checks the session, and relays raw bytes both ways to the
// API server's kubevirt console subresource with the session's bearer token. Control
// messages to the browser are text frames ({type:'error'|'closed', message}); data is binary.
import { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { Session, sameOrigin } from './sessions';
import { statusMessage, Upstream } from './upstream';

export const CONSOLE_PREFIX = '/api/console/';
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** `/api/console/ns/name` → the VMI; undefined when the path is not a console path. */
export function parseConsolePath(pathname: string): { namespace: string; name: string } | undefined {
  if (!pathname.startsWith(CONSOLE_PREFIX)) return undefined;
  const parts = pathname.slice(CONSOLE_PREFIX.length).split('/');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts.map((p) => decodeURIComponent(p));
  return NAME.test(namespace) && NAME.test(name) ? { namespace, name } : undefined;
}

export function upstreamConsoleUrl(apiUrl: string, namespace: string, name: string): string {
  return `${apiUrl.replace(/^http/, 'ws')}/apis/kubevirt.io/v1/namespaces/${namespace}/virtualmachineinstances/${name}/console`;
}

function refuse(socket: Duplex, code: number, reason: string): void {
  socket.end(`HTTP/1.1 ${code} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function createConsoleRelay(deps: { upstream: Upstream; session(req: IncomingMessage): Session | undefined }) {
  const wss = new WebSocketServer({ noServer: true });
  const open = new Set<WebSocket>();

  function handle(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const url = new URL(req.url ?? '/', 'http://local');
    const target = parseConsolePath(url.pathname);
    if (!target) return refuse(socket, 404, 'Not Found');
    if (!sameOrigin(req.headers.origin, req.headers.host)) return refuse(socket, 403, 'Forbidden');
    const session = deps.session(req);
    if (!session) return refuse(socket, 401, 'Unauthorized');

    wss.handleUpgrade(req, socket, head, (browser) => {
      open.add(browser);
      const pending: Buffer[] = [];
      const api = new WebSocket(upstreamConsoleUrl(deps.upstream.config.apiUrl, target.namespace, target.name), {
        headers: { authorization: `Bearer ${session.token}` },
        ca: deps.upstream.ca,
        handshakeTimeout: 15_000,
      });
      const control = (type: string, message: string) => {
        if (browser.readyState === WebSocket.OPEN) browser.send(JSON.stringify({ type, message }));
      };
      api.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          control('error', statusMessage(res.statusCode ?? 502, body));
          browser.close(1011, 'console unavailable');
        });
      });
      api.on('open', () => {
        for (const chunk of pending.splice(0)) api.send(chunk);
      });
      api.on('message', (data: Buffer, isBinary: boolean) => {
        if (browser.readyState === WebSocket.OPEN) browser.send(isBinary ? data : Buffer.from(data), { binary: true });
      });
      api.on('error', (error) => {
        control('error', `console connection failed: ${error.message}`);
        browser.close(1011, 'console unavailable');
      });
      api.on('close', (code) => {
        if (browser.readyState === WebSocket.OPEN) {
          control('closed', code === 1000 ? 'the console closed' : `the console closed (${code})`);
          browser.close(1000);
        }
      });
      browser.on('message', (data: Buffer) => {
        const chunk = Buffer.from(data);
        if (api.readyState === WebSocket.OPEN) api.send(chunk);
        else if (api.readyState === WebSocket.CONNECTING) pending.push(chunk);
      });
      browser.on('close', () => {
        open.delete(browser);
        if (api.readyState === WebSocket.OPEN || api.readyState === WebSocket.CONNECTING) api.terminate();
      });
      browser.on('error', () => undefined);
    });
  }

  return {
    handle,
    close(): void {
      for (const ws of open) ws.terminate();
      wss.close();
    },
  };
}
