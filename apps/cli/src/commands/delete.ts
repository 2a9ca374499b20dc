// coxctl delete: by name, -f, -l or --all; cascade policy, grace period, and by default
// waiting until the objects are really gone (finalizers and graceful termination done).
import { isNotFound } from '@coxswain/client';
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext, parseDurationMs } from '../context';
import { CliError, withSource } from '../errors';
import { ApiResource, kindName } from '../resources/mapper';
import { Obj } from '../types';
import { startProgress } from '../util/progress';
import { eachObject, manifestNamespace, objectRef, requestNamespace, resolveTargets, selectorOptions, sleep } from './common';

type Policy = 'Background' | 'Foreground' | 'Orphan';

export function cascadePolicy(flag: string): Policy {
  switch (flag) {
    case 'foreground':
      return 'Foreground';
    case 'orphan':
    case 'false':
      return 'Orphan';
    default:
      return 'Background';
  }
}

/** --grace-period / --now / --force as the DeleteOptions value (undefined = the object's own). */
export function gracePeriod(grace: number, now: boolean, force: boolean): number | undefined {
  if (now) {
    if (grace !== -1) throw new UsageError('--now and --grace-period cannot be specified together');
    return 1;
  }
  if (force && grace === -1) return 0;
  if (grace === 0 && !force) return 1; // kubectl: a zero grace period without --force means "as fast as possible", not "skip the node"
  return grace >= 0 ? grace : undefined;
}

interface Victim {
  resource: ApiResource;
  name: string;
  namespace?: string;
  source?: string;
}

export async function runDelete(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const all = ctx.bool('all');
  const { labelSelector, fieldSelector } = selectorOptions(ctx);
  const fromFiles = ctx.strs('filename').length > 0;
  if (!fromFiles && !parsed.args.length) throw new UsageError('You must provide one or more resources by argument or filename.', ctx.commandPath);
  const { targets, named } = await resolveTargets(ctx, parsed.args, 'delete');
  if (!fromFiles && !named && !all && !labelSelector && !fieldSelector) throw new CliError('resource(s) were provided, but no name was specified');
  if (named && (all || labelSelector) && !fromFiles) throw new UsageError('name cannot be provided when a selector is specified', ctx.commandPath);
  const allNamespaces = ctx.bool('all-namespaces');

  const victims: Victim[] = [];
  for (const target of targets) {
    if (target.manifests) {
      for (const m of target.manifests) victims.push({ resource: target.resource, name: m.object.metadata.name, namespace: manifestNamespace(ctx, target.resource, m.object), source: m.source });
    } else if (target.names.length) {
      for (const name of target.names) victims.push({ resource: target.resource, name, namespace: requestNamespace(ctx, target.resource) });
    } else {
      const list = await ctx.client.listAll<Obj>(target.resource, { namespace: requestNamespace(ctx, target.resource, allNamespaces), labelSelector, fieldSelector });
      for (const o of list.items) victims.push({ resource: target.resource, name: o.metadata.name, namespace: o.metadata.namespace });
    }
  }
  if (!victims.length) {
    ctx.err('No resources found\n');
    return 0;
  }

  const dryRun = ctx.str('dry-run') || 'none';
  const propagationPolicy = cascadePolicy(ctx.str('cascade'));
  const grace = gracePeriod(ctx.int('grace-period'), ctx.bool('now'), ctx.bool('force'));
  if (ctx.bool('force') && grace === 0) ctx.err('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
  const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
  const output = ctx.str('output');
  const deleted: Array<Victim & { uid?: string }> = [];
  const ok = await eachObject(
    ctx,
    victims,
    async (v) => {
      let uid: string | undefined;
      if (dryRun !== 'client') {
        try {
          const answer = (await ctx.client.delete<Obj>(v.resource, v.name, { namespace: v.namespace, propagationPolicy, gracePeriodSeconds: grace, dryRun: dryRun === 'server' })) as Obj;
          uid = answer.kind === 'Status' ? answer.details?.uid : answer.metadata?.uid;
        } catch (error) {
          throw v.source ? withSource(error, 'deleting', v.source) : error;
        }
      }
      ctx.out(output === 'name' ? `${objectRef(v.resource, v.name)}\n` : `${kindName(v.resource)} "${v.name}" deleted${suffix}\n`);
      deleted.push({ ...v, uid });
    },
    ctx.bool('ignore-not-found'),
  );
  if (ctx.bool('wait') && dryRun === 'none' && deleted.length) await waitForDeletion(ctx, deleted, parseDurationMs(ctx.str('timeout')));
  return ok ? 0 : 1;
}

/** Polls until every object is gone (or replaced by a new one with another uid). */
async function waitForDeletion(ctx: CommandContext, victims: Array<Victim & { uid?: string }>, timeoutMs: number): Promise<void> {
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  let pending = victims;
  const progress = startProgress(ctx.io.stderr, `waiting for ${pending.length} object(s) to be deleted`);
  try {
    while (pending.length && !ctx.io.signal?.aborted) {
      const still: typeof pending = [];
      for (const v of pending) {
        try {
          const obj = await ctx.client.get<Obj>(v.resource, v.name, { namespace: v.namespace });
          if (!v.uid || obj.metadata?.uid === v.uid) still.push(v);
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
      pending = still;
      if (!pending.length) break;
      progress.update(`waiting for ${pending.map((v) => objectRef(v.resource, v.name)).join(', ')} to be deleted`);
      if (Date.now() >= deadline) throw new CliError(`timed out waiting for the condition on ${pending.map((v) => `${v.resource.plural}/${v.name}`).join(', ')}`);
      await sleep(ctx, 250);
    }
  } finally {
    progress.done();
  }
}
