import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';

/**
 * Ports handed out below the kernel's ephemeral range (ip_local_port_range starts at 32768):
 * a port from `listen(0)` comes from that range, which outgoing connections of the other suites
 * running at the same time draw their source ports from, so it could be taken again before the
 * component binds it (an etcd member then failed to start six times in a row).
 */
const RANGE = { from: 20_000, to: 30_000 };

/** Whether `port` can be bound on `host` right now. */
function bindable(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A free loopback TCP port outside the ephemeral range. A tiny race remains; callers retry on bind failure. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = randomInt(RANGE.from, RANGE.to);
    if (await bindable(port, host)) return port;
  }
  throw new Error(`no free port in ${RANGE.from}-${RANGE.to} on ${host}`);
}
