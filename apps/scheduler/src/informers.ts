// The seven caches the scheduler reads, taken from the process's shared informer factory
// (libs/client) and kept across leadership terms so a standby keeps warm and a new leader
// starts from a synced view.
import { Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass, VirtualMachineInstance } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, Informer, SharedInformerFactory } from '@coxswain/client';
import { SchedulerSources } from './scheduler';

export interface SchedulerInformers extends SchedulerSources {
  nodes: Informer<Node>;
  pods: Informer<Pod>;
  vmis: Informer<VirtualMachineInstance>;
  claims: Informer<PersistentVolumeClaim>;
  volumes: Informer<PersistentVolume>;
  classes: Informer<StorageClass>;
  namespaces: Informer<Namespace>;
}

/** All pods and VMIs, bound ones included: their requests are what nodes have in use. */
export function schedulerInformers(factory: SharedInformerFactory): SchedulerInformers {
  return {
    nodes: factory.for<Node>(R.Node),
    pods: factory.for<Pod>(R.Pod),
    vmis: factory.for<VirtualMachineInstance>(R.VirtualMachineInstance),
    claims: factory.for<PersistentVolumeClaim>(R.PersistentVolumeClaim),
    volumes: factory.for<PersistentVolume>(R.PersistentVolume),
    classes: factory.for<StorageClass>(R.StorageClass),
    namespaces: factory.for<Namespace>(R.Namespace),
  };
}
