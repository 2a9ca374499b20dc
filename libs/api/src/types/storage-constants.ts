// Storage constants and the claim size reader without decorators, so printers, browser code
// and the node agent's provisioner can use them without the validating classes.
import { Quantity } from '../quantity/quantity';

export const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];
export const RECLAIM_POLICIES = ['Retain', 'Delete', 'Recycle'] as const;
export const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'] as const;
export const VOLUME_MODES = ['Filesystem', 'Block'] as const;

/** The annotation that makes a StorageClass the default for claims that name none. */
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
/** Set by the scheduler on a WaitForFirstConsumer claim: the node its first consumer goes to. */
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
/** Set by the PV controller on a claim it wants provisioned: which provisioner should do it. */
export const STORAGE_PROVISIONER_ANNOTATION = 'volume.kubernetes.io/storage-provisioner';
/** Set by a provisioner on the volumes it creates. */
export const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';
/** Set by the PV controller when it binds (bind-completed / bound-by-controller). */
export const BIND_COMPLETED_ANNOTATION = 'pv.kubernetes.io/bind-completed';
export const BOUND_BY_CONTROLLER_ANNOTATION = 'pv.kubernetes.io/bound-by-controller';
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';


/** The storage size of a capacity or requests map, or undefined when absent or not a quantity. */
export function storageQuantity(map: unknown): Quantity | undefined {
  const value = typeof map === 'object' && map !== null && !Array.isArray(map) ? (map as Record<string, unknown>).storage : undefined;
  return value === undefined ? undefined : Quantity.tryParse(String(value));
}

/** The built-in local provisioner (in every node agent) and its volumes' node label. */
export const LOCAL_PROVISIONER = 'coxswain.io/local';
export const LOCAL_VOLUME_NODE_LABEL = 'coxswain.io/node';
