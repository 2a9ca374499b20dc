// coxctl scale (through the scale subresource) and coxctl autoscale (creates an
// autoscaling/v2 HorizontalPodAutoscaler for the target).
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext } from '../context';
import { CliError } from '../errors';
import { toJson, toYaml } from '../printers/output';
import { ApiResource, apiVersionOf, kindName } from '../resources/mapper';
import { Obj } from '../types';
import { eachObject, manifestNamespace, objectRef, requestNamespace, resolveTargets, selectorOptions } from './common';

interface Named {
  resource: ApiResource;
  name: string;
  namespace?: string;
}

/** Every object the arguments (or -f, -l, --all) name. */
async function namedObjects(ctx: CommandContext, parsed: ParsedArgs, command: string): Promise<Named[]> {
  const { targets } = await resolveTargets(ctx, parsed.args, command);
  const out: Named[] = [];
  for (const t of targets) {
    if (t.names.length) {
      t.names.forEach((name, i) => out.push({ resource: t.resource, name, namespace: t.manifests ? manifestNamespace(ctx, t.resource, t.manifests[i].object) : requestNamespace(ctx, t.resource) }));
      continue;
    }
    const { labelSelector } = selectorOptions(ctx);
    if (!labelSelector && !ctx.bool('all')) throw new UsageError(`resource(s) were provided, but no name was specified`, ctx.commandPath);
    const list = await ctx.client.listAll<Obj>(t.resource, { namespace: requestNamespace(ctx, t.resource), labelSelector });
    for (const o of list.items) out.push({ resource: t.resource, name: o.metadata.name, namespace: o.metadata.namespace });
  }
  return out;
}

export async function runScale(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const replicas = ctx.int('replicas');
  if (!ctx.given('replicas') || replicas < 0) throw new UsageError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0', ctx.commandPath);
  const objects = await namedObjects(ctx, parsed, 'scale');
  if (!objects.length) throw new CliError('no objects passed to scale');
  const current = ctx.int('current-replicas');
  const ok = await eachObject(ctx, objects, async (o) => {
    if (!o.resource.subresources.includes('scale')) throw new CliError(`cannot scale ${kindName(o.resource)}/${o.name}: it has no scale subresource`);
    // Read-modify-write of the Scale: with --current-replicas its resourceVersion makes the check atomic.
    const scale = await ctx.client.getSubresource<Obj>(o.resource, o.name, 'scale', { namespace: o.namespace });
    if (current >= 0 && (scale.spec?.replicas ?? 0) !== current) throw new CliError(`Expected replicas to be ${current}, was ${scale.spec?.replicas ?? 0}`);
    const body = { ...scale, metadata: { ...scale.metadata, resourceVersion: current >= 0 ? scale.metadata?.resourceVersion : undefined }, spec: { ...scale.spec, replicas } };
    await ctx.client.updateSubresource(o.resource, o.name, 'scale', body, { namespace: o.namespace });
    ctx.out(ctx.str('output') === 'name' ? `${objectRef(o.resource, o.name)}\n` : `${objectRef(o.resource, o.name)} scaled\n`);
  });
  return ok ? 0 : 1;
}

/** The HPA `coxctl autoscale` creates. */
export function generateHpa(name: string, target: { apiVersion: string; kind: string; name: string }, min: number, max: number, cpuPercent: number): Obj {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: {
      scaleTargetRef: target,
      ...(min >= 0 ? { minReplicas: min } : {}),
      maxReplicas: max,
      ...(cpuPercent >= 0 ? { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpuPercent } } }] } : {}),
    },
  };
}

export async function runAutoscale(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const min = ctx.int('min');
  const max = ctx.int('max');
  if (max < 1) throw new UsageError(`--max=MAXPODS is required and must be at least 1, max: ${max}`, ctx.commandPath);
  if (min > max) throw new UsageError(`--max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${min}`, ctx.commandPath);
  const objects = await namedObjects(ctx, parsed, 'autoscale');
  if (!objects.length) throw new CliError('no objects passed to autoscale');
  const hpaResource = await ctx.mapper.resolve('horizontalpodautoscalers.autoscaling');
  const dryRun = ctx.str('dry-run') || 'none';
  const ok = await eachObject(ctx, objects, async (o) => {
    if (!o.resource.subresources.includes('scale')) throw new CliError(`cannot autoscale a ${o.resource.kind}: it has no scale subresource`);
    const hpa = generateHpa(ctx.str('name') || o.name, { apiVersion: apiVersionOf(o.resource), kind: o.resource.kind, name: o.name }, min, max, ctx.int('cpu-percent'));
    if (o.namespace) hpa.metadata.namespace = o.namespace;
    const created = dryRun === 'client' ? hpa : await ctx.client.create<Obj>(hpaResource, hpa, { namespace: o.namespace, dryRun: dryRun === 'server' });
    const format = ctx.str('output');
    if (format === 'json') ctx.out(toJson(created));
    else if (format === 'yaml') ctx.out(toYaml(created));
    else if (format === 'name') ctx.out(`${objectRef(hpaResource, created.metadata.name)}\n`);
    else ctx.out(`${objectRef(hpaResource, created.metadata.name)} autoscaled${dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''}\n`);
  });
  return ok ? 0 : 1;
}
