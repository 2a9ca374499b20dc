// apps/v1 DaemonSet and StatefulSet (Kubernetes' shapes; status is written by controllers).
import { Condition, ObjectMeta } from '../meta/types';
import { AnyValue, Int, IntOrPercent, Nested, NestedList, OneOf, Opt, Req, Str } from '../validation/decorators';
import { KindBase, LabelSelectorFields, ObjectMetaFields } from './meta';
import { PodTemplateSpec } from './pod';

/** Label every DaemonSet and StatefulSet pod carries: the hash of the template it came from. */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';
export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export class RollingUpdateDaemonSet {
  @Opt(IntOrPercent()) maxUnavailable?: number | string;
  @Opt(IntOrPercent()) maxSurge?: number | string;
}

export class DaemonSetUpdateStrategy {
  @Opt(OneOf(['RollingUpdate', 'OnDelete'])) type?: 'RollingUpdate' | 'OnDelete';
  @Opt(Nested(() => RollingUpdateDaemonSet)) rollingUpdate?: RollingUpdateDaemonSet;
}

export class DaemonSetSpec {
  @Req(Nested(() => LabelSelectorFields)) selector!: LabelSelectorFields;
  @Req(Nested(() => PodTemplateSpec)) template!: PodTemplateSpec;
  @Opt(Nested(() => DaemonSetUpdateStrategy)) updateStrategy?: DaemonSetUpdateStrategy;
  @Opt(Int(0)) minReadySeconds?: number;
  @Opt(Int(0)) revisionHistoryLimit?: number;
}

export interface DaemonSetStatus {
  currentNumberScheduled: number;
  numberMisscheduled: number;
  desiredNumberScheduled: number;
  numberReady: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  collisionCount?: number;
  conditions?: Condition[];
}

export class DaemonSet extends KindBase {
  @Req(Nested(() => DaemonSetSpec)) spec!: DaemonSetSpec;
  @AnyValue() status?: DaemonSetStatus;
}

export class RollingUpdateStatefulSetStrategy {
  @Opt(Int(0)) partition?: number;
  @Opt(IntOrPercent()) maxUnavailable?: number | string;
}

export class StatefulSetUpdateStrategy {
  @Opt(OneOf(['RollingUpdate', 'OnDelete'])) type?: 'RollingUpdate' | 'OnDelete';
  @Opt(Nested(() => RollingUpdateStatefulSetStrategy)) rollingUpdate?: RollingUpdateStatefulSetStrategy;
}

/** A PersistentVolumeClaim template (v1 PVC shape: metadata + spec). */
export class PersistentVolumeClaimTemplate {
  @Opt(Nested(() => ObjectMetaFields)) metadata?: ObjectMeta;
  @AnyValue() spec?: Record<string, unknown>;
  @AnyValue() status?: unknown;
  @Opt(Str()) apiVersion?: string;
  @Opt(Str()) kind?: string;
}

export class StatefulSetPersistentVolumeClaimRetentionPolicy {
  @Opt(OneOf(['Retain', 'Delete'])) whenDeleted?: 'Retain' | 'Delete';
  @Opt(OneOf(['Retain', 'Delete'])) whenScaled?: 'Retain' | 'Delete';
}

export class StatefulSetOrdinals {
  @Opt(Int(0)) start?: number;
}

export class StatefulSetSpec {
  @Opt(Int(0)) replicas?: number;
  @Req(Nested(() => LabelSelectorFields)) selector!: LabelSelectorFields;
  @Req(Nested(() => PodTemplateSpec)) template!: PodTemplateSpec;
  @Opt(NestedList(() => PersistentVolumeClaimTemplate)) volumeClaimTemplates?: PersistentVolumeClaimTemplate[];
  @Opt(Str()) serviceName?: string;
  @Opt(OneOf(['OrderedReady', 'Parallel'])) podManagementPolicy?: 'OrderedReady' | 'Parallel';
  @Opt(Nested(() => StatefulSetUpdateStrategy)) updateStrategy?: StatefulSetUpdateStrategy;
  @Opt(Int(0)) revisionHistoryLimit?: number;
  @Opt(Int(0)) minReadySeconds?: number;
  @Opt(Nested(() => StatefulSetPersistentVolumeClaimRetentionPolicy)) persistentVolumeClaimRetentionPolicy?: StatefulSetPersistentVolumeClaimRetentionPolicy;
  @Opt(Nested(() => StatefulSetOrdinals)) ordinals?: StatefulSetOrdinals;
}

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  availableReplicas?: number;
  conditions?: Condition[];
}

export class StatefulSet extends KindBase {
  @Req(Nested(() => StatefulSetSpec)) spec!: StatefulSetSpec;
  @AnyValue() status?: StatefulSetStatus;
}

/**
 * apps/v1 ControllerRevision: an immutable snapshot of a DaemonSet's or StatefulSet's template
 * (`data` is the strategic merge patch `{"spec":{"template":{…,"$patch":"replace"}}}` that
 * restores it) and the revision number it had. Only `revision` and metadata may change.
 */
export class ControllerRevision extends KindBase {
  @Req() data!: unknown;
  @Opt(Int(0)) revision?: number;
}
