// coxctl apply / create: create-or-update from manifests (client-side three-way merge with
// the last-applied annotation, or server-side apply), and kubectl's create generators.
import { ApiError, isNotFound } from '@coxswain/client';
import { RESOURCES } from '@coxswain/api';
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext } from '../context';
import { CliError, formatError, withSource } from '../errors';
import { lastApplied, threeWayPatch, withLastApplied } from '../apply/three-way';
import { Manifest } from '../manifests/read';
import { asList, toJson, toYaml } from '../printers/output';
import { ApiResource } from '../resources/mapper';
import { Obj } from '../types';
import { manifestNamespace, objectRef, readManifestFlags, withTypeMeta } from './common';

type DryRun = 'none' | 'client' | 'server';

const dryRunOf = (ctx: CommandContext): DryRun => (ctx.str('dry-run') || 'none') as DryRun;
const dryRunSuffix = (d: DryRun) => (d === 'client' ? ' (dry run)' : d === 'server' ? ' (server dry run)' : '');
const isBuiltin = (r: ApiResource) => RESOURCES.some((b) => b.group === r.group && b.kind === r.kind);

/** Prints per-object results in -o name|json|yaml or as `kind/name verb` lines. */
class ResultPrinter {
  private readonly objects: Obj[] = [];
  constructor(private readonly ctx: CommandContext) {
    const o = ctx.str('output');
    if (o && !['name', 'json', 'yaml'].includes(o)) throw new UsageError(`unable to match a printer suitable for the output format "${o}", allowed formats are: json,name,yaml`, ctx.commandPath);
  }

  add(resource: ApiResource, obj: Obj, verb: string): void {
    const o = this.ctx.str('output');
    if (o === 'name') this.ctx.out(`${objectRef(resource, obj.metadata?.name)}\n`);
    else if (o === 'json' || o === 'yaml') this.objects.push(withTypeMeta(resource, obj));
    else this.ctx.out(`${objectRef(resource, obj.metadata?.name)} ${verb}\n`);
  }

  finish(): void {
    const o = this.ctx.str('output');
    if (!this.objects.length || (o !== 'json' && o !== 'yaml')) return;
    const value = this.objects.length === 1 ? this.objects[0] : asList(this.objects);
    this.ctx.out(o === 'json' ? toJson(value) : toYaml(value));
  }
}

/** The object as it will be sent: its namespace filled in for namespaced kinds. */
function prepared(ctx: CommandContext, resource: ApiResource, manifest: Manifest): { obj: Obj; namespace?: string } {
  const namespace = manifestNamespace(ctx, resource, manifest.object);
  const obj = structuredClone(manifest.object);
  if (namespace) obj.metadata = { ...obj.metadata, namespace };
  return { obj, namespace };
}

export async function runApply(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  if (parsed.args.length) throw new UsageError(`Unexpected args: [${parsed.args.join(' ')}]`, ctx.commandPath);
  if (!ctx.strs('filename').length) throw new UsageError('must specify -f', ctx.commandPath);
  return forEachManifest(ctx, async (resource, { obj, namespace }, manifest, dryRun) => {
    if (!obj.metadata?.name) throw new CliError(`error when retrieving current configuration of "${manifest.source}": resource name may not be empty`);
    const result = ctx.bool('server-side') ? await serverSideApply(ctx, resource, obj, namespace, manifest.source, dryRun) : await clientSideApply(ctx, resource, obj, namespace, manifest.source, dryRun);
    return { obj: result.obj, verb: `${result.verb}${dryRunSuffix(dryRun)}` };
  });
}

/**
 * Runs `action` on each object of the -f manifests and prints what it did as kubectl does
 * (`kind/name verb`, or -o name|json|yaml); an API or CLI error is printed and the others go
 * on. Exit code 1 when any failed.
 */
async function forEachManifest(
  ctx: CommandContext,
  action: (resource: ApiResource, object: { obj: Obj; namespace?: string }, manifest: Manifest, dryRun: DryRun) => Promise<{ obj: Obj; verb: string }>,
): Promise<number> {
  const manifests = await readManifestFlags(ctx);
  const printer = new ResultPrinter(ctx);
  const dryRun = dryRunOf(ctx);
  let ok = true;
  for (const manifest of manifests) {
    try {
      const resource = await ctx.mapper.forKind(manifest.object.apiVersion, manifest.object.kind);
      const result = await action(resource, prepared(ctx, resource, manifest), manifest, dryRun);
      printer.add(resource, result.obj, result.verb);
    } catch (error) {
      if (!(error instanceof ApiError) && !(error instanceof CliError)) throw error;
      ok = false;
      ctx.err(formatError(error));
    }
  }
  printer.finish();
  return ok ? 0 : 1;
}

async function clientSideApply(ctx: CommandContext, resource: ApiResource, obj: Obj, namespace: string | undefined, source: string, dryRun: DryRun): Promise<{ obj: Obj; verb: string }> {
  const name = obj.metadata.name as string;
  const modified = withLastApplied(obj);
  let current: Obj;
  try {
    current = await ctx.client.get<Obj>(resource, name, { namespace });
  } catch (error) {
    if (!isNotFound(error)) throw withSource(error, 'retrieving current configuration of', source);
    if (dryRun === 'client') return { obj: modified, verb: 'created' };
    try {
      const created = await ctx.client.create<Obj>(resource, modified, { namespace, dryRun: dryRun === 'server', fieldManager: ctx.str('field-manager') });
      return { obj: created, verb: 'created' };
    } catch (createError) {
      throw withSource(createError, 'creating', source);
    }
  }
  const original = lastApplied(current);
  if (!original) {
    ctx.err(
      `Warning: resource ${resource.group ? `${resource.plural}.${resource.group}` : resource.plural}/${name} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by coxctl apply. coxctl apply should only be used on resources created declaratively by either coxctl create --save-config or coxctl apply. The missing annotation will be patched automatically.\n`,
    );
  }
  const strategic = isBuiltin(resource);
  const patch = threeWayPatch(original, modified, current, strategic);
  if (!Object.keys(patch).length) return { obj: current, verb: 'unchanged' };
  if (dryRun === 'client') return { obj: current, verb: 'configured' };
  try {
    const patched = await ctx.client.patch<Obj>(resource, name, patch, { namespace, type: strategic ? 'strategic' : 'merge', dryRun: dryRun === 'server', fieldManager: ctx.str('field-manager') });
    return { obj: patched, verb: 'configured' };
  } catch (error) {
    throw withSource(error, 'patching', source);
  }
}

async function serverSideApply(ctx: CommandContext, resource: ApiResource, obj: Obj, namespace: string | undefined, source: string, dryRun: DryRun): Promise<{ obj: Obj; verb: string }> {
  if (dryRun === 'client') return { obj, verb: 'serverside-applied' };
  try {
    const applied = await ctx.client.patch<Obj>(resource, obj.metadata.name, obj, {
      namespace,
      type: 'apply',
      fieldManager: ctx.str('field-manager'),
      force: ctx.bool('force-conflicts'),
      dryRun: dryRun === 'server',
    });
    return { obj: applied, verb: 'serverside-applied' };
  } catch (error) {
    throw withSource(error, 'applying', source);
  }
}

/** `coxctl create -f`: POST each object; an existing one is an error. */
export async function runCreate(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  if (!ctx.strs('filename').length) {
    if (parsed.args.length) throw new UsageError(`unknown command "${parsed.args[0]}" for "coxctl create"`, ctx.commandPath);
    throw new UsageError('must specify -f (or a generator: namespace, deployment)', ctx.commandPath);
  }
  return forEachManifest(ctx, async (resource, { obj, namespace }, manifest, dryRun) => ({
    obj: await createObject(ctx, resource, obj, namespace, dryRun, manifest.source),
    verb: `created${dryRunSuffix(dryRun)}`,
  }));
}

async function createObject(ctx: CommandContext, resource: ApiResource, obj: Obj, namespace: string | undefined, dryRun: DryRun, source?: string): Promise<Obj> {
  if (dryRun === 'client') return obj;
  try {
    return await ctx.client.create<Obj>(resource, obj, { namespace, dryRun: dryRun === 'server', fieldManager: ctx.str('field-manager') });
  } catch (error) {
    throw withSource(error, 'creating', source);
  }
}

export async function createGenerated(ctx: CommandContext, resource: ApiResource, obj: Obj): Promise<number> {
  const dryRun = dryRunOf(ctx);
  const namespace = resource.namespaced ? ctx.namespace : undefined;
  if (namespace) obj.metadata.namespace = namespace;
  const printer = new ResultPrinter(ctx);
  printer.add(resource, await createObject(ctx, resource, obj, namespace, dryRun), `created${dryRunSuffix(dryRun)}`);
  printer.finish();
  return 0;
}

export async function runCreateNamespace(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  if (parsed.args.length !== 1) throw new UsageError('exactly one NAME is required, got ' + parsed.args.length, ctx.commandPath);
  return createGenerated(ctx, await ctx.mapper.resolve('namespaces'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: parsed.args[0] }, spec: {}, status: {} });
}

/** `nginx:1.27` → nginx, `registry:5000/team/app@sha256:…` → app (kubectl's container naming). */
export function containerNameForImage(image: string): string {
  const base = image.split('/').pop() ?? image;
  return base.split('@')[0].split(':')[0].toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/** The Deployment `kubectl create deployment NAME --image=…` generates. */
export function generateDeployment(name: string, images: string[], replicas: number, port: number, command: string[]): Obj {
  const labels = { app: name };
  const containers = images.map((image) => ({
    name: containerNameForImage(image),
    image,
    ...(port >= 0 ? { ports: [{ containerPort: port }] } : {}),
    ...(command.length ? { command } : {}),
    resources: {},
  }));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels, creationTimestamp: null },
    spec: { replicas, selector: { matchLabels: labels }, strategy: {}, template: { metadata: { labels, creationTimestamp: null }, spec: { containers } } },
    status: {},
  };
}

export async function runCreateDeployment(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  if (parsed.args.length !== 1) throw new UsageError('exactly one NAME is required, got ' + parsed.args.length, ctx.commandPath);
  const images = ctx.strs('image');
  if (!images.length) throw new UsageError('required flag(s) "image" not set', ctx.commandPath);
  if (parsed.dashArgs.length && images.length > 1) throw new UsageError('cannot specify multiple --image options and command', ctx.commandPath);
  const obj = generateDeployment(parsed.args[0], images, ctx.int('replicas'), ctx.int('port'), parsed.dashArgs);
  if (dryRunOf(ctx) !== 'client') {
    delete obj.metadata.creationTimestamp;
    delete obj.spec.template.metadata.creationTimestamp;
  }
  return createGenerated(ctx, await ctx.mapper.resolve('deployments.apps'), obj);
}
