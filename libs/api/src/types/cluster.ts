// core/v1 Namespace, Node, Event and coordination.k8s.io/v1 Lease.
import { Condition } from '../meta/types';
import { AnyValue, Bool, FreeObject, Int, Nested, NestedList, OneOf, Opt, QualifiedName, Req, Str, StrArray } from '../validation/decorators';
import { KindBase, ObjectReferenceFields } from './meta';
import { TAINT_EFFECTS, TaintEffect } from './pod';

export class NamespaceSpec {
  @Opt(StrArray()) finalizers?: string[];
}

export interface NamespaceStatus {
  phase?: 'Active' | 'Terminating';
  conditions?: Condition[];
}

export class Namespace extends KindBase {
  @Opt(Nested(() => NamespaceSpec)) spec?: NamespaceSpec;
  @AnyValue() status?: NamespaceStatus;
}

export class Taint {
  @Req(QualifiedName()) key!: string;
  @Opt(Str()) value?: string;
  @Req(OneOf(TAINT_EFFECTS)) effect!: TaintEffect;
  @Opt(Str()) timeAdded?: string;
}

export class NodeSpec {
  @Opt(Str()) podCIDR?: string;
  @Opt(StrArray()) podCIDRs?: string[];
  @Opt(Str()) providerID?: string;
  @Opt(Bool()) unschedulable?: boolean;
  @Opt(NestedList(() => Taint)) taints?: Taint[];
  @AnyValue() configSource?: unknown;
  @Opt(Str()) externalID?: string;
}

export interface NodeAddress {
  type: 'InternalIP' | 'ExternalIP' | 'Hostname' | 'InternalDNS' | 'ExternalDNS';
  address: string;
}

export interface NodeStatus {
  capacity?: Record<string, string>;
  allocatable?: Record<string, string>;
  conditions?: Condition[];
  addresses?: NodeAddress[];
  nodeInfo?: Record<string, string>;
  daemonEndpoints?: { kubeletEndpoint?: { Port: number } };
  phase?: string;
  images?: Array<{ names: string[]; sizeBytes?: number }>;
}

export class Node extends KindBase {
  @Opt(Nested(() => NodeSpec)) spec?: NodeSpec;
  @AnyValue() status?: NodeStatus;
}

export class EventSource {
  @Opt(Str()) component?: string;
  @Opt(Str()) host?: string;
}

/** core/v1 Event: fields sit at the top level, there is no spec. */
export class Event extends KindBase {
  @Req(Nested(() => ObjectReferenceFields)) involvedObject!: ObjectReferenceFields;
  @Opt(Str()) reason?: string;
  @Opt(Str()) message?: string;
  @Opt(Nested(() => EventSource)) source?: EventSource;
  @Opt(Str()) firstTimestamp?: string;
  @Opt(Str()) lastTimestamp?: string;
  @Opt(Int(0)) count?: number;
  @Opt(OneOf(['Normal', 'Warning'])) type?: 'Normal' | 'Warning';
  @AnyValue() eventTime?: string | null;
  @Opt(FreeObject()) series?: Record<string, unknown>;
  @Opt(Str()) action?: string;
  @Opt(Nested(() => ObjectReferenceFields)) related?: ObjectReferenceFields;
  @Opt(Str()) reportingComponent?: string;
  @Opt(Str()) reportingInstance?: string;
}

/** events.k8s.io/v1 Event: the same objects as core/v1 Events, fields renamed (conversion/events.ts). */
export class EventsV1Event extends KindBase {
  @AnyValue() eventTime?: string | null;
  @Opt(FreeObject()) series?: Record<string, unknown>;
  @Opt(Str()) reportingController?: string;
  @Opt(Str()) reportingInstance?: string;
  @Opt(Str()) action?: string;
  @Opt(Str()) reason?: string;
  @Opt(Nested(() => ObjectReferenceFields)) regarding?: ObjectReferenceFields;
  @Opt(Nested(() => ObjectReferenceFields)) related?: ObjectReferenceFields;
  @Opt(Str()) note?: string;
  @Opt(OneOf(['Normal', 'Warning'])) type?: 'Normal' | 'Warning';
  @Opt(Nested(() => EventSource)) deprecatedSource?: EventSource;
  @Opt(Str()) deprecatedFirstTimestamp?: string;
  @Opt(Str()) deprecatedLastTimestamp?: string;
  @Opt(Int(0)) deprecatedCount?: number;
}

export class LeaseSpec {
  @Opt(Str()) holderIdentity?: string;
  @Opt(Int(1)) leaseDurationSeconds?: number;
  @Opt(Str()) acquireTime?: string;
  @Opt(Str()) renewTime?: string;
  @Opt(Int(0)) leaseTransitions?: number;
  @Opt(Str()) strategy?: string;
  @Opt(Str()) preferredHolder?: string;
}

export class Lease extends KindBase {
  @Opt(Nested(() => LeaseSpec)) spec?: LeaseSpec;
}
