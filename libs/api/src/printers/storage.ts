// PersistentVolume, PersistentVolumeClaim and StorageClass rows, as kube-apiserver's printers
// (access modes abbreviated RWO/ROX/RWX/RWOP, Terminating while deleting, "(default)" class).
import { DEFAULT_CLASS_ANNOTATION } from '../types/storage-constants';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../types/storage';
import { AGE_COLUMN, column, NAME_COLUMN, Printer } from './columns';
import { timestampSince } from './duration';

const SHORT_MODES: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
const ORDER = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

/** GetAccessModesAsString: known modes in a fixed order, each once. */
export function accessModesString(modes: string[] | undefined): string {
  return ORDER.filter((m) => (modes ?? []).includes(m)).map((m) => SHORT_MODES[m]).join(',');
}

const ATTRIBUTES_CLASS = column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the volume');
const VOLUME_MODE = column('VolumeMode', 'string', 'VolumeMode of the volume', 1);

export const persistentVolumePrinter: Printer<PersistentVolume> = {
  columns: [
    NAME_COLUMN,
    column('Capacity', 'string', 'capacity is the description of the persistent volume\'s resources and capacity.'),
    column('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    column('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    column('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    column('StorageClass', 'string', 'storageClassName is the name of StorageClass to which this persistent volume belongs.'),
    ATTRIBUTES_CLASS,
    column('Reason', 'string', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    AGE_COLUMN,
    VOLUME_MODE,
  ],
  row: (pv, nowMs) => {
    const spec = pv.spec ?? {};
    const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
    const phase = pv.metadata?.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? '');
    return {
      cells: [
        pv.metadata?.name ?? '',
        spec.capacity?.storage ?? '',
        accessModesString(spec.accessModes),
        spec.persistentVolumeReclaimPolicy ?? '',
        phase,
        claim,
        spec.storageClassName ?? '',
        spec.volumeAttributesClassName ?? '<unset>',
        pv.status?.reason ?? '',
        timestampSince(pv.metadata?.creationTimestamp, nowMs),
        spec.volumeMode ?? '<unset>',
      ],
    };
  },
};

export const persistentVolumeClaimPrinter: Printer<PersistentVolumeClaim> = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    column('StorageClass', 'string', 'storageClassName is the name of the StorageClass required by the claim.'),
    ATTRIBUTES_CLASS,
    AGE_COLUMN,
    VOLUME_MODE,
  ],
  row: (pvc, nowMs) => {
    const spec = pvc.spec ?? {};
    const bound = Boolean(spec.volumeName);
    const phase = pvc.metadata?.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? '');
    return {
      cells: [
        pvc.metadata?.name ?? '',
        phase,
        spec.volumeName ?? '',
        bound ? (pvc.status?.capacity?.storage ?? '') : '',
        bound ? accessModesString(pvc.status?.accessModes) : '',
        spec.storageClassName ?? '',
        spec.volumeAttributesClassName ?? '<unset>',
        timestampSince(pvc.metadata?.creationTimestamp, nowMs),
        spec.volumeMode ?? '<unset>',
      ],
    };
  },
};

export const storageClassPrinter: Printer<StorageClass> = {
  columns: [
    NAME_COLUMN,
    column('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
    column('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'),
    column('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    column('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    AGE_COLUMN,
  ],
  row: (sc, nowMs) => {
    const isDefault = sc.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true';
    return {
      cells: [
        `${sc.metadata?.name ?? ''}${isDefault ? ' (default)' : ''}`,
        sc.provisioner ?? '',
        sc.reclaimPolicy ?? 'Delete',
        sc.volumeBindingMode ?? 'Immediate',
        sc.allowVolumeExpansion ?? false,
        timestampSince(sc.metadata?.creationTimestamp, nowMs),
      ],
    };
  },
};
