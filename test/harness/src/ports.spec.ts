import { createServer } from 'node:net';
import { freePort } from './ports';

describe('freePort', () => {
  it('hands out bindable ports below the kernel\'s ephemeral range (32768+), where other processes\' outgoing connections do not land', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(30_000);
    }
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(ports[0], '127.0.0.1', resolve));
    await new Promise((r) => server.close(r));
  });
});
