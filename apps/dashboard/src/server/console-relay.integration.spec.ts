// The console relay between a browser websocket and a scripted API console on loopback:
// bytes both ways with the session's token, refusals without a session or from another
// origin, and the API's refusal reported to the browser.
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { createConsoleRelay } from './console-relay';
import { SESSION_COOKIE, SessionStore } from './sessions';
import { Upstream } from './upstream';
import { cookieValue } from './sessions';

jest.setTimeout(30_000);

const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
};

describe('console relay', () => {
  const closers: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function setup() {
    // The API side: echoes in upper case, answers 404 for unknown VMIs, checks the token.
    const seen: string[] = [];
    const api = createServer();
    const apiWss = new WebSocketServer({ noServer: true });
    api.on('upgrade', (req, socket, head) => {
      seen.push(`${req.headers.authorization} ${req.url}`);
      if (!req.url!.endsWith('/virtualmachineinstances/tiny/console')) {
        const body = JSON.stringify({ kind: 'Status', code: 404, message: 'virtualmachineinstances.kubevirt.io "ghost" not found' });
        socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
        return;
      }
      apiWss.handleUpgrade(req, socket, head, (ws) => {
        ws.send(Buffer.from('login: '));
        ws.on('message', (d: Buffer) => ws.send(Buffer.from(d.toString().toUpperCase())));
      });
    });
    const apiPort = await listen(api);
    closers.push(() => new Promise<void>((r) => { apiWss.close(); api.closeAllConnections(); api.close(() => r()); }));

    const sessions = new SessionStore();
    const session = sessions.create('secret-token');
    const upstream = new Upstream({ apiUrl: `http://127.0.0.1:${apiPort}` });
    const relay = createConsoleRelay({ upstream, session: (req) => sessions.get(cookieValue(req.headers.cookie, SESSION_COOKIE)) });
    const dash = createServer((_req, res) => res.end());
    dash.on('upgrade', (req, socket, head) => relay.handle(req, socket, head));
    const port = await listen(dash);
    closers.push(async () => { relay.close(); dash.closeAllConnections(); await new Promise<void>((r) => dash.close(() => r())); await upstream.close(); });
    return { port, session, seen };
  }

  const connect = (port: number, path: string, headers: Record<string, string>) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    ws.on('error', () => undefined); // refusals are asserted through their events
    closers.push(() => ws.terminate());
    return ws;
  };

  it('relays bytes both ways with the bearer token', async () => {
    const { port, session, seen } = await setup();
    const ws = connect(port, '/api/console/default/tiny', { cookie: `${SESSION_COOKIE}=${session.id}`, origin: `http://127.0.0.1:${port}` });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('unexpected-response', () => reject(new Error('refused')));
      ws.on('message', (d: Buffer, binary) => {
        received.push(`${binary ? 'bin' : 'text'}:${d.toString()}`);
        if (received.length === 1) ws.send(Buffer.from('echo hi\r'));
        if (received.length === 2) resolve();
      });
    });
    expect(received).toEqual(['bin:login: ', 'bin:ECHO HI\r']);
    expect(seen).toEqual(['Bearer secret-token /apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances/tiny/console']);
  });

  it.each<{ name: string; headers: Record<string, string>; status: number; withSession?: boolean }>([
    { name: 'no session', headers: {}, status: 401 },
    { name: 'forged session', headers: { cookie: `${SESSION_COOKIE}=forged` }, status: 401 },
    { name: 'another site', headers: { origin: 'http://evil.example' }, status: 403, withSession: true },
  ])('refuses: $name', async ({ headers, status, withSession }) => {
    const { port, session, seen } = await setup();
    const ws = connect(port, '/api/console/default/tiny', { ...(withSession ? { cookie: `${SESSION_COOKIE}=${session.id}` } : {}), ...headers });
    const code = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(code).toBe(status);
    expect(seen).toEqual([]);
  });

  it("reports the API's refusal to the browser and closes", async () => {
    const { port, session } = await setup();
    const ws = connect(port, '/api/console/default/ghost', { cookie: `${SESSION_COOKIE}=${session.id}` });
    const messages: string[] = [];
    const closed = await new Promise<number>((resolve) => {
      ws.on('message', (d: Buffer) => messages.push(d.toString()));
      ws.on('close', (code) => resolve(code));
    });
    expect(JSON.parse(messages[0])).toEqual({ type: 'error', message: 'virtualmachineinstances.kubevirt.io "ghost" not found' });
    expect(closed).toBe(1011);
  });
});
