// What the server offers, grouped by API group and version: the one source that the legacy
// and aggregated discovery documents, and the OpenAPI paths, are all drawn from.
import { createHash } from 'node:crypto';
import { RESOURCES, ResourceInfo } from '@coxswain/api';
import { deepFreeze } from './freeze';

export interface CatalogSubresource {
  /** `status`, `scale`, `log` … */
  name: string;
  /** The kind a request to it answers with; group/version only when they differ from the parent's. */
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

export interface CatalogResource {
  plural: string;
  /** '' for aggregated APIs that, like metrics-server, do not name one. */
  singular: string;
  kind: string;
  listKind?: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  storageVersionHash?: string;
  subresources: CatalogSubresource[];
  /** The registry entry, absent for resources served outside the registry (metrics). */
  info?: ResourceInfo;
}

export interface CatalogGroupVersion {
  /** '' for the core group. */
  group: string;
  version: string;
  resources: CatalogResource[];
}

const READ_WRITE = ['get', 'patch', 'update'];

/** Go's sort.Strings order (by code unit), not the locale's. */
export const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** How Kubernetes and KubeVirt shape each subresource we serve. */
const SUBRESOURCE_SHAPES: Record<string, (parent: ResourceInfo) => Omit<CatalogSubresource, 'name'>> = {
  status: (p) => ({ kind: p.kind, verbs: READ_WRITE }),
  approval: (p) => ({ kind: p.kind, verbs: READ_WRITE }),
  scale: () => ({ group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: READ_WRITE }),
  binding: () => ({ kind: 'Binding', verbs: ['create'] }),
  eviction: () => ({ group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] }),
  log: () => ({ kind: 'Pod', verbs: ['get'] }),
  exec: () => ({ kind: 'PodExecOptions', verbs: ['create', 'get'] }),
  finalize: (p) => ({ kind: p.kind, verbs: ['update'] }),
  console: (p) => ({ kind: p.kind, verbs: ['get'] }),
  start: (p) => ({ kind: p.kind, verbs: ['update'] }),
  stop: (p) => ({ kind: p.kind, verbs: ['update'] }),
  restart: (p) => ({ kind: p.kind, verbs: ['update'] }),
};

export function knownSubresource(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(SUBRESOURCE_SHAPES, name);
}

/** Kubernetes' discovery.StorageVersionHash: base64 of the first 8 bytes of sha256("group/version/Kind"). */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

function fromRegistry(info: ResourceInfo): CatalogResource {
  const subresources = info.subresources
    .filter(knownSubresource)
    .map((name) => ({ name, ...SUBRESOURCE_SHAPES[name](info) }))
    .sort((a, b) => byteOrder(a.name, b.name));
  return {
    plural: info.plural,
    singular: info.singular,
    kind: info.kind,
    listKind: info.listKind,
    namespaced: info.namespaced,
    verbs: [...info.verbs],
    shortNames: [...info.shortNames],
    categories: [...info.categories],
    storageVersionHash: storageVersionHash(info.group, info.version, info.kind),
    subresources,
    info,
  };
}

/** metrics.k8s.io/v1beta1 as metrics-server announces it (read-only, no singular names). */
const METRICS: CatalogGroupVersion = {
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  resources: [
    { plural: 'nodes', singular: '', kind: 'NodeMetrics', listKind: 'NodeMetricsList', namespaced: false, verbs: ['get', 'list'], shortNames: [], categories: [], subresources: [] },
    { plural: 'pods', singular: '', kind: 'PodMetrics', listKind: 'PodMetricsList', namespaced: true, verbs: ['get', 'list'], shortNames: [], categories: [], subresources: [] },
  ],
};

let cached: CatalogGroupVersion[] | undefined;

/** Every group/version served: core first, then groups in registry order, metrics last. */
export function catalog(): readonly CatalogGroupVersion[] {
  if (cached) return cached;
  const byGv = new Map<string, CatalogGroupVersion>();
  for (const info of RESOURCES) {
    const key = `${info.group}/${info.version}`;
    if (!byGv.has(key)) byGv.set(key, { group: info.group, version: info.version, resources: [] });
    byGv.get(key)!.resources.push(fromRegistry(info));
  }
  const list = [...byGv.values()].sort((a, b) => Number(a.group !== '') - Number(b.group !== ''));
  for (const gv of list) gv.resources.sort((a, b) => byteOrder(a.plural, b.plural));
  // The registry entries stay unfrozen: they belong to libs/api.
  cached = [...list, METRICS].map((gv) => deepFreeze({ ...gv, resources: gv.resources.map(({ info, ...rest }) => Object.freeze({ ...deepFreeze(rest), info })) }));
  return Object.freeze(cached);
}

export function findGroupVersion(group: string, version: string): CatalogGroupVersion | undefined {
  return catalog().find((gv) => gv.group === group && gv.version === version);
}

export function groupVersionString(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** Named groups (not core) in the order they are announced, each with its versions. */
export function namedGroups(): Array<{ name: string; versions: string[] }> {
  const groups: Array<{ name: string; versions: string[] }> = [];
  for (const gv of catalog()) {
    if (gv.group === '') continue;
    const existing = groups.find((g) => g.name === gv.group);
    if (existing) existing.versions.push(gv.version);
    else groups.push({ name: gv.group, versions: [gv.version] });
  }
  return groups;
}
