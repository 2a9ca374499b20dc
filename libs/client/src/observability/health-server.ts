import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';

export interface HealthAndMetricsOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  registry: Registry;
  /** /readyz answers 200 while this is true (e.g. informers synced, leader or standby ready). */
  ready?: () => boolean;
  /** /healthz answers 200 while this is true. Default: always (the process answers). */
  healthy?: () => boolean;
}

export interface HealthAndMetricsServer {
  readonly port: number;
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * The /healthz, /readyz and /metrics endpoints every non-NestJS component (scheduler,
 * controller-manager, node agent) exposes.
 */
export async function serveHealthAndMetrics(options: HealthAndMetricsOptions): Promise<HealthAndMetricsServer> {
  const { registry, ready = () => true, healthy = () => true } = options;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = (code: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(code, { 'content-type': type });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, 'method not allowed\n');
    if (path === '/healthz' || path === '/livez') return healthy() ? answer(200, 'ok\n') : answer(503, 'unhealthy\n');
    if (path === '/readyz') return ready() ? answer(200, 'ok\n') : answer(503, 'not ready\n');
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => answer(200, text, registry.contentType),
        (error: Error) => answer(500, `collecting metrics failed: ${error.message}\n`),
      );
      return;
    }
    answer(404, 'not found\n');
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
