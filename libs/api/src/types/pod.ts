// core/v1 Pod and the pieces Deployments, ReplicaSets and the node agent share.
import { Condition, ObjectMeta } from '../meta/types';
import {
  AnyValue,
  Bool,
  DnsLabel,
  FreeObject,
  Int,
  IntOrPortName,
  LabelMap,
  Nested,
  NestedList,
  OneOf,
  Opt,
  PortName,
  PortNumber,
  QuantityMap,
  Req,
  Str,
  StrArray,
} from '../validation/decorators';
import { KindBase, ObjectMetaFields } from './meta';
import { PodSecurityContext, SecurityContext } from './security';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;
export type RestartPolicy = (typeof RESTART_POLICIES)[number];
export const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
export type PullPolicy = (typeof PULL_POLICIES)[number];
export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];

export class EnvVar {
  @Req(Str()) name!: string;
  @Opt(Str()) value?: string;
  @Opt(FreeObject()) valueFrom?: Record<string, unknown>;
}

export class ContainerPort {
  @Opt(PortName()) name?: string;
  @Req(PortNumber()) containerPort!: number;
  @Opt(PortNumber()) hostPort?: number;
  @Opt(Str()) hostIP?: string;
  @Opt(OneOf(['TCP', 'UDP', 'SCTP'])) protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export class ResourceRequirements {
  @Opt(QuantityMap()) requests?: Record<string, string>;
  @Opt(QuantityMap()) limits?: Record<string, string>;
  @AnyValue() claims?: unknown[];
}

export class ExecAction {
  @Req(StrArray()) command!: string[];
}

export class HTTPHeader {
  @Req(Str()) name!: string;
  @Req(Str()) value!: string;
}

export class HTTPGetAction {
  @Opt(Str()) path?: string;
  @Req(IntOrPortName()) port!: number | string;
  @Opt(Str()) host?: string;
  @Opt(OneOf(['HTTP', 'HTTPS'])) scheme?: 'HTTP' | 'HTTPS';
  @Opt(NestedList(() => HTTPHeader)) httpHeaders?: HTTPHeader[];
}

export class TCPSocketAction {
  @Req(IntOrPortName()) port!: number | string;
  @Opt(Str()) host?: string;
}

export class Probe {
  @Opt(Nested(() => ExecAction)) exec?: ExecAction;
  @Opt(Nested(() => HTTPGetAction)) httpGet?: HTTPGetAction;
  @Opt(Nested(() => TCPSocketAction)) tcpSocket?: TCPSocketAction;
  @Opt(FreeObject()) grpc?: Record<string, unknown>;
  @Opt(Int(0)) initialDelaySeconds?: number;
  @Opt(Int(1)) timeoutSeconds?: number;
  @Opt(Int(1)) periodSeconds?: number;
  @Opt(Int(1)) successThreshold?: number;
  @Opt(Int(1)) failureThreshold?: number;
  @Opt(Int(1)) terminationGracePeriodSeconds?: number;
}

export class VolumeMount {
  @Req(Str()) name!: string;
  @Req(Str()) mountPath!: string;
  @Opt(Bool()) readOnly?: boolean;
  @Opt(Str()) subPath?: string;
  @Opt(Str()) subPathExpr?: string;
  @Opt(Str()) mountPropagation?: string;
  @Opt(Str()) recursiveReadOnly?: string;
}

export class Container {
  @Req(DnsLabel()) name!: string;
  @Opt(Str()) image?: string;
  @Opt(StrArray()) command?: string[];
  @Opt(StrArray()) args?: string[];
  @Opt(Str()) workingDir?: string;
  @Opt(NestedList(() => ContainerPort)) ports?: ContainerPort[];
  @Opt(NestedList(() => EnvVar)) env?: EnvVar[];
  @AnyValue() envFrom?: unknown[];
  @Opt(Nested(() => ResourceRequirements)) resources?: ResourceRequirements;
  @Opt(NestedList(() => VolumeMount)) volumeMounts?: VolumeMount[];
  @AnyValue() volumeDevices?: unknown[];
  @Opt(Nested(() => Probe)) livenessProbe?: Probe;
  @Opt(Nested(() => Probe)) readinessProbe?: Probe;
  @Opt(Nested(() => Probe)) startupProbe?: Probe;
  @AnyValue() lifecycle?: unknown;
  @Opt(Str()) terminationMessagePath?: string;
  @Opt(OneOf(['File', 'FallbackToLogsOnError'])) terminationMessagePolicy?: string;
  @Opt(OneOf(PULL_POLICIES)) imagePullPolicy?: PullPolicy;
  @Opt(Nested(() => SecurityContext)) securityContext?: SecurityContext;
  @Opt(Bool()) stdin?: boolean;
  @Opt(Bool()) stdinOnce?: boolean;
  @Opt(Bool()) tty?: boolean;
  @AnyValue() resizePolicy?: unknown[];
  @Opt(OneOf(['Always'])) restartPolicy?: 'Always';
}

export class NodeSelectorRequirement {
  @Req(Str()) key!: string;
  @Req(OneOf(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'])) operator!: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  @Opt(StrArray()) values?: string[];
}

export class NodeSelectorTerm {
  @Opt(NestedList(() => NodeSelectorRequirement)) matchExpressions?: NodeSelectorRequirement[];
  @Opt(NestedList(() => NodeSelectorRequirement)) matchFields?: NodeSelectorRequirement[];
}

export class NodeSelector {
  @Req(NestedList(() => NodeSelectorTerm)) nodeSelectorTerms!: NodeSelectorTerm[];
}

export class NodeAffinity {
  @Opt(Nested(() => NodeSelector)) requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector;
  @AnyValue() preferredDuringSchedulingIgnoredDuringExecution?: unknown[];
}

export class Affinity {
  @Opt(Nested(() => NodeAffinity)) nodeAffinity?: NodeAffinity;
  @AnyValue() podAffinity?: unknown;
  @AnyValue() podAntiAffinity?: unknown;
}

export class Toleration {
  @Opt(Str()) key?: string;
  @Opt(OneOf(['Exists', 'Equal'])) operator?: 'Exists' | 'Equal';
  @Opt(Str()) value?: string;
  @Opt(OneOf(['', ...TAINT_EFFECTS])) effect?: TaintEffect | '';
  @Opt(Int()) tolerationSeconds?: number;
}

export class Volume {
  @Req(DnsLabel()) name!: string;
  @Opt(FreeObject()) emptyDir?: Record<string, unknown>;
  @Opt(FreeObject()) hostPath?: Record<string, unknown>;
  @Opt(FreeObject()) configMap?: Record<string, unknown>;
  @Opt(FreeObject()) secret?: Record<string, unknown>;
  @Opt(FreeObject()) persistentVolumeClaim?: Record<string, unknown>;
  @Opt(FreeObject()) projected?: Record<string, unknown>;
  @Opt(FreeObject()) downwardAPI?: Record<string, unknown>;
}

export class PodSpec {
  @Req(NestedList(() => Container)) containers!: Container[];
  @Opt(NestedList(() => Container)) initContainers?: Container[];
  @Opt(OneOf(RESTART_POLICIES)) restartPolicy?: RestartPolicy;
  @Opt(Int(0)) terminationGracePeriodSeconds?: number;
  @Opt(Int(1)) activeDeadlineSeconds?: number;
  @Opt(LabelMap()) nodeSelector?: Record<string, string>;
  @Opt(Str()) nodeName?: string;
  @Opt(Nested(() => Affinity)) affinity?: Affinity;
  @Opt(NestedList(() => Toleration)) tolerations?: Toleration[];
  @Opt(Str()) schedulerName?: string;
  @Opt(Int()) priority?: number;
  @Opt(Str()) priorityClassName?: string;
  @Opt(NestedList(() => Volume)) volumes?: Volume[];
  @Opt(Str()) hostname?: string;
  @Opt(Str()) subdomain?: string;
  @Opt(Bool()) setHostnameAsFQDN?: boolean;
  @Opt(Str()) serviceAccountName?: string;
  @Opt(Str()) serviceAccount?: string;
  @Opt(Bool()) automountServiceAccountToken?: boolean;
  @Opt(OneOf(['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'])) dnsPolicy?: string;
  @AnyValue() dnsConfig?: unknown;
  @Opt(Bool()) hostNetwork?: boolean;
  @Opt(Bool()) hostPID?: boolean;
  @Opt(Bool()) hostIPC?: boolean;
  @Opt(Bool()) shareProcessNamespace?: boolean;
  @Opt(Nested(() => PodSecurityContext)) securityContext?: PodSecurityContext;
  @Opt(Bool()) hostUsers?: boolean;
  @AnyValue() imagePullSecrets?: unknown[];
  @Opt(Bool()) enableServiceLinks?: boolean;
  @Opt(Str()) preemptionPolicy?: string;
  @Opt(QuantityMap()) overhead?: Record<string, string>;
  @AnyValue() readinessGates?: unknown[];
  @Opt(Str()) runtimeClassName?: string;
  @AnyValue() topologySpreadConstraints?: unknown[];
  @AnyValue() os?: unknown;
  @AnyValue() hostAliases?: unknown[];
}

export class PodTemplateSpec {
  @Opt(Nested(() => ObjectMetaFields)) metadata?: ObjectMeta;
  @Req(Nested(() => PodSpec)) spec!: PodSpec;
}

// --- status (written by the node agent and scheduler; not validated on input) ---

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface ContainerStateWaiting {
  reason?: string;
  message?: string;
}
export interface ContainerStateRunning {
  startedAt?: string;
}
export interface ContainerStateTerminated {
  exitCode: number;
  signal?: number;
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  containerID?: string;
}
export interface ContainerState {
  waiting?: ContainerStateWaiting;
  running?: ContainerStateRunning;
  terminated?: ContainerStateTerminated;
}

export interface ContainerStatus {
  name: string;
  state?: ContainerState;
  lastState?: ContainerState;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID?: string;
  containerID?: string;
  started?: boolean;
}

export interface PodStatus {
  phase?: PodPhase;
  conditions?: Condition[];
  message?: string;
  reason?: string;
  hostIP?: string;
  hostIPs?: Array<{ ip: string }>;
  podIP?: string;
  podIPs?: Array<{ ip: string }>;
  startTime?: string;
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  qosClass?: 'Guaranteed' | 'Burstable' | 'BestEffort';
  nominatedNodeName?: string;
}

export class Pod extends KindBase {
  @Req(Nested(() => PodSpec)) spec!: PodSpec;
  @AnyValue() status?: PodStatus;
}

export class BindingTarget {
  @Opt(Str()) apiVersion?: string;
  @Opt(Str()) kind?: string;
  @Req(Str()) name!: string;
  @Opt(Str()) namespace?: string;
  @Opt(Str()) uid?: string;
}

/** Pod's binding subresource body. */
export class Binding extends KindBase {
  @Req(Nested(() => BindingTarget)) target!: BindingTarget;
}

/** Eviction (policy/v1) body, used by drain. */
export class Eviction extends KindBase {
  @AnyValue() deleteOptions?: unknown;
}
