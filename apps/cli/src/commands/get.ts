// coxctl get: list or fetch objects and print them as tables, JSON, YAML, names, jsonpath
// or custom columns; -w keeps printing changes.
import { KubeList, resourcePath } from '@coxswain/client';
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

/**
 * Tables are the server's (kubectl's Accept header, as kubectl asks): columns, priorities for
 * -o wide and cells as the API server prints them. A server that answers plain JSON gets the
 * same printers run here (libs/api), as do watches.
 */
async function attachServerTables(ctx: CommandContext, groups: ObjectGroup[], allNamespaces: boolean): Promise<void> {
  for (const g of groups) {
    const { resource } = g.target;
    if (ctx.flags['server-print'] !== undefined && !ctx.bool('server-print')) continue;
    if (!g.objects.length) continue;
    const names = new Set(g.objects.map((o) => o.metadata?.name));
    const path = resourcePath(resource, { namespace: requestNamespace(ctx, resource, allNamespaces || !!g.target.manifests) });
    const table = await ctx.client.transport
      .request({ method: 'GET', path, query: { ...selectorOptions(ctx), includeObject: 'Object' }, accept: TABLE_ACCEPT })
      .then((res) => JSON.parse(res.text) as Obj)
      .catch(() => undefined);
    if (table?.kind !== 'Table') continue;
    const data = tableFromServer(table);
    // Keep the rows of the objects this command is about (named gets list the collection).
    data.rows = data.rows.filter((r) => names.has(r.object?.metadata?.name ?? r.cells[0]));
    g.serverTable = data;
  }
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

  const { groups, ok } = await fetchGroups(ctx, targets, { allNamespaces, watchOnly: ctx.bool('watch-only') });
  const sortBy = ctx.str('sort-by');
  if (sortBy) for (const g of groups) g.objects = sortObjects(g.objects, sortBy);

  const tableOptions: TableOptions = {
    now: ctx.now(),
    withNamespace: allNamespaces,
    showLabels: ctx.bool('show-labels'),
    labelColumns: ctx.strs('label-columns'),
    noHeaders: ctx.bool('no-headers'),
  };
  const single = named && targets.length === 1 && targets[0].names.length === 1;
  if (format.kind === 'table' && !watch) await attachServerTables(ctx, groups, allNamespaces);
  if (watch) return watchGroup(ctx, format, groups[0] ?? { target: targets[0], objects: [] }, tableOptions, allNamespaces);
  const printed = printGroups(ctx, format, groups, { ...tableOptions, multiKind: targets.length > 1, single });
  if (!printed && ok && !named && format.kind === 'table') {
    ctx.err(noResourcesMessage(ctx, targets.some((t) => t.resource.namespaced), allNamespaces));
  }
  return ok ? 0 : 1;
}

/** Named objects are fetched one by one (errors reported, the rest still printed); the others listed. */
export async function fetchGroups(ctx: CommandContext, targets: Target[], options: { allNamespaces: boolean; watchOnly?: boolean }): Promise<{ groups: ObjectGroup[]; ok: boolean }> {
  const groups: ObjectGroup[] = [];
  let ok = true;
  const selectors = selectorOptions(ctx);
  const chunk = ctx.flags['chunk-size'] === undefined ? 500 : ctx.int('chunk-size');
  for (const target of targets) {
    const { resource } = target;
    if (target.names.length) {
      const objects: Obj[] = [];
      const items = target.names.map((name, i) => ({ name, manifest: target.manifests?.[i] }));
      ok =
        (await eachObject(
          ctx,
          items,
          async ({ name, manifest }) => {
            const namespace = manifest ? manifestNamespace(ctx, resource, manifest.object) : requestNamespace(ctx, resource);
            objects.push(withTypeMeta(resource, await ctx.client.get<Obj>(resource, name, { namespace })));
          },
          ctx.bool('ignore-not-found'),
        )) && ok;
      groups.push({ target, objects });
      continue;
    }
    const listOptions = { namespace: requestNamespace(ctx, resource, options.allNamespaces), ...selectors, signal: ctx.io.signal };
    if (options.watchOnly) {
      const list = await ctx.client.list<Obj>(resource, { ...listOptions, limit: 1 });
      groups.push({ target, objects: [], resourceVersion: list.metadata.resourceVersion });
      continue;
    }
    const list: KubeList<Obj> = chunk > 0 ? await ctx.client.listAll<Obj>(resource, { ...listOptions, pageSize: chunk }) : await ctx.client.list<Obj>(resource, listOptions);
    groups.push({ target, objects: list.items.map((o) => withTypeMeta(resource, o)), resourceVersion: list.metadata.resourceVersion });
  }
  return { groups, ok };
}

export function sortObjects(objects: Obj[], sortBy: string): Obj[] {
  let path: JsonPath;
  try {
    path = new JsonPath(relaxedJsonPath(sortBy));
  } catch (error) {
    throw new CliError(`couldn't parse --sort-by ${sortBy}: ${(error as Error).message}`);
  }
  const keyed = objects.map((o, i) => ({ o, i, v: path.values(o)[0] }));
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
