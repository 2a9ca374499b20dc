// `--workers N`: the primary forks N API server workers on one port (each binds it with
// SO_REUSEPORT, so the kernel spreads connections and the primary stays out of the request
// path), relays their write revisions (write-relay.ts) and their metrics (metrics-relay.ts), and starts a worker again when one
// dies. Worker 0 runs the once-per-server loops.
import cluster, { Worker } from 'node:cluster';
import { EventEmitter } from 'node:events';
import { Logger } from 'pino';
import { isMetricsMessage, MetricsGather } from './metrics-relay';
import { isRelayMessage, WriteRelay } from './write-relay';

export const WORKER_INDEX_ENV = 'COXSWAIN_APISERVER_WORKER';
/** What a worker sends the primary once it serves. */
export const LISTENING = { t: 'cox-listening' } as const;

const RESTART_DELAYS_MS = [250, 500, 1000, 2000, 5000, 10_000];
/** A scrape answers with the workers that replied within this (a busy one is left out). */
const SCRAPE_WAIT_MS = 3000;

export async function runPrimary(workers: number, logger: Logger): Promise<void> {
  const byIndex = new Map<number, Worker>();
  const indexOf = new Map<number, number>(); // cluster worker id → index
  const restarts = new Map<number, number>();
  let stopping = false;
  const live = () => [...byIndex.keys()];
  const relay = new WriteRelay((index, message) => byIndex.get(index)?.send(message));
  const metrics = new MetricsGather((index, message) => byIndex.get(index)?.send(message));
  const listening = new EventEmitter();

  const fork = (index: number) => {
    const worker = cluster.fork({ [WORKER_INDEX_ENV]: String(index) });
    indexOf.set(worker.id, index);
    worker.on('message', (message: unknown) => {
      if (isRelayMessage(message)) relay.receive(index, message, live());
      else if (isMetricsMessage(message)) {
        const gathering = metrics.receive(index, message, live());
        if (gathering !== undefined) setTimeout(() => metrics.expire(gathering), SCRAPE_WAIT_MS).unref();
      } else if ((message as { t?: string })?.t === LISTENING.t) {
        // (An exclusive listen bypasses the primary, so cluster's own 'listening' never fires.)
        byIndex.set(index, worker);
        restarts.set(index, 0);
        listening.emit('listening', index);
      }
    });
    worker.on('exit', (code, signal) => {
      if (byIndex.get(index) === worker) byIndex.delete(index);
      relay.gone(index);
      metrics.gone(index);
      if (stopping) return;
      const attempt = restarts.get(index) ?? 0;
      restarts.set(index, attempt + 1);
      const delay = RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)];
      logger.error({ worker: index, code, signal, delayMs: delay }, 'apiserver worker exited; starting it again');
      setTimeout(() => fork(index), delay).unref();
    });
  };
  // Worker 0 first: it creates the built-in namespaces and the `kubernetes` Service.
  fork(0);
  await new Promise<void>((resolve) => listening.once('listening', () => resolve()));
  for (let i = 1; i < workers; i++) fork(i);

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down workers');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    const deadline = setTimeout(() => process.exit(1), 10_000);
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        clearTimeout(deadline);
        process.exit(0);
      }
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
