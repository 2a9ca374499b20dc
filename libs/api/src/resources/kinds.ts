// The kinds Coxswain serves and where they live in the REST tree: coordinates only, no
// classes, so the browser (@coxswain/api/browser), libs/client and the dashboard read the
// same list the API server routes by. registry.ts pairs each entry with its validating class.
export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface KindInfo {
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
}

type Declared<G extends string, V extends string, K extends string> = Omit<KindInfo, 'listKind' | 'singular' | 'verbs' | 'nameRule' | 'categories' | 'shortNames'> &
  Partial<KindInfo> & { group: G; version: V; kind: K };

function info<const G extends string, const V extends string, const K extends string>(partial: Declared<G, V, K>): KindInfo & { group: G; version: V; kind: K } {
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

export const KINDS = [
  info({ group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'], nameRule: 'label', subresources: ['status', 'finalize'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }),
  info({ group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'], subresources: ['status'] }),
  info({ group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['status', 'binding', 'log', 'exec', 'eviction'] }),
  info({ group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'], subresources: [] }),
  info({ group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true, subresources: [] }),
  info({ group: '', version: 'v1', kind: 'PersistentVolume', plural: 'persistentvolumes', namespaced: false, shortNames: ['pv'], subresources: ['status'] }),
  info({ group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', namespaced: true, shortNames: ['pvc'], subresources: ['status'] }),
  info({ group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'], subresources: [] }),
  info({ group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, shortNames: ['svc'], nameRule: 'label', categories: ['all'], subresources: ['status'] }),
  info({ group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'] }),
  info({ group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true, shortNames: ['ds'], categories: ['all'], subresources: ['status'] }),
  info({ group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true, shortNames: ['sts'], categories: ['all'], subresources: ['status', 'scale'] }),
  info({ group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions', namespaced: true, subresources: [] }),
  info({ group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'] }),
  info({ group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true, shortNames: ['hpa'], categories: ['all'], subresources: ['status'] }),
  // autoscaling/v1 is served by conversion to v2 (same storage); v2 comes first so lookups by
  // kind and short name find the preferred version.
  info({ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true, categories: ['all'], subresources: ['status'] }),
  info({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true, subresources: [] }),
  // events.k8s.io/v1 is served by conversion to core/v1 (one storage); core/v1 comes first so
  // lookups by kind and `ev` find it, as kubectl's do.
  info({ group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, subresources: [] }),
  info({ group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true, subresources: [] }),
  info({ group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', plural: 'storageclasses', namespaced: false, shortNames: ['sc'], subresources: [] }),
  info({ group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true, categories: ['all'], subresources: ['status'] }),
  info({ group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true, shortNames: ['cj'], categories: ['all'], subresources: ['status'] }),
  info({ group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true, shortNames: ['pdb'], subresources: ['status'] }),
  info({ group: 'certificates.k8s.io', version: 'v1', kind: 'CertificateSigningRequest', plural: 'certificatesigningrequests', namespaced: false, shortNames: ['csr'], subresources: ['status', 'approval'] }),
  info({ group: 'kubevirt.io', version: 'v1', kind: 'VirtualMachine', plural: 'virtualmachines', namespaced: true, shortNames: ['vm', 'vms'], categories: ['all'], subresources: ['status', 'start', 'stop', 'restart'] }),
  info({ group: 'kubevirt.io', version: 'v1', kind: 'VirtualMachineInstance', plural: 'virtualmachineinstances', namespaced: true, shortNames: ['vmi', 'vmis'], categories: ['all'], subresources: ['status', 'binding', 'console', 'eviction'] }),
  info({ group: 'cdi.kubevirt.io', version: 'v1beta1', kind: 'DataVolume', plural: 'datavolumes', namespaced: true, shortNames: ['dv', 'dvs'], categories: ['all'], subresources: ['status'] }),
  info({ group: 'kubevirt.io', version: 'v1', kind: 'VirtualMachineInstanceReplicaSet', plural: 'virtualmachineinstancereplicasets', namespaced: true, shortNames: ['vmirs', 'vmirss'], categories: ['all'], subresources: ['status', 'scale'] }),
] as const satisfies readonly KindInfo[];

/** `v1/Pod`, `apps/v1/Deployment`: one served kind at one version. */
type KeyOf<E> = E extends { group: infer G extends string; version: infer V extends string; kind: infer K extends string } ? `${G extends '' ? '' : `${G}/`}${V}/${K}` : never;
export type KindKey = KeyOf<(typeof KINDS)[number]>;

/** Every served kind's name (`Pod`, `Deployment` …). */
export type KindName = (typeof KINDS)[number]['kind'];

export function apiVersionOf(resource: Pick<KindInfo, 'group' | 'version'>): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

export function kindKeyOf(k: Pick<KindInfo, 'group' | 'version' | 'kind'>): string {
  return `${apiVersionOf(k)}/${k.kind}`;
}

/** 'apps/v1' → {group:'apps', version:'v1'}; 'v1' → {group:'', version:'v1'}. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** By group, version and plural — how the REST router finds a resource. */
export function findKind<T extends KindInfo>(list: readonly T[], group: string, version: string, plural: string): T | undefined {
  return list.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** By kind, optionally pinned to an apiVersion; the preferred (first listed) version otherwise. */
export function kindFor<T extends KindInfo>(list: readonly T[], kind: string, apiVersion?: string): T | undefined {
  return list.find((r) => r.kind === kind && (apiVersion === undefined || apiVersionOf(r) === apiVersion));
}

/**
 * Resolves what a user typed (`po`, `pods`, `pod`, `Pod`, `deployments.apps`, `deploy`),
 * as kubectl and coxctl accept it.
 */
export function resolveKindName<T extends KindInfo>(list: readonly T[], name: string): T | undefined {
  const lower = name.toLowerCase();
  const [head, ...groupParts] = lower.split('.');
  const group = groupParts.join('.');
  return list.find(
    (r) =>
      (groupParts.length === 0 || r.group === group) &&
      (r.plural === head || r.singular === head || r.kind.toLowerCase() === head || r.shortNames.includes(head)),
  );
}

/** The preferred version of each resource: the first entry per group and plural. */
export function preferredKinds<T extends KindInfo>(list: readonly T[]): T[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const key = `${r.group}/${r.plural}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The key prefix a resource's objects live under in etcd. */
export function storagePrefix(resource: Pick<KindInfo, 'group' | 'plural'>): string {
  return `/registry/${resource.group === '' ? 'core' : resource.group}/${resource.plural}/`;
}

/** `pods`, `deployments.apps` — how Kubernetes names a resource in messages. */
export function qualifiedResource(resource: Pick<KindInfo, 'group' | 'plural'>): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}
