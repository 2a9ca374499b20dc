// kubevirt.io/v1 VirtualMachine, VirtualMachineInstance and VirtualMachineInstanceReplicaSet,
// with KubeVirt's field names so existing manifests apply (a subset of its schema).
import { Condition, ObjectMeta } from '../meta/types';
import { AnyValue, Bool, FreeObject, Int, LabelMap, Nested, NestedList, OneOf, Opt, QuantityMap, QuantityValue, Req, Str } from '../validation/decorators';
import { KindBase, LabelSelectorFields, ObjectMetaFields } from './meta';
import { Affinity, PULL_POLICIES, PullPolicy, Toleration } from './pod';

export class CPU {
  @Opt(Int(1)) cores?: number;
  @Opt(Int(1)) sockets?: number;
  @Opt(Int(1)) threads?: number;
  @Opt(Str()) model?: string;
  @Opt(Bool()) dedicatedCpuPlacement?: boolean;
}

export class Memory {
  @Opt(QuantityValue()) guest?: string;
  @AnyValue() hugepages?: unknown;
}

export class VmResourceRequirements {
  @Opt(QuantityMap()) requests?: Record<string, string>;
  @Opt(QuantityMap()) limits?: Record<string, string>;
  @Opt(Bool()) overcommitGuestOverhead?: boolean;
}

export class KernelBootContainer {
  @Req(Str()) image!: string;
  @Opt(Str()) kernelPath?: string;
  @Opt(Str()) initrdPath?: string;
  @Opt(OneOf(PULL_POLICIES)) imagePullPolicy?: PullPolicy;
  @AnyValue() imagePullSecret?: string;
}

export class KernelBoot {
  @Opt(Str()) kernelArgs?: string;
  @Opt(Nested(() => KernelBootContainer)) container?: KernelBootContainer;
}

export class Firmware {
  @Opt(Nested(() => KernelBoot)) kernelBoot?: KernelBoot;
  @AnyValue() bootloader?: unknown;
  @Opt(Str()) uuid?: string;
  @Opt(Str()) serial?: string;
}

export class DiskTarget {
  @Opt(OneOf(['virtio', 'sata', 'scsi', 'usb'])) bus?: string;
  @Opt(Bool()) readonly?: boolean;
}

export class Disk {
  @Req(Str()) name!: string;
  @Opt(Nested(() => DiskTarget)) disk?: DiskTarget;
  @Opt(FreeObject()) cdrom?: Record<string, unknown>;
  @Opt(FreeObject()) lun?: Record<string, unknown>;
  @Opt(Int(1)) bootOrder?: number;
  @Opt(Str()) serial?: string;
  @Opt(OneOf(['none', 'writethrough', 'writeback'])) cache?: string;
}

export class Interface {
  @Req(Str()) name!: string;
  @Opt(FreeObject()) masquerade?: Record<string, unknown>;
  @Opt(FreeObject()) bridge?: Record<string, unknown>;
  @Opt(Str()) macAddress?: string;
  @Opt(Str()) model?: string;
  @AnyValue() ports?: unknown[];
}

export class Devices {
  @Opt(NestedList(() => Disk)) disks?: Disk[];
  @Opt(NestedList(() => Interface)) interfaces?: Interface[];
  @Opt(Bool()) autoattachSerialConsole?: boolean;
  @Opt(Bool()) autoattachGraphicsDevice?: boolean;
  @Opt(Bool()) autoattachMemBalloon?: boolean;
  @Opt(Bool()) networkInterfaceMultiqueue?: boolean;
  @AnyValue() rng?: unknown;
}

export class Machine {
  @Opt(Str()) type?: string;
}

export class DomainSpec {
  @Opt(Nested(() => CPU)) cpu?: CPU;
  @Opt(Nested(() => Memory)) memory?: Memory;
  @Opt(Nested(() => VmResourceRequirements)) resources?: VmResourceRequirements;
  @Opt(Nested(() => Firmware)) firmware?: Firmware;
  @Opt(Nested(() => Devices)) devices?: Devices;
  @Opt(Nested(() => Machine)) machine?: Machine;
  @AnyValue() features?: unknown;
  @AnyValue() clock?: unknown;
}

export class ContainerDiskSource {
  @Req(Str()) image!: string;
  @Opt(Str()) path?: string;
  @Opt(OneOf(PULL_POLICIES)) imagePullPolicy?: PullPolicy;
  @AnyValue() imagePullSecret?: string;
}

export class CloudInitNoCloudSource {
  @Opt(Str()) userData?: string;
  @Opt(Str()) userDataBase64?: string;
  @Opt(Str()) networkData?: string;
  @Opt(Str()) networkDataBase64?: string;
  @AnyValue() secretRef?: unknown;
  @AnyValue() networkDataSecretRef?: unknown;
}

export class EmptyDiskSource {
  @Req(QuantityValue()) capacity!: string;
}

/** KubeVirt's ConfigMapVolumeSource: the ConfigMap's keys as files on an ISO disk labelled `volumeLabel`. */
export class VmConfigMapVolumeSource {
  @Opt(Str()) name?: string;
  @Opt(Bool()) optional?: boolean;
  @Opt(Str()) volumeLabel?: string;
}

/** KubeVirt's SecretVolumeSource: the Secret's keys as files on an ISO disk labelled `volumeLabel`. */
export class VmSecretVolumeSource {
  @Opt(Str()) secretName?: string;
  @Opt(Bool()) optional?: boolean;
  @Opt(Str()) volumeLabel?: string;
}

export class VmVolume {
  @Req(Str()) name!: string;
  @Opt(Nested(() => ContainerDiskSource)) containerDisk?: ContainerDiskSource;
  @Opt(Nested(() => CloudInitNoCloudSource)) cloudInitNoCloud?: CloudInitNoCloudSource;
  @Opt(Nested(() => EmptyDiskSource)) emptyDisk?: EmptyDiskSource;
  @Opt(Nested(() => VmConfigMapVolumeSource)) configMap?: VmConfigMapVolumeSource;
  @Opt(Nested(() => VmSecretVolumeSource)) secret?: VmSecretVolumeSource;
  @AnyValue() persistentVolumeClaim?: unknown;
  /** Refused with a reason (no CDI). */
  @AnyValue() dataVolume?: unknown;
  /** Refused with a reason (no ServiceAccount token issuer). */
  @AnyValue() serviceAccount?: unknown;
}

export class Network {
  @Req(Str()) name!: string;
  @Opt(FreeObject()) pod?: Record<string, unknown>;
  @AnyValue() multus?: unknown;
}

export class VirtualMachineInstanceSpec {
  @Req(Nested(() => DomainSpec)) domain!: DomainSpec;
  @Opt(NestedList(() => VmVolume)) volumes?: VmVolume[];
  @Opt(NestedList(() => Network)) networks?: Network[];
  @Opt(LabelMap()) nodeSelector?: Record<string, string>;
  @Opt(Nested(() => Affinity)) affinity?: Affinity;
  @Opt(NestedList(() => Toleration)) tolerations?: Toleration[];
  @Opt(Int(0)) terminationGracePeriodSeconds?: number;
  @Opt(OneOf(['None', 'LiveMigrate', 'LiveMigrateIfPossible', 'External'])) evictionStrategy?: string;
  @Opt(Str()) hostname?: string;
  @Opt(Str()) subdomain?: string;
  @Opt(Str()) priorityClassName?: string;
  @Opt(Str()) schedulerName?: string;
  @Opt(Str()) nodeName?: string;
  @AnyValue() accessCredentials?: unknown[];
  @AnyValue() readinessProbe?: unknown;
  @AnyValue() livenessProbe?: unknown;
  @Opt(OneOf(['Paused'])) startStrategy?: string;
}

export type VmiPhase = 'Pending' | 'Scheduling' | 'Scheduled' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface VirtualMachineInstanceStatus {
  phase?: VmiPhase;
  nodeName?: string;
  conditions?: Condition[];
  interfaces?: Array<{ name?: string; ipAddress?: string; ipAddresses?: string[]; mac?: string }>;
  reason?: string;
  guestOSInfo?: Record<string, string>;
  phaseTransitionTimestamps?: Array<{ phase: VmiPhase; phaseTransitionTimestamp: string }>;
  qosClass?: string;
  launcherContainerImageVersion?: string;
}

export class VirtualMachineInstance extends KindBase {
  @Req(Nested(() => VirtualMachineInstanceSpec)) spec!: VirtualMachineInstanceSpec;
  @AnyValue() status?: VirtualMachineInstanceStatus;
}

export class VirtualMachineInstanceTemplateSpec {
  @Opt(Nested(() => ObjectMetaFields)) metadata?: ObjectMeta;
  @Req(Nested(() => VirtualMachineInstanceSpec)) spec!: VirtualMachineInstanceSpec;
}

export const RUN_STRATEGIES = ['Always', 'RerunOnFailure', 'Manual', 'Halted', 'Once'] as const;
export type RunStrategy = (typeof RUN_STRATEGIES)[number];

export class VirtualMachineSpec {
  @Opt(Bool()) running?: boolean;
  @Opt(OneOf(RUN_STRATEGIES)) runStrategy?: RunStrategy;
  @Req(Nested(() => VirtualMachineInstanceTemplateSpec)) template!: VirtualMachineInstanceTemplateSpec;
  @AnyValue() dataVolumeTemplates?: unknown[];
  @AnyValue() instancetype?: unknown;
  @AnyValue() preference?: unknown;
}

export interface VirtualMachineStatus {
  created?: boolean;
  ready?: boolean;
  printableStatus?: string;
  conditions?: Condition[];
  stateChangeRequests?: Array<{ action: 'Start' | 'Stop'; uid?: string }>;
  observedGeneration?: number;
  desiredGeneration?: number;
  startFailure?: { consecutiveFailCount: number; retryAfterTimestamp?: string };
  runStrategy?: string;
}

export class VirtualMachine extends KindBase {
  @Req(Nested(() => VirtualMachineSpec)) spec!: VirtualMachineSpec;
  @AnyValue() status?: VirtualMachineStatus;
}

export class VirtualMachineInstanceReplicaSetSpec {
  @Opt(Int(0)) replicas?: number;
  @Req(Nested(() => LabelSelectorFields)) selector!: LabelSelectorFields;
  @Req(Nested(() => VirtualMachineInstanceTemplateSpec)) template!: VirtualMachineInstanceTemplateSpec;
  @Opt(Bool()) paused?: boolean;
}

export interface VirtualMachineInstanceReplicaSetStatus {
  replicas?: number;
  readyReplicas?: number;
  conditions?: Condition[];
  labelSelector?: string;
}

export class VirtualMachineInstanceReplicaSet extends KindBase {
  @Req(Nested(() => VirtualMachineInstanceReplicaSetSpec)) spec!: VirtualMachineInstanceReplicaSetSpec;
  @AnyValue() status?: VirtualMachineInstanceReplicaSetStatus;
}
