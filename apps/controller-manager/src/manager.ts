// Builds the controllers on shared informers and runs them: register handlers, start the
// informers, wait for their caches, then start the workers. stop() drains and closes.
import { Clock, EventRecorder as ClientRecorder, KubeClient, Logger, realClock } from '@coxswain/client';
import { Registry } from 'prom-client';
import { ControllerSettings, DEFAULT_SETTINGS } from './config';
import { ALL_CONTROLLERS, ControllerName } from './controller-names';
import { Controller, ControllerDeps } from './framework/controller';
import { ApiEventRecorder } from './framework/events';
import { SharedInformers } from './framework/informers';
import { ControllerMetrics } from './framework/metrics';
import { DeploymentController } from './deployment/controller';
import { EndpointSliceController } from './endpointslice/controller';
import { GarbageCollector } from './gc/controller';
import { HorizontalPodAutoscalerController } from './hpa/controller';
import { JobController } from './job/controller';
import { CronJobController } from './cronjob/controller';
import { scaledClock } from './cronjob/scaled-clock';
import { DaemonSetController } from './daemonset/controller';
import { StatefulSetController } from './statefulset/controller';
import { DisruptionController } from './disruption/controller';
import { PersistentVolumeController } from './volume/controller';
import { DataVolumeController } from './datavolume/controller';
import { ApiMetricsSource, MetricsSource } from './hpa/metrics-source';
import { NodeLifecycleController } from './nodelifecycle/controller';
import { ReplicaSetController } from './replicaset/controller';
import { VirtualMachineController } from './vm/controller';
import { VmiReplicaSetController } from './vmirs/controller';
import { BootstrapSigner, ClusterSigning, CsrApprovingController, CsrSigningController, TokenCleaner } from './certificates/controllers';

export { ALL_CONTROLLERS, type ControllerName };

export interface ControllerManagerOptions {
  client: KubeClient;
  logger: Logger;
  clock?: Clock;
  /** Where controller_* and workqueue_* metrics go (a fresh registry when omitted). */
  registry?: Registry;
  /** Metrics already registered by the caller (wins over `registry`). */
  metrics?: ControllerMetrics;
  /** Which controllers run (default: all). */
  controllers?: readonly ControllerName[];
  /** Identity written into events (reportingInstance). */
  instance?: string;
  settings?: Partial<ControllerSettings>;
  /** Where the autoscaler reads usage (default: the API server's resource metrics API). */
  metricsSource?: MetricsSource;
  /** The cluster CA the CSR signer issues kubelet certificates with; no signer without it. */
  clusterSigning?: ClusterSigning;
}

export class ControllerManager {
  readonly informers: SharedInformers;
  readonly controllers: Controller[] = [];
  readonly metrics: ControllerMetrics;
  private readonly recorders: ClientRecorder[] = [];
  private running: Promise<void>[] = [];
  private synced = false;

  constructor(private readonly options: ControllerManagerOptions) {
    const clock = options.clock ?? realClock;
    this.metrics = options.metrics ?? new ControllerMetrics(options.registry ?? new Registry());
    this.informers = new SharedInformers({ client: options.client, clock, logger: options.logger });
    const recorder = new ApiEventRecorder({ client: options.client, component: 'controller-manager', instance: options.instance, clock, logger: options.logger });
    const deps: ControllerDeps = {
      client: options.client,
      informers: this.informers,
      recorderFor: (component) => {
        const child = recorder.forComponent(component);
        this.recorders.push(child);
        return child;
      },
      clock,
      logger: options.logger,
      metrics: this.metrics,
    };
    const settings = { ...DEFAULT_SETTINGS, ...options.settings };
    const enabled = new Set(options.controllers ?? ALL_CONTROLLERS);
    if (enabled.has('replicaset')) this.controllers.push(new ReplicaSetController(deps));
    if (enabled.has('deployment')) this.controllers.push(new DeploymentController(deps));
    if (enabled.has('garbagecollector')) this.controllers.push(new GarbageCollector(deps));
    if (enabled.has('virtualmachine')) this.controllers.push(new VirtualMachineController(deps));
    if (enabled.has('vmireplicaset')) this.controllers.push(new VmiReplicaSetController(deps));
    if (enabled.has('job')) this.controllers.push(new JobController(deps));
    if (enabled.has('daemonset')) this.controllers.push(new DaemonSetController(deps));
    if (enabled.has('statefulset')) this.controllers.push(new StatefulSetController(deps));
    if (enabled.has('persistentvolume')) this.controllers.push(new PersistentVolumeController(deps));
    if (enabled.has('datavolume')) this.controllers.push(new DataVolumeController(deps));
    if (enabled.has('disruption')) this.controllers.push(new DisruptionController(deps));
    if (enabled.has('cronjob')) this.controllers.push(new CronJobController({ ...deps, clock: scaledClock(clock, settings.cronJobClockScale) }));
    if (enabled.has('horizontalpodautoscaler')) {
      this.controllers.push(
        new HorizontalPodAutoscalerController(deps, {
          syncPeriodMs: settings.hpaSyncPeriodMs,
          tolerance: settings.hpaTolerance,
          downscaleStabilizationMs: settings.hpaDownscaleStabilizationMs,
          metrics: options.metricsSource ?? new ApiMetricsSource(options.client),
        }),
      );
    }
    if (enabled.has('endpointslice')) this.controllers.push(new EndpointSliceController(deps));
    if (enabled.has('csrapproving')) this.controllers.push(new CsrApprovingController(deps));
    if (enabled.has('csrsigning') && options.clusterSigning) this.controllers.push(new CsrSigningController(deps, options.clusterSigning));
    if (enabled.has('tokencleaner')) this.controllers.push(new TokenCleaner(deps));
    if (enabled.has('bootstrapsigner')) this.controllers.push(new BootstrapSigner(deps));
    if (enabled.has('nodelifecycle')) {
      this.controllers.push(new NodeLifecycleController(deps, { gracePeriodMs: settings.nodeMonitorGracePeriodMs, podEvictionTimeoutMs: settings.podEvictionTimeoutMs }));
    }
  }

  get<T extends Controller>(ctor: new (...args: never[]) => T): T | undefined {
    return this.controllers.find((c): c is T => c instanceof ctor);
  }

  /** Starts informers and workers; resolves once caches are synced and workers run. */
  async start(): Promise<void> {
    for (const controller of this.controllers) controller.register();
    this.informers.start();
    await this.informers.waitForCacheSync();
    this.synced = true;
    this.running = this.controllers.map((c) => c.run());
    this.options.logger.info({ controllers: this.controllers.map((c) => c.name) }, 'controllers started');
  }

  ready(): boolean {
    return this.synced;
  }

  async stop(): Promise<void> {
    await Promise.all(this.controllers.map((c) => c.shutdown()));
    await Promise.all(this.running);
    await this.informers.stop();
    await Promise.all(this.recorders.map((r) => r.flush()));
  }
}
