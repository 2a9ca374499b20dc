// The kinds Coxswain serves (kinds.ts, the browser-safe list) paired with the class that
// validates each one. A kind added to KINDS without a class here fails to type-check.
import { Deployment, ReplicaSet, Scale } from '../types/apps';
import { CronJob, Job } from '../types/batch';
import { ControllerRevision, DaemonSet, StatefulSet } from '../types/workloads';
import { PodDisruptionBudget } from '../types/policy';
import { HorizontalPodAutoscaler, HorizontalPodAutoscalerV1 } from '../types/autoscaling';
import { Event, EventsV1Event, Lease, Namespace, Node } from '../types/cluster';
import { ConfigMap, Secret } from '../types/config';
import { VirtualMachine, VirtualMachineInstance, VirtualMachineInstanceReplicaSet } from '../types/kubevirt';
import { KindBase } from '../types/meta';
import { EndpointSlice, Service } from '../types/network';
import { Pod } from '../types/pod';
import { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../types/storage';
import { CertificateSigningRequest } from '../types/certificates';
import { DataVolume } from '../types/cdi';
import { findKind, KindInfo, KindKey, kindFor, kindKeyOf, KINDS, resolveKindName } from './kinds';

export { ALL_VERBS, apiVersionOf, parseApiVersion, preferredKinds, qualifiedResource, storagePrefix, type KindInfo, type KindKey, type KindName, type Verb } from './kinds';
export { KINDS } from './kinds';

export interface ResourceInfo extends KindInfo {
  /** class-validator class for input. */
  cls: new () => KindBase;
}

const CLASSES: Record<KindKey, new () => KindBase> = {
  'v1/Namespace': Namespace,
  'v1/Node': Node,
  'v1/Pod': Pod,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/PersistentVolume': PersistentVolume,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Event': Event,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/DaemonSet': DaemonSet,
  'apps/v1/StatefulSet': StatefulSet,
  'apps/v1/ControllerRevision': ControllerRevision,
  'apps/v1/ReplicaSet': ReplicaSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'autoscaling/v1/HorizontalPodAutoscaler': HorizontalPodAutoscalerV1,
  'coordination.k8s.io/v1/Lease': Lease,
  'events.k8s.io/v1/Event': EventsV1Event,
  'discovery.k8s.io/v1/EndpointSlice': EndpointSlice,
  'storage.k8s.io/v1/StorageClass': StorageClass,
  'batch/v1/Job': Job,
  'batch/v1/CronJob': CronJob,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'certificates.k8s.io/v1/CertificateSigningRequest': CertificateSigningRequest,
  'kubevirt.io/v1/VirtualMachine': VirtualMachine,
  'kubevirt.io/v1/VirtualMachineInstance': VirtualMachineInstance,
  'kubevirt.io/v1/VirtualMachineInstanceReplicaSet': VirtualMachineInstanceReplicaSet,
  'cdi.kubevirt.io/v1beta1/DataVolume': DataVolume,
};

export const RESOURCES: readonly ResourceInfo[] = KINDS.map((k) => ({ ...k, cls: CLASSES[kindKeyOf(k) as KindKey] }));

/** The autoscaling/v1 Scale kind used by scale subresources (not a stored resource). */
export const SCALE_CLASS = Scale;

/** By group, version and plural — how the REST router finds a resource. */
export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return findKind(RESOURCES, group, version, plural);
}

/** By kind, optionally pinned to an apiVersion. */
export function resourceForKind(kind: string, apiVersion?: string): ResourceInfo | undefined {
  return kindFor(RESOURCES, kind, apiVersion);
}

/**
 * Resolves what a user typed (`po`, `pods`, `pod`, `Pod`, `deployments.apps`, `deploy`),
 * as kubectl and coxctl accept it.
 */
export function resolveResourceName(name: string): ResourceInfo | undefined {
  return resolveKindName(RESOURCES, name);
}
