// The unaggregated discovery documents: /api, /apis, /apis/<group> and /api(s)/<gv>, with the
// exact field sets and orders kubectl and client libraries have read for years.
import { byteOrder, catalog, CatalogGroupVersion, findGroupVersion, groupVersionString, namedGroups } from './catalog';

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface APIGroup {
  kind?: 'APIGroup';
  apiVersion?: 'v1';
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}

export interface ServerAddressByClientCIDR {
  clientCIDR: string;
  serverAddress: string;
}

export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: ServerAddressByClientCIDR[];
}

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

export interface APIResourceList {
  kind: 'APIResourceList';
  apiVersion?: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

/** `/api`. Pass the address clients should use to get it echoed like kube-apiserver does. */
export function apiVersions(serverAddress?: string): APIVersions {
  const versions = catalog()
    .filter((gv) => gv.group === '')
    .map((gv) => gv.version);
  return {
    kind: 'APIVersions',
    versions,
    serverAddressByClientCIDRs: serverAddress ? [{ clientCIDR: '0.0.0.0/0', serverAddress }] : [],
  };
}

function groupEntry(name: string, versions: string[]): APIGroup {
  const list = versions.map((version) => ({ groupVersion: groupVersionString(name, version), version }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** `/apis`. */
export function apiGroupList(): APIGroupList {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: namedGroups().map((g) => groupEntry(g.name, g.versions)) };
}

/** `/apis/<group>`; undefined for a group we do not serve. */
export function apiGroup(name: string): APIGroup | undefined {
  const group = namedGroups().find((g) => g.name === name);
  return group ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group.name, group.versions) } : undefined;
}

/** Each resource, then each of its subresources as `<plural>/<sub>`, sorted by name like Kubernetes. */
export function flattenResources(gv: CatalogGroupVersion): APIResource[] {
  const out: APIResource[] = [];
  for (const r of gv.resources) {
    // Field order follows Kubernetes' JSON.
    const top: APIResource = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: [...r.verbs] };
    if (r.shortNames.length) top.shortNames = [...r.shortNames];
    if (r.categories.length) top.categories = [...r.categories];
    if (r.storageVersionHash) top.storageVersionHash = r.storageVersionHash;
    out.push(top);
    for (const sub of r.subresources) {
      // group/version only where the subresource answers with another group's kind (Scale, Eviction).
      const other = sub.group !== undefined ? { group: sub.group, version: sub.version ?? '' } : {};
      out.push({ name: `${r.plural}/${sub.name}`, singularName: '', namespaced: r.namespaced, ...other, kind: sub.kind, verbs: [...sub.verbs] });
    }
  }
  return out.sort((a, b) => byteOrder(a.name, b.name));
}

/** `/api/v1` or `/apis/<group>/<version>`; undefined for a group/version we do not serve. */
export function apiResourceList(group: string, version: string): APIResourceList | undefined {
  const gv = findGroupVersion(group, version);
  if (!gv) return undefined;
  // The core list has no apiVersion in kube-apiserver's answer; named groups do.
  const head = group === '' ? { kind: 'APIResourceList' as const } : { kind: 'APIResourceList' as const, apiVersion: 'v1' as const };
  return { ...head, groupVersion: groupVersionString(group, version), resources: flattenResources(gv) };
}
