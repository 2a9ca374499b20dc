// A minimal component for shutdown.integration.spec.ts: serves health, closes on SIGTERM.
import { Registry } from 'prom-client';
import { serveHealthAndMetrics } from '../health-server';
import { onShutdown } from '../shutdown';

void (async () => {
  const server = await serveHealthAndMetrics({ port: 0, registry: new Registry() });
  onShutdown(async () => {
    await server.close();
    console.log('closed');
  });
  console.log(`listening ${server.url}`);
})();
