// Metadata and selector classes shared by every kind.
import { Condition, ObjectMeta } from '../meta/types';
import { AnnotationMap, AnyValue, Bool, DnsSubdomain, Int, LabelMap, Nested, NestedList, OneOf, Opt, QualifiedName, Req, Str, StrArray } from '../validation/decorators';

export class OwnerReferenceFields {
  @Req(Str()) apiVersion!: string;
  @Req(Str()) kind!: string;
  @Req(Str()) name!: string;
  @Req(Str()) uid!: string;
  @Opt(Bool()) controller?: boolean;
  @Opt(Bool()) blockOwnerDeletion?: boolean;
}

/** What clients may send in `metadata`; name rules per kind are checked by validateObject. */
export class ObjectMetaFields {
  @Opt(Str()) name?: string;
  @Opt(Str()) generateName?: string;
  @Opt(Str()) namespace?: string;
  @Opt(Str()) uid?: string;
  @Opt(Str()) resourceVersion?: string;
  @Opt(Int(0)) generation?: number;
  @Opt(Str()) creationTimestamp?: string;
  @Opt(Str()) deletionTimestamp?: string;
  @Opt(Int(0)) deletionGracePeriodSeconds?: number;
  @Opt(LabelMap()) labels?: Record<string, string>;
  @Opt(AnnotationMap()) annotations?: Record<string, string>;
  @Opt(NestedList(() => OwnerReferenceFields)) ownerReferences?: OwnerReferenceFields[];
  @Opt(StrArray()) finalizers?: string[];
  @AnyValue() managedFields?: unknown[];
  @AnyValue() selfLink?: string;
}

export class LabelSelectorRequirementFields {
  @Req(QualifiedName()) key!: string;
  @Req(OneOf(['In', 'NotIn', 'Exists', 'DoesNotExist'])) operator!: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  @Opt(StrArray()) values?: string[];
}

export class LabelSelectorFields {
  @Opt(LabelMap()) matchLabels?: Record<string, string>;
  @Opt(NestedList(() => LabelSelectorRequirementFields)) matchExpressions?: LabelSelectorRequirementFields[];
}

/** Object reference used by Events and scale targets. */
export class ObjectReferenceFields {
  @Opt(Str()) apiVersion?: string;
  @Opt(Str()) kind?: string;
  @Opt(Str()) namespace?: string;
  @Opt(Str()) name?: string;
  @Opt(Str()) uid?: string;
  @Opt(Str()) resourceVersion?: string;
  @Opt(Str()) fieldPath?: string;
}

export class ConditionFields implements Condition {
  @Req(Str()) type!: string;
  @Req(OneOf(['True', 'False', 'Unknown'])) status!: 'True' | 'False' | 'Unknown';
  @Opt(Str()) reason?: string;
  @Opt(Str()) message?: string;
  @Opt(Str()) lastTransitionTime?: string;
  @AnyValue() lastProbeTime?: string | null;
  @Opt(Str()) lastUpdateTime?: string;
  @Opt(Str()) lastHeartbeatTime?: string;
  @Opt(Int(0)) observedGeneration?: number;
}

/** A kind's common fields: apiVersion, kind, metadata (status is free-form on input). */
export abstract class KindBase {
  @Opt(Str()) apiVersion?: string;
  @Opt(Str()) kind?: string;
  @Req(Nested(() => ObjectMetaFields)) metadata!: ObjectMeta;
}

export const DnsSubdomainName = DnsSubdomain;
