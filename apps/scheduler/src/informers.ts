// The three caches the scheduler reads, shared across leadership terms so a standby keeps
// warm and a new leader starts from a synced view.
import { Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass, VirtualMachineInstance } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, Informer, KubeClient } from '@coxswain/client';
import type { Logger } from 'pino';
import { SchedulerSources } from './scheduler';

export interface SchedulerInformers extends SchedulerSources {
  nodes: Informer<Node>;
  pods: Informer<Pod>;
  vmis: Informer<VirtualMachineInstance>;
  claims: Informer<PersistentVolumeClaim>;
  volumes: Informer<PersistentVolume>;
  classes: Informer<StorageClass>;
  start(): void;
  waitForSync(): Promise<void>;
  hasSynced(): boolean;
  stop(): Promise<void>;
}

export function createInformers(client: KubeClient, logger?: Pick<Logger, 'warn' | 'debug'>): SchedulerInformers {
  // All pods and VMIs, bound ones included: their requests are what nodes have in use.
  const nodes = new Informer<Node>({ client, resource: R.Node, logger });
  const pods = new Informer<Pod>({ client, resource: R.Pod, logger });
  const vmis = new Informer<VirtualMachineInstance>({ client, resource: R.VirtualMachineInstance, logger });
  const claims = new Informer<PersistentVolumeClaim>({ client, resource: R.PersistentVolumeClaim, logger });
  const volumes = new Informer<PersistentVolume>({ client, resource: R.PersistentVolume, logger });
  const classes = new Informer<StorageClass>({ client, resource: R.StorageClass, logger });
  const all: Array<{ start(): unknown; waitForSync(): Promise<void>; hasSynced(): boolean; stop(): Promise<void> }> = [nodes, pods, vmis, claims, volumes, classes];
  return {
    nodes,
    pods,
    vmis,
    claims,
    volumes,
    classes,
    start: () => all.forEach((i) => i.start()),
    waitForSync: async () => void (await Promise.all(all.map((i) => i.waitForSync()))),
    hasSynced: () => all.every((i) => i.hasSynced()),
    stop: async () => void (await Promise.all(all.map((i) => i.stop()))),
  };
}
