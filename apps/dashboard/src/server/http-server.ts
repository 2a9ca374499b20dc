// The dashboard's HTTP server: Next.js serves pages and the /api route handlers; this wrapper
// adds what route handlers cannot do — websocket upgrades for the VMI console — and hands
// every other upgrade (Next's dev HMR) to Next.
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import next from 'next';
import { createConsoleRelay, CONSOLE_PREFIX } from './console-relay';
import { dashboardContext, sessionFrom } from './context';

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function serveDashboard(options: { dir: string; dev: boolean }): Promise<RunningServer> {
  const ctx = dashboardContext();
  const { host, port } = ctx.config;
  const app = next({ dev: options.dev, dir: options.dir, hostname: host, port, quiet: !options.dev });
  await app.prepare();
  const handle = app.getRequestHandler();
  const nextUpgrade = app.getUpgradeHandler();
  const relay = createConsoleRelay({ upstream: ctx.upstream, session: (req) => sessionFrom(req.headers.cookie) });

  const server = createServer((req, res) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
    res.setHeader('x-frame-options', 'DENY');
    void handle(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').startsWith(CONSOLE_PREFIX)) relay.handle(req, socket, head);
    else void nextUpgrade(req, socket, head);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    server,
    async close() {
      relay.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close().catch(() => undefined);
      await ctx.upstream.close().catch(() => undefined);
    },
  };
}
