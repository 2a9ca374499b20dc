/**
 * Where a kind lives in the REST tree. Mirrors the descriptors in @coxswain/api's RESOURCES;
 * the client only needs these four facts (plus kind for error messages) to build paths.
 */
export interface ResourceDescriptor {
  /** '' for the core group (served under /api/v1). */
  group: string;
  version: string;
  /** Lower-case plural used in URLs, e.g. 'pods'. */
  plural: string;
  namespaced: boolean;
  kind?: string;
}

export interface ObjectPath {
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** `/api/v1` for the core group, `/apis/{group}/{version}` otherwise. */
export function groupVersionPrefix(resource: Pick<ResourceDescriptor, 'group' | 'version'>): string {
  return resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
}

/**
 * Builds the Kubernetes REST path. A namespaced resource without a namespace addresses the
 * cluster-wide collection (list/watch across namespaces); a cluster-scoped resource ignores
 * any namespace so callers can pass obj.metadata.namespace blindly.
 */
export function resourcePath(resource: ResourceDescriptor, where: ObjectPath = {}): string {
  let path = groupVersionPrefix(resource);
  if (resource.namespaced && where.namespace) path += `/namespaces/${encodeURIComponent(where.namespace)}`;
  path += `/${resource.plural}`;
  if (where.name !== undefined) {
    if (where.name === '') throw new Error(`empty name for ${resource.plural}`);
    path += `/${encodeURIComponent(where.name)}`;
    if (where.subresource) path += `/${where.subresource}`;
  } else if (where.subresource) {
    throw new Error(`subresource ${where.subresource} needs an object name`);
  }
  return path;
}

// One copy of the apiVersion helpers: libs/api's.
export { apiVersionOf, parseApiVersion } from '@coxswain/api/browser';
