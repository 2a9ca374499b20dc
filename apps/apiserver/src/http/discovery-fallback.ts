// Interim discovery until src/discovery lands; replaced by it.
import { apiVersionOf, KubeObject, RESOURCES } from '@coxswain/api';

export const versionInfo = () => ({ major: '1', minor: '30', gitVersion: 'v1.30.0-coxswain', gitCommit: 'unknown', gitTreeState: 'clean', buildDate: '2026-11-26T00:00:00Z', goVersion: 'node', compiler: 'tsc', platform: 'linux/amd64' });
export const apiVersions = () => ({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
export function apiGroupList() {
  const groups = [...new Set(RESOURCES.filter((r) => r.group).map((r) => apiVersionOf(r)))].map((gv) => {
    const [name, version] = gv.split('/');
    return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}
export function apiResourceList(group: string, version: string) {
  const list = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (!list.length) return undefined;
  const resources = list.flatMap((r) => [
    { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs, shortNames: r.shortNames, categories: r.categories },
    ...r.subresources.map((s) => ({ name: `${r.plural}/${s}`, singularName: '', namespaced: r.namespaced, kind: s === 'scale' ? 'Scale' : r.kind, verbs: ['get', 'patch', 'update', 'create'] })),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
export const negotiateDiscovery = (_accept: string | undefined) => ({ aggregated: false, version: 'v2' as const, contentType: 'application/json' });
export const aggregatedDiscovery = (_kind: 'api' | 'apis', _version: 'v2' | 'v2beta1') => undefined;
export const openApiV2 = () => ({ swagger: '2.0', info: { title: 'Coxswain', version: 'v1.30.0' }, paths: {}, definitions: {} });
export const openApiV3Index = () => ({ paths: {} });
export const openApiV3Doc = (_path: string) => undefined;
export function toTable(kind: string, objects: KubeObject[], options: { now: Date; listMeta?: Record<string, unknown> }) {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: options.listMeta ?? {},
    columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', description: 'Name', priority: 0 }, { name: 'Age', type: 'string', format: '', description: 'Age', priority: 0 }],
    rows: objects.map((o) => ({ cells: [o.metadata.name, o.metadata.creationTimestamp ?? ''], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata } })),
  };
}
