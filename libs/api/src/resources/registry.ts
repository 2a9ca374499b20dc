// The kinds Coxswain serves, where they live in the REST tree and which class validates them.
import { Deployment, ReplicaSet, Scale } from '../types/apps';
import { CronJob, Job } from '../types/batch';
import { DaemonSet, StatefulSet } from '../types/workloads';
import { PodDisruptionBudget } from '../types/policy';
import { HorizontalPodAutoscaler, HorizontalPodAutoscalerV1 } from '../types/autoscaling';
import { Event, EventsV1Event, Lease, Namespace, Node } from '../types/cluster';
import { ConfigMap, Secret } from '../types/config';
import { VirtualMachine, VirtualMachineInstance, VirtualMachineInstanceReplicaSet } from '../types/kubevirt';
import { KindBase } from '../types/meta';
import { EndpointSlice, Service } from '../types/network';
import { Pod } from '../types/pod';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface ResourceInfo {
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: Verb[];
  /** Subresources served, e.g. status, scale, binding, log, exec, console. */
  subresources: string[];
  /** Which name rule metadata.name follows. */
  nameRule: 'subdomain' | 'label';
  /** class-validator class for input. */
  cls: new () => KindBase;
}

function info(partial: Omit<ResourceInfo, 'listKind' | 'singular' | 'verbs' | 'nameRule' | 'categories' | 'shortNames'> & Partial<ResourceInfo>): ResourceInfo {
  return {
    listKind: `${partial.kind}List`,
    singular: partial.kind.toLowerCase(),
    verbs: ALL_VERBS,
    nameRule: 'subdomain',
    categories: [],
    shortNames: [],
    ...partial,
  };
}

export const RESOURCES: readonly ResourceInfo[] = [
  info({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'], nameRule: 'label', subresources: ['status', 'finalize'], cls: Namespace, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }),
  info({ group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'], subresources: ['status'], cls: Node }),
  info({ group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['status', 'binding', 'log', 'exec', 'eviction'], cls: Pod }),
  info({ group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'], subresources: [], cls: ConfigMap }),
  info({ group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true, subresources: [], cls: Secret }),
  info({ group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'], subresources: [], cls: Event }),
  info({ group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, shortNames: ['svc'], nameRule: 'label', categories: ['all'], subresources: ['status'], cls: Service }),
  info({ group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'], cls: Deployment }),
  info({ group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true, shortNames: ['ds'], categories: ['all'], subresources: ['status'], cls: DaemonSet }),
  info({ group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true, shortNames: ['sts'], categories: ['all'], subresources: ['status', 'scale'], cls: StatefulSet }),
  info({ group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'], cls: ReplicaSet }),
  info({ group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true, shortNames: ['hpa'], categories: ['all'], subresources: ['status'], cls: HorizontalPodAutoscaler }),
  // autoscaling/v1 is served by conversion to v2 (same storage); v2 comes first so lookups by
  // kind and short name find the preferred version.
  info({ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true, categories: ['all'], subresources: ['status'], cls: HorizontalPodAutoscalerV1 }),
  info({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true, subresources: [], cls: Lease }),
  // events.k8s.io/v1 is served by conversion to core/v1 (one storage); core/v1 comes first so
  // lookups by kind and `ev` find it, as kubectl's do.
  info({ group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, subresources: [], cls: EventsV1Event }),
  info({ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true, subresources: [], cls: EndpointSlice }),
  info({ group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true, categories: ['all'], subresources: ['status'], cls: Job }),
  info({ group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true, shortNames: ['cj'], categories: ['all'], subresources: ['status'], cls: CronJob }),
  info({ group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true, shortNames: ['pdb'], subresources: ['status'], cls: PodDisruptionBudget }),
  info({ group: 'kubevirt.io', version: 'v1', kind: 'VirtualMachine', plural: 'virtualmachines', namespaced: true, shortNames: ['vm', 'vms'], categories: ['all'], subresources: ['status', 'start', 'stop', 'restart'], cls: VirtualMachine }),
  info({ group: 'kubevirt.io', version: 'v1', kind: 'VirtualMachineInstance', plural: 'virtualmachineinstances', namespaced: true, shortNames: ['vmi', 'vmis'], categories: ['all'], subresources: ['status', 'binding', 'console', 'eviction'], cls: VirtualMachineInstance }),
  info({ group: 'kubevirt.io', version: 'v1', kind: 'VirtualMachineInstanceReplicaSet', plural: 'virtualmachineinstancereplicasets', namespaced: true, shortNames: ['vmirs', 'vmirss'], categories: ['all'], subresources: ['status', 'scale'], cls: VirtualMachineInstanceReplicaSet }),
];

/** The autoscaling/v1 Scale kind used by scale subresources (not a stored resource). */
export const SCALE_CLASS = Scale;

export function apiVersionOf(resource: Pick<ResourceInfo, 'group' | 'version'>): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** 'apps/v1' → {group:'apps', version:'v1'}; 'v1' → {group:'', version:'v1'}. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** By group, version and plural — how the REST router finds a resource. */
export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** By kind, optionally pinned to an apiVersion. */
export function resourceForKind(kind: string, apiVersion?: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.kind === kind && (apiVersion === undefined || apiVersionOf(r) === apiVersion));
}

/**
 * Resolves what a user typed (`po`, `pods`, `pod`, `Pod`, `deployments.apps`, `deploy`),
 * as kubectl and coxctl accept it.
 */
export function resolveResourceName(name: string): ResourceInfo | undefined {
  const lower = name.toLowerCase();
  const [head, ...groupParts] = lower.split('.');
  const group = groupParts.join('.');
  return RESOURCES.find(
    (r) =>
      (groupParts.length === 0 || r.group === group) &&
      (r.plural === head || r.singular === head || r.kind.toLowerCase() === head || r.shortNames.includes(head)),
  );
}

/** The key prefix a resource's objects live under in etcd. */
export function storagePrefix(resource: Pick<ResourceInfo, 'group' | 'plural'>): string {
  return `/registry/${resource.group === '' ? 'core' : resource.group}/${resource.plural}/`;
}

/** `pods`, `deployments.apps` — how Kubernetes names a resource in messages. */
export function qualifiedResource(resource: Pick<ResourceInfo, 'group' | 'plural'>): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}
