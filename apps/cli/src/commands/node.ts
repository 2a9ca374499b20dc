// coxctl cordon / uncordon / drain. Which workloads a drain may remove is decided by a
// pure planner (kubectl's drain filters, plus VM instances); the command carries it out.
import { ApiError, isNotFound, isTooManyRequests } from '@coxswain/client';
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext, parseDurationMs } from '../context';
import { CliError } from '../errors';
import { ApiResource, ResourceMapper } from '../resources/mapper';
import { Obj } from '../types';
import { startProgress } from '../util/progress';
import { sleep } from './common';

const NODES = ResourceMapper.builtinKind('Node');
const PODS = ResourceMapper.builtinKind('Pod');
const VMIS = ResourceMapper.builtinKind('VirtualMachineInstance');

export interface DrainOptions {
  force: boolean;
  ignoreDaemonsets: boolean;
  deleteEmptydirData: boolean;
}

export interface DrainPlan {
  /** Pods to evict (or delete with --disable-eviction). */
  pods: Obj[];
  /** VM instances to delete; their VirtualMachine or replica set starts them elsewhere. */
  vmis: Obj[];
  warnings: string[];
  errors: string[];
}

const key = (o: Obj) => `${o.metadata?.namespace}/${o.metadata?.name}`;
const controllerOf = (o: Obj): Obj | undefined => ((o.metadata?.ownerReferences ?? []) as Obj[]).find((r) => r.controller);

/** kubectl drain's filters in its order: daemon sets, mirror pods, local storage, unreplicated. */
export function planDrain(pods: Obj[], vmis: Obj[], options: DrainOptions): DrainPlan {
  const errors = new Map<string, string[]>();
  const warnings = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, message: string, o: Obj) => map.set(message, [...(map.get(message) ?? []), key(o)]);
  const evict: Obj[] = [];
  for (const pod of pods) {
    const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    const controller = controllerOf(pod);
    if (controller?.kind === 'DaemonSet') {
      if (options.ignoreDaemonsets) add(warnings, 'ignoring DaemonSet-managed Pods', pod);
      else add(errors, 'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)', pod);
      continue;
    }
    if (pod.metadata?.annotations?.['kubernetes.io/config.mirror']) continue;
    if (!finished && ((pod.spec?.volumes ?? []) as Obj[]).some((v) => v.emptyDir)) {
      if (!options.deleteEmptydirData) {
        add(errors, 'cannot delete Pods with local storage (use --delete-emptydir-data to override)', pod);
        continue;
      }
      add(warnings, 'deleting Pods with local storage', pod);
    }
    if (!finished && !controller) {
      if (!options.force) {
        add(errors, 'cannot delete Pods that declare no controller (use --force to override)', pod);
        continue;
      }
      add(warnings, 'deleting Pods that declare no controller', pod);
    }
    evict.push(pod);
  }
  const deleteVmis: Obj[] = [];
  for (const vmi of vmis) {
    if (!controllerOf(vmi)) {
      if (!options.force) {
        add(errors, 'cannot delete VirtualMachineInstances that declare no controller (use --force to override)', vmi);
        continue;
      }
      add(warnings, 'deleting VirtualMachineInstances that declare no controller', vmi);
    }
    deleteVmis.push(vmi);
  }
  const text = (map: Map<string, string[]>) => [...map].map(([message, names]) => `${message}: ${names.join(', ')}`);
  return { pods: evict, vmis: deleteVmis, warnings: text(warnings), errors: text(errors) };
}

async function nodesFrom(ctx: CommandContext, parsed: ParsedArgs): Promise<string[]> {
  const selector = ctx.str('selector');
  if (parsed.args.length && selector) throw new UsageError('error: cannot specify both a node name and a --selector option', ctx.commandPath);
  if (parsed.args.length) return parsed.args.map((a) => a.replace(/^(nodes?|no)\//, ''));
  if (!selector) throw new UsageError('USAGE: coxctl ' + ctx.commandPath.join(' ') + ' NODE [flags]', ctx.commandPath);
  return (await ctx.client.listAll<Obj>(NODES, { labelSelector: selector })).items.map((n) => n.metadata.name);
}

const dryRunSuffix = (ctx: CommandContext) => ({ client: ' (dry run)', server: ' (server dry run)' })[ctx.str('dry-run') as 'client' | 'server'] ?? '';

async function setUnschedulable(ctx: CommandContext, name: string, value: boolean): Promise<void> {
  const node = await ctx.client.get<Obj>(NODES, name);
  const verb = value ? 'cordoned' : 'uncordoned';
  if (!!node.spec?.unschedulable === value) {
    ctx.out(`node/${name} already ${verb}\n`);
    return;
  }
  const dryRun = ctx.str('dry-run') || 'none';
  if (dryRun !== 'client') await ctx.client.patch(NODES, name, { spec: { unschedulable: value ? true : null } }, { type: 'strategic', dryRun: dryRun === 'server' });
  ctx.out(`node/${name} ${verb}${dryRunSuffix(ctx)}\n`);
}

export async function runCordon(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  for (const name of await nodesFrom(ctx, parsed)) await setUnschedulable(ctx, name, true);
  return 0;
}

export async function runUncordon(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  for (const name of await nodesFrom(ctx, parsed)) await setUnschedulable(ctx, name, false);
  return 0;
}

export async function runDrain(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const timeoutMs = parseDurationMs(ctx.str('timeout'));
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  let ok = true;
  for (const node of await nodesFrom(ctx, parsed)) {
    await setUnschedulable(ctx, node, true);
    try {
      await drainNode(ctx, node, deadline);
      ctx.out(`node/${node} drained${dryRunSuffix(ctx)}\n`);
    } catch (error) {
      if (!(error instanceof CliError) && !(error instanceof ApiError)) throw error;
      ok = false;
      ctx.err(`error: unable to drain node "${node}" due to error: ${error.message}, continuing command...\n`);
    }
  }
  return ok ? 0 : 1;
}

async function drainNode(ctx: CommandContext, node: string, deadline: number): Promise<void> {
  const podSelector = ctx.str('pod-selector') || undefined;
  const pods = (await ctx.client.listAll<Obj>(PODS, { fieldSelector: `spec.nodeName=${node}`, labelSelector: podSelector })).items;
  const vmis = podSelector ? [] : (await ctx.client.listAll<Obj>(VMIS, { fieldSelector: `status.nodeName=${node}` }).catch(() => ({ items: [] as Obj[] }))).items;
  const plan = planDrain(pods, vmis, { force: ctx.bool('force'), ignoreDaemonsets: ctx.bool('ignore-daemonsets'), deleteEmptydirData: ctx.bool('delete-emptydir-data') });
  for (const w of plan.warnings) ctx.err(`Warning: ${w}\n`);
  if (plan.errors.length) throw new CliError(plan.errors.join(', '));
  const dryRun = ctx.str('dry-run') || 'none';
  const grace = ctx.int('grace-period') >= 0 ? ctx.int('grace-period') : undefined;
  const useEviction = !ctx.bool('disable-eviction');
  const removed: Array<{ resource: ApiResource; obj: Obj; verb: string }> = [];
  for (const pod of plan.pods) {
    if (pod.metadata?.deletionTimestamp) {
      removed.push({ resource: PODS, obj: pod, verb: useEviction ? 'evicted' : 'deleted' });
      continue;
    }
    ctx.out(`${useEviction ? 'evicting' : 'deleting'} pod ${key(pod)}${dryRunSuffix(ctx)}\n`);
    if (dryRun === 'client') continue;
    if (useEviction) await evict(ctx, pod, grace, dryRun === 'server', deadline);
    else await ctx.client.delete(PODS, pod.metadata.name, { namespace: pod.metadata.namespace, gracePeriodSeconds: grace, dryRun: dryRun === 'server' }).catch(ignoreNotFound);
    removed.push({ resource: PODS, obj: pod, verb: useEviction ? 'evicted' : 'deleted' });
  }
  for (const vmi of plan.vmis) {
    ctx.out(`${useEviction ? 'evicting' : 'deleting'} virtualmachineinstance ${key(vmi)}${dryRunSuffix(ctx)}\n`);
    if (dryRun === 'client') continue;
    // VMIs go through the same eviction rule as pods, so a disruption budget holds them too.
    if (useEviction) await evict(ctx, vmi, grace, dryRun === 'server', deadline, VMIS);
    else await ctx.client.delete(VMIS, vmi.metadata.name, { namespace: vmi.metadata.namespace, gracePeriodSeconds: grace, dryRun: dryRun === 'server' }).catch(ignoreNotFound);
    removed.push({ resource: VMIS, obj: vmi, verb: useEviction ? 'evicted' : 'deleted' });
  }
  if (dryRun !== 'none') return;
  await waitGone(ctx, removed, deadline);
}

function ignoreNotFound(error: unknown): void {
  if (!isNotFound(error)) throw error;
}

async function evict(ctx: CommandContext, pod: Obj, grace: number | undefined, dryRun: boolean, deadline: number, resource: ApiResource = PODS): Promise<void> {
  const body = {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace },
    ...(grace !== undefined || dryRun ? { deleteOptions: { ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}), ...(dryRun ? { dryRun: ['All'] } : {}) } } : {}),
  };
  for (;;) {
    try {
      await ctx.client.createSubresource(resource, pod.metadata.name, 'eviction', body, { namespace: pod.metadata.namespace });
      return;
    } catch (error) {
      if (isNotFound(error)) return;
      if (!isTooManyRequests(error)) throw error;
      if (Date.now() >= deadline) throw new CliError(`global timeout reached evicting ${resource === PODS ? 'pod' : 'virtualmachineinstance'} ${key(pod)}`);
      ctx.err(`error when evicting ${resource === PODS ? 'pods' : 'virtualmachineinstances'}/"${pod.metadata.name}" -n "${pod.metadata.namespace}" (will retry after 5s): ${(error as ApiError).status.message}\n`);
      await sleep(ctx, 5000);
    }
  }
}

/** Waits until each removed object is gone (or replaced: another uid), printing `pod/x evicted`. */
async function waitGone(ctx: CommandContext, removed: Array<{ resource: ApiResource; obj: Obj; verb: string }>, deadline: number): Promise<void> {
  let pending = removed;
  const progress = startProgress(ctx.io.stderr, `waiting for ${pending.length} workload(s) to leave the node`);
  try {
    while (pending.length) {
      const still: typeof pending = [];
      for (const r of pending) {
        try {
          const obj = await ctx.client.get<Obj>(r.resource, r.obj.metadata.name, { namespace: r.obj.metadata.namespace });
          if (obj.metadata?.uid === r.obj.metadata?.uid) {
            still.push(r);
            continue;
          }
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
        ctx.out(`${r.resource.kind.toLowerCase()}/${r.obj.metadata.name} ${r.verb}\n`);
      }
      pending = still;
      if (!pending.length || ctx.io.signal?.aborted) return;
      if (Date.now() >= deadline) throw new CliError(`timed out waiting for ${pending.map((r) => key(r.obj)).join(', ')} to leave the node`);
      progress.update(`waiting for ${pending.map((r) => key(r.obj)).join(', ')}`);
      await sleep(ctx, 500);
    }
  } finally {
    progress.done();
  }
}
