// coxctl api-resources, api-versions and version: what the server serves.
import { ParsedArgs } from '../cli/spec';
import { CLI_VERSION, CommandContext } from '../context';
import { toJson, toYaml } from '../printers/output';
import { formatColumns } from '../printers/tabwriter';
import { ApiResource, apiVersionOf, qualifiedName } from '../resources/mapper';

export interface ApiResourceFilter {
  namespaced?: boolean;
  group?: string;
  verbs?: string[];
  sortBy?: 'name' | 'kind' | '';
}

/** kubectl's api-resources: filtered, stably sorted by group (or name/kind), rows per -o. */
export function apiResourceRows(resources: ApiResource[], filter: ApiResourceFilter, output: string, noHeaders: boolean): string {
  let list = resources.filter(
    (r) =>
      r.verbs.length > 0 &&
      (filter.namespaced === undefined || r.namespaced === filter.namespaced) &&
      (filter.group === undefined || r.group === filter.group) &&
      (filter.verbs ?? []).every((v) => r.verbs.includes(v)),
  );
  const key = (r: ApiResource) => (filter.sortBy === 'name' ? r.plural : filter.sortBy === 'kind' ? r.kind : r.group);
  list = list.map((r, i) => ({ r, i })).sort((a, b) => (key(a.r) < key(b.r) ? -1 : key(a.r) > key(b.r) ? 1 : a.i - b.i)).map((x) => x.r);
  if (output === 'name') return list.map((r) => `${qualifiedName(r)}\n`).join('');
  const wide = output === 'wide';
  const header = ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])];
  const rows = list.map((r) => [r.plural, r.shortNames.join(','), apiVersionOf(r), String(r.namespaced), r.kind, ...(wide ? [r.verbs.join(','), r.categories.join(',')] : [])]);
  return formatColumns(noHeaders ? rows : [header, ...rows]);
}

export async function runApiResources(ctx: CommandContext): Promise<number> {
  const resources = await ctx.mapper.discover();
  const namespaced = ctx.str('namespaced');
  ctx.out(
    apiResourceRows(
      resources,
      {
        namespaced: namespaced === '' ? undefined : namespaced === 'true',
        group: ctx.given('api-group') ? ctx.str('api-group') : undefined,
        verbs: ctx.strs('verbs'),
        sortBy: ctx.str('sort-by') as ApiResourceFilter['sortBy'],
      },
      ctx.str('output'),
      ctx.bool('no-headers'),
    ),
  );
  return 0;
}

export async function runApiVersions(ctx: CommandContext): Promise<number> {
  const core = await ctx.client.request<{ versions?: string[] }>({ method: 'GET', path: '/api' });
  const groups = await ctx.client.request<{ groups?: Array<{ versions: Array<{ groupVersion: string }> }> }>({ method: 'GET', path: '/apis' });
  const all = [...(core.versions ?? []), ...(groups.groups ?? []).flatMap((g) => g.versions.map((v) => v.groupVersion))].sort();
  ctx.out(all.map((v) => `${v}\n`).join(''));
  return 0;
}

export const CLIENT_VERSION_INFO = { major: '0', minor: '1', gitVersion: `v${CLI_VERSION}`, platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}` };

export async function runVersion(ctx: CommandContext, _parsed: ParsedArgs): Promise<number> {
  const out: Record<string, unknown> = { clientVersion: CLIENT_VERSION_INFO };
  let serverError: unknown;
  if (!ctx.bool('client')) {
    try {
      out.serverVersion = await ctx.client.request({ method: 'GET', path: '/version' });
    } catch (error) {
      serverError = error;
    }
  }
  const format = ctx.str('output');
  if (format === 'json') ctx.out(toJson(out));
  else if (format === 'yaml') ctx.out(toYaml(out));
  else {
    ctx.out(`Client Version: ${CLIENT_VERSION_INFO.gitVersion}\n`);
    const server = out.serverVersion as { gitVersion?: string } | undefined;
    if (server) ctx.out(`Server Version: ${server.gitVersion}\n`);
  }
  if (serverError) throw serverError;
  return 0;
}
