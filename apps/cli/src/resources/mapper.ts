// Turns what users type (`po`, `deploy`, `deployments.apps`, `vmi`, `all`) and what
// manifests say (apiVersion + kind) into REST resources. Coxswain's own kinds resolve
// offline from @coxswain/api; anything else asks the server's discovery documents.
import { RESOURCES } from '@coxswain/api';
import { KubeClient } from '@coxswain/client';

export interface ApiResource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: string[];
}

export class ResourceTypeError extends Error {
  override readonly name = 'ResourceTypeError';
}

const BUILTIN: ApiResource[] = RESOURCES.map((r) => ({
  group: r.group,
  version: r.version,
  kind: r.kind,
  plural: r.plural,
  singular: r.singular,
  namespaced: r.namespaced,
  shortNames: [...r.shortNames],
  categories: [...r.categories],
  verbs: [...r.verbs],
  subresources: [...r.subresources],
}));

/** `pods`, `deployments.apps`: how Kubernetes names a resource in messages. */
export const qualifiedName = (r: Pick<ApiResource, 'group' | 'plural'>) => (r.group ? `${r.plural}.${r.group}` : r.plural);
/** `pod`, `deployment.apps`: the prefix of `-o name` and of apply/delete messages. */
export const kindName = (r: Pick<ApiResource, 'group' | 'kind'>) => (r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase());
export const apiVersionOf = (r: Pick<ApiResource, 'group' | 'version'>) => (r.group ? `${r.group}/${r.version}` : r.version);

/** Matches a typed name against a resource list: plural, singular, kind or short name, with an optional `.group` or `.version.group`. */
export function matchResource(list: ApiResource[], typed: string): ApiResource | undefined {
  const lower = typed.toLowerCase();
  const [head, ...rest] = lower.split('.');
  const candidates = list.filter((r) => r.plural === head || r.singular === head || r.kind.toLowerCase() === head || r.shortNames.includes(head));
  if (!rest.length) return candidates[0];
  const suffix = rest.join('.');
  return candidates.find((r) => r.group === suffix || `${r.version}.${r.group}` === suffix || (r.group === '' && r.version === suffix));
}

export class ResourceMapper {
  private discovered?: Promise<ApiResource[]>;

  constructor(private readonly client: () => KubeClient) {}

  /** Coxswain's kinds without asking the server. */
  static builtin(): ApiResource[] {
    return BUILTIN;
  }

  /** The built-in resource of a kind (`Pod`); an unknown kind is a programming error. */
  static builtinKind(kind: string): ApiResource {
    const resource = BUILTIN.find((r) => r.kind === kind);
    if (!resource) throw new Error(`no built-in resource of kind ${kind}`);
    return resource;
  }

  async resolve(typed: string): Promise<ApiResource> {
    const local = matchResource(BUILTIN, typed);
    if (local) return local;
    const remote = matchResource(await this.discover().catch(() => []), typed);
    if (remote) return remote;
    throw new ResourceTypeError(`the server doesn't have a resource type "${typed.split('.')[0]}"`);
  }

  /** The resources of a category such as `all`, or undefined when the name is not a category. */
  async category(name: string): Promise<ApiResource[] | undefined> {
    const local = BUILTIN.filter((r) => r.categories.includes(name));
    if (local.length) return local;
    if (matchResource(BUILTIN, name)) return undefined;
    const remote = (await this.discover().catch(() => [])).filter((r) => r.categories.includes(name));
    return remote.length ? remote : undefined;
  }

  async forKind(apiVersion: string, kind: string): Promise<ApiResource> {
    const pick = (list: ApiResource[]) => list.find((r) => r.kind === kind && apiVersionOf(r) === apiVersion);
    const found = pick(BUILTIN) ?? pick(await this.discover().catch(() => []));
    if (found) return found;
    throw new ResourceTypeError(`resource mapping not found for name: "" namespace: "" from "": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`);
  }

  /** Every resource the server lists in discovery (subresources folded into their parent). */
  discover(): Promise<ApiResource[]> {
    this.discovered ??= discoverAll(this.client());
    return this.discovered;
  }
}

interface DiscoveryResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

async function discoverAll(client: KubeClient): Promise<ApiResource[]> {
  const [core, groups] = await Promise.all([
    client.request<{ versions?: string[] }>({ method: 'GET', path: '/api' }),
    client.request<{ groups?: Array<{ name: string; preferredVersion?: { version: string }; versions: Array<{ version: string }> }> }>({ method: 'GET', path: '/apis' }),
  ]);
  const targets: Array<{ group: string; version: string; path: string }> = [];
  for (const v of core.versions ?? []) targets.push({ group: '', version: v, path: `/api/${v}` });
  for (const g of groups.groups ?? []) {
    const version = g.preferredVersion?.version ?? g.versions[0]?.version;
    if (version) targets.push({ group: g.name, version, path: `/apis/${g.name}/${version}` });
  }
  const lists = await Promise.all(
    targets.map(async (t) => {
      const list = await client.request<{ resources?: DiscoveryResource[] }>({ method: 'GET', path: t.path }).catch(() => ({ resources: [] }));
      return fromDiscovery(t.group, t.version, list.resources ?? []);
    }),
  );
  return lists.flat();
}

/** One APIResourceList → resources, with `pods/log`-style entries attached as subresources. */
export function fromDiscovery(group: string, version: string, resources: DiscoveryResource[]): ApiResource[] {
  const out: ApiResource[] = [];
  for (const r of resources) {
    if (r.name.includes('/')) continue;
    out.push({
      group,
      version,
      kind: r.kind,
      plural: r.name,
      singular: r.singularName || r.kind.toLowerCase(),
      namespaced: r.namespaced,
      shortNames: r.shortNames ?? [],
      categories: r.categories ?? [],
      verbs: r.verbs ?? [],
      subresources: resources.filter((s) => s.name.startsWith(`${r.name}/`)).map((s) => s.name.slice(r.name.length + 1)),
    });
  }
  return out;
}
