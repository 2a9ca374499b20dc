// core/v1 PersistentVolume and PersistentVolumeClaim, storage.k8s.io/v1 StorageClass.
// Shapes only; cross-field rules (one source, capacity, access modes, immutability) are in
// validation/storage.ts.
import { AnyValue, Bool, FreeObject, Nested, NestedList, OneOf, Opt, QuantityMap, Req, Str, StrArray } from '../validation/decorators';
import { KindBase, LabelSelectorFields, ObjectReferenceFields } from './meta';
import { NodeSelector } from './pod';

import { AccessMode, BINDING_MODES, RECLAIM_POLICIES, VOLUME_MODES } from './storage-constants';
export * from './storage-constants';
export class VolumeNodeAffinity {
  @Opt(Nested(() => NodeSelector)) required?: NodeSelector;
}

export class PersistentVolumeSpec {
  @Opt(QuantityMap()) capacity?: Record<string, string>;
  @Opt(StrArray()) accessModes?: AccessMode[];
  @Opt(OneOf(RECLAIM_POLICIES)) persistentVolumeReclaimPolicy?: (typeof RECLAIM_POLICIES)[number];
  @Opt(Str()) storageClassName?: string;
  @Opt(OneOf(VOLUME_MODES)) volumeMode?: (typeof VOLUME_MODES)[number];
  @Opt(Nested(() => ObjectReferenceFields)) claimRef?: ObjectReferenceFields;
  @Opt(Nested(() => VolumeNodeAffinity)) nodeAffinity?: VolumeNodeAffinity;
  @Opt(StrArray()) mountOptions?: string[];
  @Opt(Str()) volumeAttributesClassName?: string;
  /** Sources: hostPath and local are the ones a node can mount; others are refused. */
  @Opt(FreeObject()) hostPath?: { path: string; type?: string };
  @Opt(FreeObject()) local?: { path: string; fsType?: string };
  // Sources Kubernetes knows that a Coxswain node cannot mount: accepted by shape, refused by validation.
  @AnyValue() nfs?: unknown;
  @AnyValue() csi?: unknown;
  @AnyValue() iscsi?: unknown;
  @AnyValue() fc?: unknown;
  @AnyValue() rbd?: unknown;
  @AnyValue() cephfs?: unknown;
  @AnyValue() glusterfs?: unknown;
  @AnyValue() awsElasticBlockStore?: unknown;
  @AnyValue() gcePersistentDisk?: unknown;
  @AnyValue() azureDisk?: unknown;
  @AnyValue() azureFile?: unknown;
  @AnyValue() flexVolume?: unknown;
  @AnyValue() vsphereVolume?: unknown;
}

export interface PersistentVolumeStatus {
  phase?: 'Pending' | 'Available' | 'Bound' | 'Released' | 'Failed';
  message?: string;
  reason?: string;
  lastPhaseTransitionTime?: string;
}

export class PersistentVolume extends KindBase {
  @Opt(Nested(() => PersistentVolumeSpec)) spec?: PersistentVolumeSpec;
  @AnyValue() status?: PersistentVolumeStatus;
}

export class VolumeResourceRequirements {
  @Opt(QuantityMap()) requests?: Record<string, string>;
  @Opt(QuantityMap()) limits?: Record<string, string>;
}

/** The claim fields a PersistentVolumeClaim shares with a CDI DataVolume's `storage` and `pvc` (cdi.ts). */
export class ClaimSpecFields {
  @Opt(StrArray()) accessModes?: AccessMode[];
  @Opt(Nested(() => LabelSelectorFields)) selector?: LabelSelectorFields;
  @Opt(Nested(() => VolumeResourceRequirements)) resources?: VolumeResourceRequirements;
  @Opt(Str()) volumeName?: string;
  /** Absent: the default class (admission); "": no class. */
  @Opt(Str()) storageClassName?: string;
  @Opt(OneOf(VOLUME_MODES)) volumeMode?: (typeof VOLUME_MODES)[number];
  @AnyValue() dataSource?: unknown;
  @AnyValue() dataSourceRef?: unknown;
}

export class PersistentVolumeClaimSpec extends ClaimSpecFields {
  @Opt(Str()) volumeAttributesClassName?: string;
}

export interface PersistentVolumeClaimStatus {
  phase?: 'Pending' | 'Bound' | 'Lost';
  accessModes?: AccessMode[];
  capacity?: Record<string, string>;
  conditions?: Array<{ type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }>;
}

export class PersistentVolumeClaim extends KindBase {
  @Opt(Nested(() => PersistentVolumeClaimSpec)) spec?: PersistentVolumeClaimSpec;
  @AnyValue() status?: PersistentVolumeClaimStatus;
}

export class TopologySelectorTerm {
  @AnyValue() matchLabelExpressions?: Array<{ key: string; values: string[] }>;
}

export class StorageClass extends KindBase {
  @Req(Str()) provisioner!: string;
  @Opt(FreeObject()) parameters?: Record<string, string>;
  @Opt(OneOf(['Retain', 'Delete'])) reclaimPolicy?: 'Retain' | 'Delete';
  @Opt(StrArray()) mountOptions?: string[];
  @Opt(Bool()) allowVolumeExpansion?: boolean;
  @Opt(OneOf(BINDING_MODES)) volumeBindingMode?: (typeof BINDING_MODES)[number];
  @Opt(NestedList(() => TopologySelectorTerm)) allowedTopologies?: TopologySelectorTerm[];
}
