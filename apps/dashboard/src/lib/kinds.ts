// The resource kinds the dashboard lists and how their REST paths are built: every kind
// libs/api serves (its browser-safe list), at its preferred version, so a kind added to the
// registry appears here with no edit. Only presentation is local: titles and nav sections.
import { KINDS as SERVED, KindInfo as ServedKind, parseApiVersion, preferredKinds } from '@coxswain/api/browser';

export interface KindInfo extends Pick<ServedKind, 'kind' | 'plural' | 'group' | 'version' | 'namespaced' | 'categories' | 'subresources'> {
  /** Human title for navigation. */
  title: string;
  /** Scale subresource exists. */
  scalable: boolean;
}

/** Titles that read better than the kind's words. */
const TITLES: Record<string, string> = {
  virtualmachineinstances: 'VM instances',
  virtualmachineinstancereplicasets: 'VMI replica sets',
  horizontalpodautoscalers: 'Autoscalers',
};

/** `PodDisruptionBudget` + `poddisruptionbudgets` → `Pod disruption budgets`. */
export function titleOf(k: Pick<ServedKind, 'kind' | 'plural'>): string {
  if (TITLES[k.plural]) return TITLES[k.plural];
  const words = k.kind.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+/g) ?? [k.kind];
  const head = words.slice(0, -1).join('').length;
  // The plural spells the last word's plural (`policies`, `classes`, `slices`).
  const last = k.plural.toLowerCase().startsWith(k.kind.slice(0, head).toLowerCase()) ? k.plural.slice(head) : `${words[words.length - 1]}s`;
  const text = [...words.slice(0, -1), last].map((w, i) => (i === 0 ? w : /^[A-Z]+$/.test(w) ? w : w.toLowerCase())).join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// One entry per plural: the preferred version, and the core group before any later group
// reusing a plural (core Events before events.k8s.io's view of the same objects).
const seen = new Set<string>();
export const KINDS: KindInfo[] = preferredKinds(SERVED)
  .filter((k) => k.verbs.includes('list') && !seen.has(k.plural) && seen.add(k.plural))
  .map((k) => ({ kind: k.kind, plural: k.plural, group: k.group, version: k.version, namespaced: k.namespaced, categories: k.categories, subresources: k.subresources, title: titleOf(k), scalable: k.subresources.includes('scale') }));

export interface NavSection {
  title: string;
  kinds: KindInfo[];
}

/** Workloads first in this order; any other kind keeps the registry's order after them. */
const WORKLOAD_ORDER = ['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'pods', 'virtualmachines', 'virtualmachineinstances', 'virtualmachineinstancereplicasets', 'horizontalpodautoscalers'];
const NETWORK_GROUPS = ['discovery.k8s.io', 'networking.k8s.io'];
const CONFIG_GROUPS = ['storage.k8s.io'];

/** Which navigation section a kind is listed under. */
export function sectionOf(k: Pick<KindInfo, 'group' | 'plural' | 'namespaced' | 'categories'>): string {
  if (NETWORK_GROUPS.includes(k.group) || (k.group === '' && (k.plural === 'services' || k.plural === 'endpoints'))) return 'Network';
  if (CONFIG_GROUPS.includes(k.group) || (k.group === '' && ['configmaps', 'secrets', 'persistentvolumeclaims', 'persistentvolumes'].includes(k.plural))) return 'Config and storage';
  if (k.namespaced && k.categories.includes('all')) return 'Workloads';
  return 'Cluster';
}

const rank = (k: KindInfo) => {
  const i = WORKLOAD_ORDER.indexOf(k.plural);
  return i < 0 ? WORKLOAD_ORDER.length + KINDS.indexOf(k) : i;
};

export const NAV_SECTIONS: NavSection[] = ['Workloads', 'Network', 'Config and storage', 'Cluster']
  .map((title) => ({ title, kinds: KINDS.filter((k) => sectionOf(k) === title).sort((a, b) => rank(a) - rank(b)) }))
  .filter((s) => s.kinds.length > 0);

/** Namespace placeholder in dashboard URLs of cluster-scoped objects. */
export const CLUSTER_SCOPE = '_';

export function kindByPlural(plural: string): KindInfo | undefined {
  return KINDS.find((k) => k.plural === plural);
}

export function kindByName(kind: string, apiVersion?: string): KindInfo | undefined {
  if (apiVersion === undefined) return KINDS.find((k) => k.kind === kind);
  const { group, version } = parseApiVersion(apiVersion);
  const served = SERVED.find((k) => k.kind === kind && k.group === group && k.version === version);
  if (!served) return undefined;
  const listed = KINDS.find((k) => k.kind === kind && k.group === group);
  // Another served version of a listed kind (autoscaling/v1 HPAs) addresses its own path.
  return listed && { ...listed, version: served.version };
}

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
