// cdi.kubevirt.io/v1beta1 DataVolume, with CDI's field names so KubeVirt manifests apply: a
// claim and what to fill it with (a containerDisk from a registry, or a blank disk). Sources
// Coxswain cannot import (http, s3, upload, clone, …) are accepted by shape and refused by
// validation/semantics.ts with the reason.
import { Condition } from '../meta/types';
import { AnyValue, Nested, OneOf, Opt, Req, Str } from '../validation/decorators';
import { KindBase } from './meta';
import { ClaimSpecFields } from './storage';
import type { DataVolumePhase } from './cdi-constants';
export * from './cdi-constants';

export class DataVolumeSourceRegistry {
  /** `docker://<image>`: the image's file under /disk/ is the disk. */
  @Opt(Str()) url?: string;
  @AnyValue() imageStream?: unknown;
  @Opt(OneOf(['pod', 'node'])) pullMethod?: 'pod' | 'node';
  @AnyValue() secretRef?: unknown;
  @AnyValue() certConfigMap?: unknown;
  @AnyValue() platform?: unknown;
}

export class DataVolumeSource {
  @Opt(Nested(() => DataVolumeSourceRegistry)) registry?: DataVolumeSourceRegistry;
  /** `{}`: an empty raw disk of the claim's size. */
  @AnyValue() blank?: Record<string, never>;
  @AnyValue() http?: unknown;
  @AnyValue() s3?: unknown;
  @AnyValue() gcs?: unknown;
  @AnyValue() upload?: unknown;
  @AnyValue() pvc?: unknown;
  @AnyValue() snapshot?: unknown;
  @AnyValue() imageio?: unknown;
  @AnyValue() vddk?: unknown;
}

/** `spec.storage` (CDI fills in what is missing from the StorageClass) and `spec.pvc` (a plain claim spec). */
// CDI's StorageSpec has no volumeAttributesClassName, so it stops short of PersistentVolumeClaimSpec.
export class DataVolumeStorageSpec extends ClaimSpecFields {}

export class DataVolumeSpec {
  @Opt(Nested(() => DataVolumeSource)) source?: DataVolumeSource;
  @AnyValue() sourceRef?: unknown;
  @Opt(Nested(() => DataVolumeStorageSpec)) storage?: DataVolumeStorageSpec;
  @Opt(Nested(() => DataVolumeStorageSpec)) pvc?: DataVolumeStorageSpec;
  @Opt(OneOf(['kubevirt', 'archive'])) contentType?: 'kubevirt' | 'archive';
  @Opt(Str()) priorityClassName?: string;
  @AnyValue() preallocation?: boolean;
  @AnyValue() checkpoints?: unknown;
  @AnyValue() finalCheckpoint?: boolean;
}

export interface DataVolumeStatus {
  phase?: DataVolumePhase;
  /** "45.20%", or "N/A" before the import starts. */
  progress?: string;
  restartCount?: number;
  claimName?: string;
  conditions?: Condition[];
}

export class DataVolume extends KindBase {
  @Req(Nested(() => DataVolumeSpec)) spec!: DataVolumeSpec;
  @AnyValue() status?: DataVolumeStatus;
}
