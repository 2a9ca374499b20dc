// The resource kinds the dashboard lists, and how their REST paths are built. Kept here
// (not imported from libs/api) because this module also runs in the browser bundle.
export interface KindInfo {
  kind: string;
  /** URL segment used by the dashboard and the API: `pods`, `deployments` … */
  plural: string;
  group: string;
  version: string;
  namespaced: boolean;
  /** Human title for navigation. */
  title: string;
  /** Scale subresource exists. */
  scalable?: boolean;
}

export const KINDS: KindInfo[] = [
  { kind: 'Deployment', plural: 'deployments', group: 'apps', version: 'v1', namespaced: true, title: 'Deployments', scalable: true },
  { kind: 'ReplicaSet', plural: 'replicasets', group: 'apps', version: 'v1', namespaced: true, title: 'ReplicaSets', scalable: true },
  { kind: 'Pod', plural: 'pods', group: '', version: 'v1', namespaced: true, title: 'Pods' },
  { kind: 'VirtualMachine', plural: 'virtualmachines', group: 'kubevirt.io', version: 'v1', namespaced: true, title: 'Virtual machines' },
  { kind: 'VirtualMachineInstance', plural: 'virtualmachineinstances', group: 'kubevirt.io', version: 'v1', namespaced: true, title: 'VM instances' },
  { kind: 'VirtualMachineInstanceReplicaSet', plural: 'virtualmachineinstancereplicasets', group: 'kubevirt.io', version: 'v1', namespaced: true, title: 'VMI replica sets', scalable: true },
  { kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', group: 'autoscaling', version: 'v2', namespaced: true, title: 'Autoscalers' },
  { kind: 'Node', plural: 'nodes', group: '', version: 'v1', namespaced: false, title: 'Nodes' },
  { kind: 'Namespace', plural: 'namespaces', group: '', version: 'v1', namespaced: false, title: 'Namespaces' },
  { kind: 'Event', plural: 'events', group: '', version: 'v1', namespaced: true, title: 'Events' },
];

/** Kinds in the navigation, in this order: workloads, then (from CLUSTER_NAV_START) the cluster. */
export const NAV_KINDS = ['deployments', 'replicasets', 'pods', 'virtualmachines', 'virtualmachineinstances', 'horizontalpodautoscalers', 'nodes', 'namespaces', 'events'];
export const CLUSTER_NAV_START = 6;

/** Namespace placeholder in dashboard URLs of cluster-scoped objects. */
export const CLUSTER_SCOPE = '_';

export function kindByPlural(plural: string): KindInfo | undefined {
  return KINDS.find((k) => k.plural === plural);
}

export function kindByName(kind: string, apiVersion?: string): KindInfo | undefined {
  const { group, version } = splitApiVersion(apiVersion ?? '');
  return KINDS.find((k) => k.kind === kind && (apiVersion === undefined || (k.group === group && k.version === version)));
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export const apiVersionOf = (k: KindInfo) => (k.group ? `${k.group}/${k.version}` : k.version);

/** `/api/v1` or `/apis/<group>/<version>`. */
export function groupPrefix(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/** The collection path; all namespaces when `namespace` is empty. */
export function collectionPath(k: Pick<KindInfo, 'group' | 'version' | 'plural' | 'namespaced'>, namespace?: string): string {
  const ns = k.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${groupPrefix(k.group, k.version)}${ns}/${k.plural}`;
}

export function objectPath(k: Pick<KindInfo, 'group' | 'version' | 'plural' | 'namespaced'>, namespace: string | undefined, name: string, subresource?: string): string {
  return `${collectionPath(k, namespace)}/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}`;
}

/** The dashboard page of an object. */
export function detailHref(k: Pick<KindInfo, 'plural' | 'namespaced'>, namespace: string | undefined, name: string): string {
  return `/r/${k.plural}/${k.namespaced && namespace ? encodeURIComponent(namespace) : CLUSTER_SCOPE}/${encodeURIComponent(name)}`;
}

/** The dashboard page of an object reference (ownerReference, involvedObject…); undefined for unknown kinds. */
export function refHref(ref: { kind?: string; apiVersion?: string; name?: string; namespace?: string }, fallbackNamespace?: string): string | undefined {
  if (!ref.kind || !ref.name) return undefined;
  const k = kindByName(ref.kind);
  if (!k) return undefined;
  return detailHref(k, ref.namespace ?? fallbackNamespace, ref.name);
}
