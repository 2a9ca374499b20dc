// coxctl explain TYPE[.FIELD…]: fetches the OpenAPI document that describes the kind (v3
// for its group-version, else v2) and prints the field's documentation.
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext } from '../context';
import { CliError } from '../errors';
import { findKindSchema, Gvk, renderExplain, SchemaDoc, schemasOf } from '../explain/explain';
import { Obj } from '../types';

async function documentFor(ctx: CommandContext, gvk: Gvk): Promise<{ doc: SchemaDoc; root: Obj } | undefined> {
  const gvPath = gvk.group ? `apis/${gvk.group}/${gvk.version}` : `api/${gvk.version}`;
  try {
    const index = await ctx.client.request<{ paths?: Record<string, { serverRelativeURL?: string }> }>({ method: 'GET', path: '/openapi/v3' });
    const url = index.paths?.[gvPath]?.serverRelativeURL;
    if (url) {
      const [path, query] = url.split('?');
      const doc = schemasOf(await ctx.client.request<Obj>({ method: 'GET', path, query: Object.fromEntries(new URLSearchParams(query ?? '')) }));
      const found = findKindSchema(doc, gvk);
      if (found) return { doc, root: found.schema };
    }
  } catch {
    // fall back to v2
  }
  try {
    const doc = schemasOf(await ctx.client.request<Obj>({ method: 'GET', path: '/openapi/v2' }));
    const found = findKindSchema(doc, gvk);
    if (found) return { doc, root: found.schema };
  } catch {
    return undefined;
  }
  return undefined;
}

export async function runExplain(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  if (parsed.args.length !== 1) throw new UsageError('You must specify the type of resource to explain. Use "coxctl api-resources" for a complete list of supported resources.', ctx.commandPath);
  const [typed, ...path] = parsed.args[0].split('.');
  let resource = await ctx.mapper.resolve(typed);
  // `deployments.apps.spec` style: a group suffix before the field path.
  if (path.length && resource.group && path.slice(0, resource.group.split('.').length).join('.') === resource.group) path.splice(0, resource.group.split('.').length);
  const pinned = ctx.str('api-version');
  if (pinned) {
    const [g, v] = pinned.includes('/') ? pinned.split('/') : ['', pinned];
    resource = { ...resource, group: g, version: v };
  }
  const gvk = { group: resource.group, version: resource.version, kind: resource.kind };
  const found = await documentFor(ctx, gvk);
  if (!found) throw new CliError(`couldn't find resource for "${resource.group ? `${resource.group}/` : ''}${resource.version}, Kind=${resource.kind}" in the server's OpenAPI documents`);
  try {
    ctx.out(renderExplain(found.doc, gvk, found.root, path, ctx.bool('recursive')));
  } catch {
    throw new CliError(`field "${path.join('.')}" does not exist`);
  }
  return 0;
}
