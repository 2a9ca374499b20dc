// Aggregated discovery (apidiscovery.k8s.io v2 and v2beta1): every group, version and
// resource in one document, which kubectl ≥ 1.26 asks for on /api and /apis so it need not
// fetch each group/version separately.
import { acceptsPlainJson, isJsonRange, parseAccept } from './accept';
import { byteOrder, catalog, CatalogGroupVersion, CatalogResource } from './catalog';
import { deepFreeze } from './freeze';

export type DiscoveryVersion = 'v2' | 'v2beta1';

export interface GroupVersionKindRef {
  group: string;
  version: string;
  kind: string;
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKindRef;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKindRef;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: 'Current' | 'Stale';
}

export interface APIGroupDiscovery {
  metadata: { name?: string; creationTimestamp: null };
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: `apidiscovery.k8s.io/${DiscoveryVersion}`;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

function resourceEntry(r: CatalogResource): APIResourceDiscovery {
  // responseKind group/version stay empty when they are the containing group/version's.
  const entry: APIResourceDiscovery = {
    resource: r.plural,
    responseKind: { group: '', version: '', kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: [...r.verbs],
  };
  if (r.shortNames.length) entry.shortNames = [...r.shortNames];
  if (r.categories.length) entry.categories = [...r.categories];
  if (r.subresources.length) {
    entry.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? '', version: s.version ?? '', kind: s.kind },
      verbs: [...s.verbs],
    }));
  }
  return entry;
}

function versionEntry(gv: CatalogGroupVersion): APIVersionDiscovery {
  const resources = [...gv.resources].sort((a, b) => byteOrder(a.plural, b.plural)).map(resourceEntry);
  return { version: gv.version, resources, freshness: 'Current' };
}

const memo = new Map<string, APIGroupDiscoveryList>();

/** The document for `/api` (core group only) or `/apis` (every named group). Memoised and frozen. */
export function aggregatedDiscovery(kind: 'api' | 'apis', version: DiscoveryVersion): APIGroupDiscoveryList {
  const key = `${kind}/${version}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const items: APIGroupDiscovery[] = [];
  for (const gv of catalog()) {
    if ((gv.group === '') !== (kind === 'api')) continue;
    let item = items.find((i) => (i.metadata.name ?? '') === gv.group);
    if (!item) {
      item = { metadata: gv.group === '' ? { creationTimestamp: null } : { name: gv.group, creationTimestamp: null }, versions: [] };
      items.push(item);
    }
    item.versions.push(versionEntry(gv));
  }
  const doc: APIGroupDiscoveryList = { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
  memo.set(key, deepFreeze(doc));
  return doc;
}

export type DiscoveryNegotiation =
  | { format: 'aggregated'; aggregated: true; version: DiscoveryVersion; contentType: string }
  | { format: 'legacy'; aggregated: false; contentType: 'application/json' };

/**
 * Which discovery document to send for an Accept header, and the Content-Type to send it
 * with. client-go checks that an aggregated answer's Content-Type carries the same g/v/as
 * parameters it asked for. Undefined when nothing acceptable (answer 406). Responses
 * should carry `Vary: Accept`.
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryNegotiation | undefined {
  for (const range of parseAccept(accept)) {
    const { g, v, as } = range.params;
    if (isJsonRange(range) && g === 'apidiscovery.k8s.io' && as === 'APIGroupDiscoveryList' && (v === 'v2' || v === 'v2beta1')) {
      return { format: 'aggregated', aggregated: true, version: v, contentType: `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList` };
    }
    if (acceptsPlainJson(range)) return { format: 'legacy', aggregated: false, contentType: 'application/json' };
  }
  return undefined;
}
