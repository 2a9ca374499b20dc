// Entry point: `node -r @swc-node/register apps/scheduler/src/main.ts --kubeconfig … --config …`.
// Informers run from the start (a standby stays warm); scheduling runs only while this
// process holds the kube-system/coxswain-scheduler Lease.
import { clientFromKubeconfig, createLogger, LeaderElector, onShutdown, promRestClientMetrics, serveHealthAndMetrics, SharedInformerFactory } from '@coxswain/client';
import { hostname } from 'node:os';
import { Registry } from 'prom-client';
import { collectLintCleanDefaultMetrics, startMemoryRelease } from '@coxswain/metrics';
import { loadConfig } from './config/config';
import { parseFlags } from './flags';
import { schedulerInformers } from './informers';
import { schedulerMetrics } from './metrics';
import { Scheduler } from './scheduler';

async function main(): Promise<void> {
  const logger = createLogger('scheduler');
  let flags;
  let config;
  try {
    flags = parseFlags(process.argv.slice(2), process.env);
    config = loadConfig(flags.config);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  if (flags.leaderElect !== undefined) config.leaderElection.enabled = flags.leaderElect;

  const registry = new Registry();
  collectLintCleanDefaultMetrics(registry);
  const memory = startMemoryRelease({ registry, logger });
  const metrics = schedulerMetrics(registry, config.leaderElection.name);
  const { client } = clientFromKubeconfig({
    path: flags.kubeconfig,
    // Binds, status patches and events share the pool; leave room beyond the bind cap.
    client: { userAgent: 'coxswain-scheduler', maxConcurrentRequests: config.bindConcurrency + 16, onRequestDone: promRestClientMetrics(registry) },
  });
  const factory = new SharedInformerFactory({ client, logger });
  const informers = schedulerInformers(factory);
  factory.start();
  const health = await serveHealthAndMetrics({ port: flags.metricsPort, registry, ready: () => factory.hasSynced() });
  logger.info({ url: health.url, server: client.server, leaderElection: config.leaderElection.enabled, profiles: config.profiles.map((p) => p.schedulerName) }, 'scheduler started');

  onShutdown(async () => {
    memory.stop();
    await factory.stop();
    await health.close();
    await client.destroy();
  }, { logger });

  let term: Promise<void> = Promise.resolve();
  const lead = async (signal: AbortSignal): Promise<void> => {
    await factory.waitForCacheSync();
    if (signal.aborted) return;
    const scheduler = new Scheduler({ client, config, metrics, logger });
    const detach = scheduler.attach(informers);
    metrics.setPendingSource(() => scheduler.queue.counts());
    metrics.setLeader(true);
    logger.info({ nodes: scheduler.cache.listNodes().length, pending: scheduler.queue.counts() }, 'scheduling');
    try {
      await scheduler.run(signal);
    } finally {
      detach();
      metrics.setPendingSource(undefined);
      metrics.setLeader(false);
      logger.info('stopped scheduling');
    }
  };

  if (config.leaderElection.enabled) {
    const le = config.leaderElection;
    const elector = new LeaderElector({
      client,
      namespace: le.namespace,
      name: le.name,
      identity: flags.identity ?? `${hostname()}_${process.pid}`,
      leaseDurationMs: le.leaseDurationMs,
      renewDeadlineMs: le.renewDeadlineMs,
      retryPeriodMs: le.retryPeriodMs,
      // A standby sees the leader's renewals as they happen: failover = lease duration after the last one.
      watchLease: true,
      logger,
      onStartedLeading: (signal) => {
        term = lead(signal).catch((err) => logger.error({ err }, 'scheduler failed'));
      },
      onStoppedLeading: () => term,
      onNewLeader: (identity) => logger.info({ leader: identity }, 'leader observed'),
    }).start();
    onShutdown(() => elector.stop(), { logger });
  } else {
    const controller = new AbortController();
    term = lead(controller.signal).catch((err) => logger.error({ err }, 'scheduler failed'));
    onShutdown(async () => {
      controller.abort();
      await term;
    }, { logger });
  }
}

void main().catch((error) => {
  process.stderr.write(`scheduler: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
