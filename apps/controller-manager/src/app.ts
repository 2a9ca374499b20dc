// The controller-manager process: health/metrics endpoints, leader election on the Lease
// kube-system/coxswain-controller-manager, and the controllers while leading. Losing the
// lease ends the process (a fresh start is the safe way back, as in Kubernetes); SIGTERM
// stops the controllers and releases the lease so a standby takes over at once.
import { hostname } from 'node:os';
import { clientFromKubeconfig, LeaderElector, Logger, onShutdown, promRestClientMetrics, serveHealthAndMetrics } from '@coxswain/client';
import { Registry } from 'prom-client';
import { ManagerConfig } from './config';
import { ControllerMetrics } from './framework/metrics';
import { ControllerManager } from './manager';
import { collectLintCleanDefaultMetrics, startMemoryRelease } from '@coxswain/metrics';
import { informerSource, ObjectSource, registerStateMetrics } from './state-metrics/collector';

export interface RunningProcess {
  url: string;
  stop(): Promise<void>;
}

export async function runControllerManager(config: ManagerConfig, logger: Logger, exit: (code: number) => void = (c) => process.exit(c)): Promise<RunningProcess> {
  const registry = new Registry();
  collectLintCleanDefaultMetrics(registry);
  const memory = startMemoryRelease({ registry, logger });
  const metrics = new ControllerMetrics(registry);
  const { client } = clientFromKubeconfig({ path: config.kubeconfig, client: { qps: 100, burst: 200, userAgent: 'coxswain-controller-manager', onRequestDone: promRestClientMetrics(registry) } });
  const identity = `${hostname()}_${process.pid}`;
  let manager: ControllerManager | undefined;
  let leading = false;
  let stopping = false;
  // Cluster-state metrics (kube_*, kubevirt_vmi_*) come from the leader's informer caches.
  let stateSource: ObjectSource | undefined;
  registerStateMetrics(registry, (resource) => stateSource?.(resource) ?? []);

  const startManager = async () => {
    manager = new ControllerManager({ client, logger, metrics, instance: identity, controllers: config.controllers, settings: config, clusterSigning: config.clusterSigning });
    stateSource = informerSource(manager.informers);
    await manager.start();
  };

  const server = await serveHealthAndMetrics({
    port: config.metricsPort,
    host: config.metricsHost,
    registry,
    // A standby is ready (it is doing its job: waiting); a leader once its caches are synced.
    ready: () => !stopping && (config.leaderElect ? !leading || Boolean(manager?.ready()) : Boolean(manager?.ready())),
  });
  logger.info({ url: server.url, identity }, 'serving /healthz, /readyz and /metrics');

  let elector: LeaderElector | undefined;
  if (config.leaderElect) {
    elector = new LeaderElector({
      client,
      namespace: config.leaseNamespace,
      name: config.leaseName,
      identity,
      leaseDurationMs: config.leaseDurationMs,
      renewDeadlineMs: config.renewDeadlineMs,
      retryPeriodMs: config.retryPeriodMs,
      // A standby sees the leader's renewals as they happen: failover = lease duration after the last one.
      watchLease: true,
      logger,
      onStartedLeading: async () => {
        leading = true;
        metrics.setLeader(true);
        await startManager();
      },
      onStoppedLeading: async () => {
        leading = false;
        metrics.setLeader(false);
        await manager?.stop();
        if (!stopping) {
          logger.error({ lease: config.leaseName }, 'lost the leader lease; exiting');
          exit(1);
        }
      },
      onNewLeader: (leader) => logger.info({ leader }, 'leader observed'),
    }).start();
  } else {
    metrics.setLeader(true);
    await startManager();
  }

  const stop = async () => {
    stopping = true;
    memory.stop();
    if (elector) await elector.stop();
    else await manager?.stop();
    await server.close();
    await client.destroy();
  };
  return { url: server.url, stop };
}

/** Wires SIGTERM/SIGINT to a clean stop. */
export function stopOnSignals(running: RunningProcess, logger: Logger): void {
  onShutdown(() => running.stop(), { logger, timeoutMs: 20_000 });
}
