// The built-in local provisioner (provisioner coxswain.io/local) as it runs in each node
// agent, with only what the node authorizer grants a node: the claims its workloads wait for
// (read by name: ClaimVolumes reports an unbound one), its own volumes (a PV informer on the
// label coxswain.io/node=<node>) and the StorageClasses. A wanted claim, a volume or class
// change and a resync each schedule one pass of planProvisioner, applied in order — provision (disk, then the pre-bound PV), remove
// released Delete volumes (disk, then the PV), and keep our volumes mounted (after a restart
// or a reboot). Passes never overlap; a failed step is retried on the next pass.
import { isAlreadyExists, isNotFound, BUILTIN_RESOURCES as R, EventRecorder, Informer, KubeClient, Logger, SharedInformerFactory } from '@coxswain/client';
import { LOCAL_VOLUME_NODE_LABEL } from '@coxswain/api/browser';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@coxswain/api/browser';
import { LocalDisks } from './local-disk';
import { planProvisioner, provisionedVolume } from './provisioner-plan';

export interface LocalProvisionerOptions {
  client: KubeClient;
  nodeName: string;
  disks: LocalDisks;
  logger: Logger;
  /** The agent's shared informer factory (its owner stops it); without one, these informers are our own. */
  informers?: SharedInformerFactory;
  /** A pass after this long even without events (missed mounts, retries). */
  resyncMs?: number;
}

export class LocalProvisioner {
  /** namespace/name of claims a workload here waits for, until they are bound or gone. */
  private readonly wanted = new Set<string>();
  private readonly volumes: Informer<PersistentVolume>;
  private readonly classes: Informer<StorageClass>;
  private readonly recorder: EventRecorder;
  private running?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: LocalProvisionerOptions) {
    const { client, logger } = options;
    const informers = options.informers ?? new SharedInformerFactory({ client, logger });
    this.volumes = informers.for<PersistentVolume>(R.PersistentVolume, { labelSelector: `${LOCAL_VOLUME_NODE_LABEL}=${options.nodeName}` });
    this.classes = informers.for<StorageClass>(R.StorageClass);
    this.recorder = new EventRecorder({ client, component: 'coxswain.io/local', instance: options.nodeName, logger });
  }

  async start(): Promise<void> {
    for (const informer of [this.volumes, this.classes] as Array<Informer<PersistentVolume | StorageClass>>) {
      informer.addEventHandler({ onAdd: () => this.kick(), onUpdate: () => this.kick(), onDelete: () => this.kick() });
      informer.start();
    }
    await Promise.all([this.volumes.waitForSync(), this.classes.waitForSync()]);
    this.timer = setInterval(() => this.kick(), this.options.resyncMs ?? 30_000);
    this.timer.unref();
    this.kick();
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    if (!this.options.informers) await Promise.all([this.volumes.stop(), this.classes.stop()]);
    await this.recorder.flush();
  }

  /** A workload on this node waits for this unbound claim: provision it if it is ours to (next pass). */
  want(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    if (this.wanted.has(key)) return;
    this.wanted.add(key);
    this.kick();
  }

  /** The wanted claims as they are now; bound, deleted and vanished ones are no longer wanted. */
  private async wantedClaims(): Promise<PersistentVolumeClaim[]> {
    const claims: PersistentVolumeClaim[] = [];
    for (const key of [...this.wanted]) {
      const [namespace, name] = key.split('/');
      const claim = await this.options.client.get<PersistentVolumeClaim>(R.PersistentVolumeClaim, name, { namespace }).catch((error) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
      if (!claim || claim.spec?.volumeName || claim.metadata.deletionTimestamp) this.wanted.delete(key);
      else claims.push(claim);
    }
    return claims;
  }

  /** Schedules a pass (coalesced with one that is running). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch((error) => this.options.logger.warn({ err: error }, 'local provisioner pass failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async pass(): Promise<void> {
    const { client, nodeName, disks, logger } = this.options;
    const plan = planProvisioner(nodeName, await this.wantedClaims(), this.volumes.store.list(), (n) => this.classes.store.getByName(undefined, n));
    for (const action of plan.provision) {
      const { claim } = action;
      if (action.error) {
        this.recorder.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${claim.spec?.storageClassName ?? ''}": ${action.error}`);
        continue;
      }
      this.recorder.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${claim.metadata.namespace}/${claim.metadata.name}"`);
      try {
        const path = await disks.create(action.volumeName, action.bytes);
        await client.create(R.PersistentVolume, provisionedVolume(action, nodeName, path)).catch((error) => {
          if (!isAlreadyExists(error)) throw error;
        });
        this.recorder.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${action.volumeName}`);
      } catch (error) {
        logger.warn({ err: error, claim: claim.metadata.name }, 'provisioning failed');
        this.recorder.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${claim.spec?.storageClassName ?? ''}": ${(error as Error)?.message ?? error}`);
      }
    }
    for (const pv of plan.remove) {
      try {
        await disks.remove(pv.metadata.name!);
        await client.delete(R.PersistentVolume, pv.metadata.name!, { preconditions: { uid: pv.metadata.uid } }).catch((error) => {
          if (!isNotFound(error)) throw error;
        });
      } catch (error) {
        logger.warn({ err: error, volume: pv.metadata.name }, 'deleting a released volume failed');
        this.recorder.event(pv, 'Warning', 'VolumeFailedDelete', String((error as Error)?.message ?? error));
      }
    }
    for (const pv of plan.mount) {
      await disks.ensureMounted(pv.metadata.name!).catch((error) => {
        logger.warn({ err: error, volume: pv.metadata.name }, 'mounting a local volume failed');
        this.recorder.event(pv, 'Warning', 'FailedMount', String((error as Error)?.message ?? error));
      });
    }
  }
}
