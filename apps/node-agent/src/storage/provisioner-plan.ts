// The built-in local provisioner's decisions for one node, pure: which claims to provision
// here (the PV controller asked our provisioner and the scheduler selected this node), which
// released Delete volumes of ours to remove, and which of ours must be mounted.
import {
  LOCAL_VOLUME_NODE_LABEL,
  PersistentVolume,
  PersistentVolumeClaim,
  PROVISIONED_BY_ANNOTATION,
  SELECTED_NODE_ANNOTATION,
  StorageClass,
  STORAGE_PROVISIONER_ANNOTATION,
  storageQuantity,
} from '@coxswain/api/browser';
import { LOCAL_PROVISIONER, volumeNode } from '@coxswain/scheduling';

export interface ProvisionAction {
  claim: PersistentVolumeClaim;
  /** pvc-<claim uid>, as Kubernetes' provisioners name volumes. */
  volumeName: string;
  bytes: number;
  /** Set when the claim cannot be provisioned (event and no volume). */
  error?: string;
  reclaimPolicy: 'Delete' | 'Retain';
}

export interface ProvisionerPlan {
  provision: ProvisionAction[];
  /** Our released volumes with reclaim policy Delete: remove the disk, then the PV. */
  remove: PersistentVolume[];
  /** Our live volumes on this node: their disks must be mounted. */
  mount: PersistentVolume[];
}

const MI = 1024 * 1024;
/** Smallest ext4 image mkfs makes usefully (journal and metadata). */
export const MIN_BYTES = 8 * MI;

export const volumeNameFor = (claim: PersistentVolumeClaim): string => `pvc-${claim.metadata.uid}`;

const ours = (pv: PersistentVolume, node: string) => pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION] === LOCAL_PROVISIONER && volumeNode(pv) === node;

export function planProvisioner(node: string, claims: PersistentVolumeClaim[], volumes: PersistentVolume[], classByName: (name: string) => StorageClass | undefined): ProvisionerPlan {
  const names = new Set(volumes.map((v) => v.metadata.name));
  const provision: ProvisionAction[] = [];
  for (const claim of claims) {
    const annotations = claim.metadata.annotations ?? {};
    if (annotations[STORAGE_PROVISIONER_ANNOTATION] !== LOCAL_PROVISIONER || annotations[SELECTED_NODE_ANNOTATION] !== node) continue;
    if (claim.spec?.volumeName || claim.metadata.deletionTimestamp || !claim.metadata.uid) continue;
    const volumeName = volumeNameFor(claim);
    if (names.has(volumeName)) continue;
    const sc = classByName(claim.spec?.storageClassName ?? '');
    const bytes = Number(storageQuantity(claim.spec?.resources?.requests)?.value ?? 0n);
    const action: ProvisionAction = { claim, volumeName, bytes, reclaimPolicy: sc?.reclaimPolicy === 'Retain' ? 'Retain' : 'Delete' };
    if (bytes < MIN_BYTES) action.error = `requested storage ${claim.spec?.resources?.requests?.storage} is below the ${MIN_BYTES / MI}Mi an ext4 volume needs`;
    if (!sc) action.error = `storageclass.storage.k8s.io "${claim.spec?.storageClassName ?? ''}" not found`;
    provision.push(action);
  }
  const mine = volumes.filter((pv) => ours(pv, node));
  const remove = mine.filter((pv) => pv.status?.phase === 'Released' && pv.spec?.persistentVolumeReclaimPolicy === 'Delete');
  const mount = mine.filter((pv) => !remove.includes(pv) && !pv.metadata.deletionTimestamp);
  return { provision, remove, mount };
}

/** The PersistentVolume for a provisioned claim, pre-bound to it (the PV controller completes the binding). */
export function provisionedVolume(action: ProvisionAction, node: string, path: string): PersistentVolume {
  const { claim } = action;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: action.volumeName, annotations: { [PROVISIONED_BY_ANNOTATION]: LOCAL_PROVISIONER }, labels: { [LOCAL_VOLUME_NODE_LABEL]: node } },
    spec: {
      capacity: { storage: claim.spec!.resources!.requests!.storage },
      accessModes: claim.spec?.accessModes,
      persistentVolumeReclaimPolicy: action.reclaimPolicy,
      storageClassName: claim.spec?.storageClassName,
      volumeMode: 'Filesystem',
      local: { path, fsType: 'ext4' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
      claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, resourceVersion: claim.metadata.resourceVersion },
    },
  } as PersistentVolume;
}
