// coxctl get: list or fetch objects and print them as tables, JSON, YAML, names, jsonpath
// or custom columns; -w keeps printing changes.
import { isGone, Query, resourcePath } from '@coxswain/client';
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext } from '../context';
import { CliError } from '../errors';
import { JsonPath, relaxedJsonPath } from '../printers/jsonpath';
import { asList, customColumnRows, OutputFormat, parseOutputFormat, toJson, toYaml } from '../printers/output';
import { decorateTable, TableData, tableForObjects, tableFromServer, TableOptions } from '../printers/table';
import { TABLE_WRITER, TabWriter } from '../printers/tabwriter';
import { kindName } from '../resources/mapper';
import { Obj } from '../types';
import { eachObject, manifestNamespace, noResourcesMessage, requestNamespace, resolveTargets, selectorOptions, Target, withTypeMeta } from './common';

/** kubectl's Accept for `get`: a meta.k8s.io Table, plain JSON from servers without one. */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

export interface ObjectGroup {
  target: Target;
  objects: Obj[];
  resourceVersion?: string;
  /** Columns the server computed (meta.k8s.io Table). */
  serverTable?: TableData;
}

export async function runGet(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const format = parseOutputFormat(ctx.str('output'));
  const allNamespaces = ctx.bool('all-namespaces');
  const watch = ctx.bool('watch') || ctx.bool('watch-only');
  const { targets, named } = await resolveTargets(ctx, parsed.args, 'get');
  const selectors = selectorOptions(ctx);
  if (named && selectors.labelSelector && !ctx.strs('filename').length) throw new UsageError('name cannot be provided when a selector is specified', ctx.commandPath);
  if (named && allNamespaces && !ctx.strs('filename').length) throw new UsageError('a resource cannot be retrieved by name across all namespaces', ctx.commandPath);
  if (watch && targets.length !== 1) throw new CliError(`watch is only supported on individual resources and resource collections, but ${targets.length} resources were found`);

  const table = format.kind === 'table' && !watch && ctx.bool('server-print');
  const { groups, ok } = await fetchGroups(ctx, targets, { allNamespaces, watchOnly: ctx.bool('watch-only'), table });
  const sortBy = ctx.str('sort-by');
  if (sortBy) {
    for (const g of groups) {
      g.objects = sortObjects(g.objects, sortBy);
      if (g.serverTable) g.serverTable.rows = sortItems(g.serverTable.rows, sortBy, (r) => r.object);
    }
  }

  const tableOptions: TableOptions = {
    now: ctx.now(),
    withNamespace: allNamespaces,
    showLabels: ctx.bool('show-labels'),
    labelColumns: ctx.strs('label-columns'),
    noHeaders: ctx.bool('no-headers'),
  };
  const single = named && targets.length === 1 && targets[0].names.length === 1;
  if (watch) return watchGroup(ctx, format, groups[0] ?? { target: targets[0], objects: [] }, tableOptions, allNamespaces);
  const printed = printGroups(ctx, format, groups, { ...tableOptions, multiKind: targets.length > 1, single });
  if (!printed && ok && !named && format.kind === 'table') {
    ctx.err(noResourcesMessage(ctx, targets.some((t) => t.resource.namespaced), allNamespaces));
  }
  return ok ? 0 : 1;
}

export interface FetchOptions {
  allNamespaces: boolean;
  watchOnly?: boolean;
  /**
   * Ask for the server's Table, as kubectl's `get` does: one request per named object or list
   * page, the objects riding in its rows (includeObject=Object). A server that cannot print
   * Tables answers plain JSON to the same request, which is used as it is.
   */
  table?: boolean;
}

/** Named objects are fetched one by one (errors reported, the rest still printed); the others listed. */
export async function fetchGroups(ctx: CommandContext, targets: Target[], options: FetchOptions): Promise<{ groups: ObjectGroup[]; ok: boolean }> {
  const groups: ObjectGroup[] = [];
  let ok = true;
  const selectors = selectorOptions(ctx);
  const chunk = ctx.flags['chunk-size'] === undefined ? 500 : ctx.int('chunk-size');
  const table = !!options.table && !options.watchOnly;
  for (const target of targets) {
    const { resource } = target;
    const group: ObjectGroup = { target, objects: [] };
    groups.push(group);
    if (target.names.length) {
      const items = target.names.map((name, i) => ({ name, manifest: target.manifests?.[i] }));
      ok =
        (await eachObject(
          ctx,
          items,
          async ({ name, manifest }) => {
            const namespace = manifest ? manifestNamespace(ctx, resource, manifest.object) : requestNamespace(ctx, resource);
            addAnswer(group, await fetchBody(ctx, resource, { namespace, name }, {}, table));
          },
          ctx.bool('ignore-not-found'),
        )) && ok;
      continue;
    }
    const namespace = requestNamespace(ctx, resource, options.allNamespaces);
    if (options.watchOnly) {
      const list = await ctx.client.list<Obj>(resource, { namespace, ...selectors, limit: 1, signal: ctx.io.signal });
      group.resourceVersion = list.metadata.resourceVersion;
      continue;
    }
    await listPages(ctx, resource, namespace, { ...selectors, limit: chunk > 0 ? chunk : undefined }, table, (page) => addAnswer(group, page));
  }
  return { groups, ok };
}

/** One GET of an object or a list page, as a Table when asked for (the server may answer plain JSON). */
function fetchBody(ctx: CommandContext, resource: Target['resource'], where: { namespace?: string; name?: string }, query: Query, table: boolean): Promise<Obj> {
  return ctx.client.request<Obj>({
    method: 'GET',
    path: resourcePath(resource, where),
    query: table ? { ...query, includeObject: 'Object' } : query,
    accept: table ? TABLE_ACCEPT : undefined,
    signal: ctx.io.signal,
  });
}

/** Follows continue tokens; an expired one (410) starts over with one unpaged request, as listAll does. */
async function listPages(ctx: CommandContext, resource: Target['resource'], namespace: string | undefined, query: Query, table: boolean, onPage: (page: Obj) => void): Promise<void> {
  const pages: Obj[] = [await fetchBody(ctx, resource, { namespace }, query, table)];
  let token = pages[0].metadata?.continue as string | undefined;
  while (token) {
    try {
      pages.push(await fetchBody(ctx, resource, { namespace }, { ...query, continue: token }, table));
    } catch (error) {
      if (!isGone(error)) throw error;
      pages.splice(0, pages.length, await fetchBody(ctx, resource, { namespace }, { ...query, limit: undefined }, table));
      break;
    }
    token = pages[pages.length - 1].metadata?.continue as string | undefined;
  }
  pages.forEach(onPage);
}

/** Adds an answer (a Table, a list or one object) to the group: rows, objects and the first page's version. */
function addAnswer(group: ObjectGroup, body: Obj): void {
  const { resource } = group.target;
  group.resourceVersion ??= body.metadata?.resourceVersion;
  if (body.kind !== 'Table') {
    const objects = Array.isArray(body.items) ? (body.items as Obj[]) : [body];
    group.objects.push(...objects.map((o) => withTypeMeta(resource, o)));
    return;
  }
  const data = tableFromServer(body);
  for (const row of data.rows) row.object = withTypeMeta(resource, row.object);
  if (group.serverTable) group.serverTable.rows.push(...data.rows);
  else group.serverTable = data;
  group.objects.push(...data.rows.map((r) => r.object));
}

export function sortObjects(objects: Obj[], sortBy: string): Obj[] {
  return sortItems(objects, sortBy, (o) => o);
}

/** Stable sort by a --sort-by JSONPath over each item's object (objects, or a Table's rows). */
function sortItems<T>(items: T[], sortBy: string, objectOf: (item: T) => Obj): T[] {
  let path: JsonPath;
  try {
    path = new JsonPath(relaxedJsonPath(sortBy));
  } catch (error) {
    throw new CliError(`couldn't parse --sort-by ${sortBy}: ${(error as Error).message}`);
  }
  const keyed = items.map((o, i) => ({ o, i, v: path.values(objectOf(o))[0] }));
  keyed.sort((a, b) => compareValues(a.v, b.v) || a.i - b.i);
  return keyed.map((k) => k.o);
}

function compareValues(a: unknown, b: unknown): number {
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [sa, sb] = [typeof a === 'object' ? JSON.stringify(a) : String(a), typeof b === 'object' ? JSON.stringify(b) : String(b)];
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Prints every group in the chosen format; returns whether any object was printed. */
export function printGroups(ctx: CommandContext, format: OutputFormat, groups: ObjectGroup[], options: TableOptions & { multiKind: boolean; single: boolean }): boolean {
  const objects = groups.flatMap((g) => g.objects);
  switch (format.kind) {
    case 'table': {
      const sections: string[] = [];
      for (const g of groups) {
        if (!g.objects.length) continue;
        const data = g.serverTable ?? tableForObjects(g.target.resource.kind, g.objects, options.now);
        const rows = decorateTable(data, { ...options, wide: format.wide, kindPrefix: options.multiKind ? kindName(g.target.resource) : undefined });
        const w = new TabWriter(TABLE_WRITER);
        for (const row of rows) w.write(`${row.join('\t')}\n`);
        sections.push(w.flush());
      }
      ctx.out(sections.join('\n'));
      return sections.length > 0;
    }
    case 'name':
      for (const g of groups) for (const o of g.objects) ctx.out(`${kindName(g.target.resource)}/${o.metadata?.name}\n`);
      return objects.length > 0;
    case 'json':
      ctx.out(toJson(options.single && objects.length === 1 ? objects[0] : asList(objects)));
      return true;
    case 'yaml':
      ctx.out(toYaml(options.single && objects.length === 1 ? objects[0] : asList(objects)));
      return true;
    case 'jsonpath': {
      const data = options.single && objects.length === 1 ? objects[0] : asList(objects);
      ctx.out(format.asJson ? toJson(format.path.values(data)) : format.path.execute(data));
      return true;
    }
    case 'custom-columns':
      ctx.out(customColumnRows(format.columns, objects, !!options.noHeaders));
      return objects.length > 0;
  }
}

async function watchGroup(ctx: CommandContext, format: OutputFormat, group: ObjectGroup, options: TableOptions, allNamespaces: boolean): Promise<number> {
  const { resource } = group.target;
  const showEvents = ctx.bool('output-watch-events');
  const writer = new TabWriter(TABLE_WRITER);
  let headerDone = false;
  let yamlCount = 0;
  const emit = (obj: Obj, event?: string) => {
    switch (format.kind) {
      case 'table': {
        const data = tableForObjects(resource.kind, [obj], ctx.now());
        const rows = decorateTable(data, { ...options, wide: format.wide, noHeaders: options.noHeaders });
        const [header, row] = options.noHeaders ? [undefined, rows[0]] : rows;
        if (header && !headerDone) writer.write(`${showEvents ? 'EVENT\t' : ''}${header.join('\t')}\n`);
        headerDone = true;
        writer.write(`${showEvents ? `${event ?? 'ADDED'}\t` : ''}${row.join('\t')}\n`);
        ctx.out(writer.flush());
        return;
      }
      case 'name':
        ctx.out(`${showEvents ? `${event ?? 'ADDED'} ` : ''}${kindName(resource)}/${obj.metadata?.name}\n`);
        return;
      case 'json':
        ctx.out(toJson(showEvents ? { type: event ?? 'ADDED', object: obj } : obj));
        return;
      case 'yaml':
        ctx.out(`${yamlCount++ ? '---\n' : ''}${toYaml(showEvents ? { type: event ?? 'ADDED', object: obj } : obj)}`);
        return;
      case 'jsonpath':
        ctx.out(format.path.execute(obj));
        return;
      case 'custom-columns':
        ctx.out(customColumnRows(format.columns, [obj], headerDone || !!options.noHeaders));
        headerDone = true;
        return;
    }
  };
  for (const obj of group.objects) emit(obj);
  if (!group.objects.length && !ctx.bool('watch-only') && format.kind === 'table') ctx.err(noResourcesMessage(ctx, resource.namespaced, allNamespaces));

  const names = group.target.names;
  const fieldSelector = names.length === 1 ? `metadata.name=${names[0]}` : selectorOptions(ctx).fieldSelector;
  const namespace = requestNamespace(ctx, resource, allNamespaces);
  let resourceVersion = group.resourceVersion;
  if (names.length) {
    // Named gets carry no list version: start from the collection's current one.
    resourceVersion = (await ctx.client.list(resource, { namespace, fieldSelector, limit: 1 })).metadata.resourceVersion;
  }
  const signal = ctx.io.signal;
  // The server ends watches now and then (timeouts); resume from the last version seen.
  while (!signal?.aborted) {
    try {
      const stream = await ctx.client.watch<Obj>(resource, { namespace, labelSelector: selectorOptions(ctx).labelSelector, fieldSelector, resourceVersion, signal });
      for await (const ev of stream) {
        resourceVersion = ev.object.metadata?.resourceVersion ?? resourceVersion;
        if (ev.type === 'BOOKMARK') continue;
        if (names.length > 1 && !names.includes(ev.object.metadata?.name)) continue;
        emit(withTypeMeta(resource, ev.object), ev.type);
      }
    } catch (error) {
      if (signal?.aborted) break; // Ctrl-C while (re)connecting
      throw error;
    }
  }
  return 0;
}
