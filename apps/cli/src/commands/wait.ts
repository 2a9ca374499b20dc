// coxctl wait --for=condition=…|delete|create|jsonpath=…: watches each object until the
// condition holds, printing `kind/name condition met`, or fails at --timeout.
import { isNotFound } from '@coxswain/client';
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext, parseDurationMs } from '../context';
import { CliError } from '../errors';
import { JsonPath, relaxedJsonPath, textOf } from '../printers/jsonpath';
import { ApiResource } from '../resources/mapper';
import { Obj } from '../types';
import { startProgress } from '../util/progress';
import { manifestNamespace, objectRef, requestNamespace, resolveTargets, selectorOptions } from './common';

export type WaitFor =
  | { kind: 'delete' }
  | { kind: 'create' }
  | { kind: 'condition'; type: string; value: string }
  | { kind: 'jsonpath'; path: JsonPath; value?: string };

export function parseWaitFor(text: string): WaitFor {
  if (text === 'delete') return { kind: 'delete' };
  if (text === 'create') return { kind: 'create' };
  if (text.startsWith('condition=')) {
    const rest = text.slice('condition='.length);
    const eq = rest.indexOf('=');
    const type = eq < 0 ? rest : rest.slice(0, eq);
    if (!type) throw new UsageError('--for=condition=NAME needs a condition name');
    return { kind: 'condition', type, value: eq < 0 ? 'true' : rest.slice(eq + 1) };
  }
  if (text.startsWith('jsonpath=')) {
    const rest = text.slice('jsonpath='.length);
    let expr: string;
    let value: string | undefined;
    if (rest.startsWith('{')) {
      const close = rest.indexOf('}');
      if (close < 0) throw new UsageError(`unbalanced braces in --for=${text}`);
      expr = rest.slice(0, close + 1);
      const after = rest.slice(close + 1);
      if (after && !after.startsWith('=')) throw new UsageError(`jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3`);
      value = after ? after.slice(1) : undefined;
    } else {
      const eq = rest.indexOf('=');
      expr = eq < 0 ? rest : rest.slice(0, eq);
      value = eq < 0 ? undefined : rest.slice(eq + 1);
    }
    try {
      return { kind: 'jsonpath', path: new JsonPath(relaxedJsonPath(expr)), value };
    } catch (error) {
      throw new UsageError(`invalid jsonpath in --for: ${(error as Error).message}`);
    }
  }
  throw new UsageError(`unrecognized condition: "${text}"`);
}

/** Whether an existing object satisfies the wait (delete/create are decided by existence). */
export function conditionMet(obj: Obj, wait: WaitFor): boolean {
  switch (wait.kind) {
    case 'create':
      return true;
    case 'delete':
      return false;
    case 'condition': {
      const c = ((obj.status?.conditions ?? []) as Obj[]).find((x) => String(x.type).toLowerCase() === wait.type.toLowerCase());
      if (!c) return false;
      // A condition from an older generation says nothing about the current spec.
      if (c.observedGeneration !== undefined && obj.metadata?.generation !== undefined && c.observedGeneration < obj.metadata.generation) return false;
      return String(c.status).toLowerCase() === wait.value.toLowerCase();
    }
    case 'jsonpath': {
      const values = wait.path.values(obj);
      if (wait.value === undefined) return values.length > 0;
      return values.length > 0 && values.every((v) => textOf(v) === wait.value);
    }
  }
}

interface Subject {
  resource: ApiResource;
  name: string;
  namespace?: string;
}

export async function runWait(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  if (!ctx.str('for')) throw new UsageError('--for must be set (condition=NAME, delete, create or jsonpath=…)', ctx.commandPath);
  const wait = parseWaitFor(ctx.str('for'));
  const timeout = parseDurationMs(ctx.str('timeout'));
  const deadline = timeout > 0 ? Date.now() + timeout : Infinity;
  const { targets } = await resolveTargets(ctx, parsed.args, 'wait');
  const subjects: Subject[] = [];
  const allNamespaces = ctx.bool('all-namespaces');
  for (const t of targets) {
    if (t.names.length) {
      t.names.forEach((name, i) => subjects.push({ resource: t.resource, name, namespace: t.manifests ? manifestNamespace(ctx, t.resource, t.manifests[i].object) : requestNamespace(ctx, t.resource) }));
      continue;
    }
    const selectors = selectorOptions(ctx);
    if (!selectors.labelSelector && !selectors.fieldSelector && !ctx.bool('all')) throw new UsageError('resource(s) were provided, but no name, label selector, or --all flag specified', ctx.commandPath);
    const list = await ctx.client.listAll<Obj>(t.resource, { namespace: requestNamespace(ctx, t.resource, allNamespaces), ...selectors });
    for (const o of list.items) subjects.push({ resource: t.resource, name: o.metadata.name, namespace: o.metadata.namespace });
  }
  if (!subjects.length) throw new CliError('no matching resources found');
  const progress = startProgress(ctx.io.stderr, `waiting for ${subjects.length} object(s)`);
  try {
    for (const s of subjects) {
      await waitOne(ctx, s, wait, deadline);
      ctx.out(ctx.str('output') === 'name' ? `${objectRef(s.resource, s.name)}\n` : `${objectRef(s.resource, s.name)} condition met\n`);
    }
  } finally {
    progress.done();
  }
  return 0;
}

async function waitOne(ctx: CommandContext, s: Subject, wait: WaitFor, deadline: number): Promise<void> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  ctx.io.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = Number.isFinite(deadline) ? setTimeout(() => controller.abort(), Math.max(0, deadline - Date.now())) : undefined;
  const fieldSelector = `metadata.name=${s.name}`;
  try {
    let resourceVersion: string | undefined;
    let uid: string | undefined;
    const list = await ctx.client.list<Obj>(s.resource, { namespace: s.namespace, fieldSelector, signal: controller.signal });
    const current = list.items[0];
    resourceVersion = list.metadata.resourceVersion;
    if (!current) {
      if (wait.kind === 'delete') return;
      // The server's own NotFound, as kubectl reports it (use --for=create to wait for it to appear).
      if (wait.kind !== 'create') await ctx.client.get(s.resource, s.name, { namespace: s.namespace });
    } else if (conditionMet(current, wait)) {
      return;
    } else {
      uid = current.metadata?.uid;
    }
    while (!controller.signal.aborted) {
      const stream = await ctx.client.watch<Obj>(s.resource, { namespace: s.namespace, fieldSelector, resourceVersion, signal: controller.signal });
      for await (const ev of stream) {
        resourceVersion = ev.object.metadata?.resourceVersion ?? resourceVersion;
        if (ev.type === 'BOOKMARK') continue;
        if (ev.type === 'DELETED') {
          if (wait.kind === 'delete' && (!uid || ev.object.metadata?.uid === uid)) return;
          if (wait.kind !== 'delete' && wait.kind !== 'create') throw new CliError(`${s.resource.plural} "${s.name}" was deleted while waiting`);
          continue;
        }
        if (conditionMet(ev.object, wait)) return;
      }
    }
  } catch (error) {
    if (!controller.signal.aborted || isNotFound(error)) throw error;
  } finally {
    if (timer) clearTimeout(timer);
    ctx.io.signal?.removeEventListener('abort', onAbort);
  }
  if (!ctx.io.signal?.aborted) throw new CliError(`timed out waiting for the condition on ${s.resource.plural}/${s.name}`);
}
