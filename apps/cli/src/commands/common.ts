// Helpers most verbs share: which objects the arguments name, which namespace they live
// in, reading -f, and kubectl's "no resources found" and per-object error reporting.
import { ApiError, isNotFound } from '@coxswain/client';
import { UsageError } from '../cli/spec';
import { CommandContext } from '../context';
import { CliError, formatError } from '../errors';
import { Manifest, readAll, readManifests } from '../manifests/read';
import { parseResourceArgs } from '../resources/args';
import { ApiResource, apiVersionOf, kindName } from '../resources/mapper';
import { Obj } from '../types';

/** One type of object to act on: all of them (by selector) or the named ones. */
export interface Target {
  resource: ApiResource;
  names: string[];
  /** From -f: the object as written (for apply-like verbs) and its file. */
  manifests?: Manifest[];
}

/** Resolves `TYPE [NAME…]` / `TYPE/NAME…` / `all` to targets, merging names per type in order. */
export async function targetsFromArgs(ctx: CommandContext, args: string[], command: string): Promise<{ targets: Target[]; named: boolean }> {
  const parsed = parseResourceArgs(args, command);
  const targets: Target[] = [];
  const byKey = new Map<string, Target>();
  for (const ref of parsed.refs) {
    const category = ref.name ? undefined : await ctx.mapper.category(ref.type);
    const resources = category ?? [await ctx.mapper.resolve(ref.type)];
    for (const resource of resources) {
      const key = `${resource.group}/${resource.plural}`;
      let target = byKey.get(key);
      if (!target) {
        target = { resource, names: [] };
        byKey.set(key, target);
        targets.push(target);
      }
      if (ref.name) target.names.push(ref.name);
    }
  }
  return { targets, named: parsed.named };
}

/** Targets from -f manifests, each keeping its manifests. */
export async function targetsFromFiles(ctx: CommandContext): Promise<Target[]> {
  const manifests = await readManifestFlags(ctx);
  const targets: Target[] = [];
  for (const m of manifests) {
    const resource = await ctx.mapper.forKind(m.object.apiVersion, m.object.kind);
    const name = m.object.metadata?.name;
    if (!name) throw new CliError(`error when retrieving current configuration of "${m.source}": resource name may not be empty`);
    targets.push({ resource, names: [name], manifests: [m] });
  }
  return targets;
}

export async function readManifestFlags(ctx: CommandContext): Promise<Manifest[]> {
  const manifests = await readManifests(ctx.strs('filename'), { recursive: ctx.bool('recursive'), cwd: ctx.io.cwd, readStdin: () => readAll(ctx.io.stdin) });
  if (!manifests.length) throw new CliError('no objects passed to ' + (ctx.commandPath[0] ?? 'apply'));
  return manifests;
}

/** Either -f or resource arguments (never both), like kubectl. */
export async function resolveTargets(ctx: CommandContext, args: string[], command: string): Promise<{ targets: Target[]; named: boolean }> {
  if (ctx.strs('filename').length) {
    if (args.length) throw new UsageError(`when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well`, ctx.commandPath);
    return { targets: await targetsFromFiles(ctx), named: true };
  }
  return targetsFromArgs(ctx, args, command);
}

/** The namespace a request for this resource goes to (undefined: cluster-scoped or -A). */
export function requestNamespace(ctx: CommandContext, resource: ApiResource, allNamespaces = false): string | undefined {
  if (!resource.namespaced || allNamespaces) return undefined;
  return ctx.namespace;
}

/** The namespace of an object from a manifest: its own, else -n/context; a conflicting -n is an error. */
export function manifestNamespace(ctx: CommandContext, resource: ApiResource, obj: Obj): string | undefined {
  if (!resource.namespaced) return undefined;
  const own = obj.metadata?.namespace as string | undefined;
  if (own && ctx.namespaceGiven && own !== ctx.str('namespace')) {
    throw new CliError(`the namespace from the provided object "${own}" does not match the namespace "${ctx.str('namespace')}". You must pass '--namespace=${own}' to perform this operation.`);
  }
  return own || ctx.namespace;
}

/** List items come without apiVersion/kind; output needs them. */
export function withTypeMeta(resource: ApiResource, obj: Obj): Obj {
  if (obj.apiVersion && obj.kind) return obj;
  return { apiVersion: apiVersionOf(resource), kind: resource.kind, ...obj };
}

/** `deployment.apps/web` */
export const objectRef = (resource: ApiResource, name: string) => `${kindName(resource)}/${name}`;

/** kubectl's message for an empty result. */
export function noResourcesMessage(ctx: CommandContext, namespaced: boolean, allNamespaces: boolean): string {
  return namespaced && !allNamespaces ? `No resources found in ${ctx.namespace} namespace.\n` : 'No resources found\n';
}

/** Runs `action` per named object, reporting each failure kubectl-style and continuing; returns whether all succeeded. */
export async function eachObject<T>(ctx: CommandContext, items: T[], action: (item: T) => Promise<void>, ignoreNotFound = false): Promise<boolean> {
  let ok = true;
  for (const item of items) {
    try {
      await action(item);
    } catch (error) {
      if (ignoreNotFound && isNotFound(error)) continue;
      if (!(error instanceof ApiError) && !(error instanceof CliError)) throw error;
      ok = false;
      ctx.err(formatError(error));
    }
  }
  return ok;
}

export function selectorOptions(ctx: CommandContext): { labelSelector?: string; fieldSelector?: string } {
  return { labelSelector: ctx.str('selector') || undefined, fieldSelector: ctx.str('field-selector') || undefined };
}

/** Resolves after `ms`, or at once when the command is interrupted. */
export function sleep(ctx: CommandContext, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      ctx.io.signal?.removeEventListener('abort', done);
      resolve();
    }
    ctx.io.signal?.addEventListener('abort', done, { once: true });
  });
}
