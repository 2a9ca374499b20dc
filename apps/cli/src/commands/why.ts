// coxctl why pod/NAME | vmi/NAME: the scheduler's verdict, a per-node view of what blocks
// the workload, container trouble once it is placed, and the latest related events.
import { claimNamesOf } from '@coxswain/api';
import { isNotFound } from '@coxswain/client';
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext } from '../context';
import { CliError } from '../errors';
import { eventSource, eventTimes } from '../printers/events';
import { formatColumns } from '../printers/tabwriter';
import { ResourceMapper } from '../resources/mapper';
import { Obj } from '../types';
import { ClusterView, containerProblems, nodeViews, schedulerSummary, schedulingCondition } from '../why/analysis';
import { eventsFor } from './describe';

const bold = (ctx: { color: boolean }, text: string) => (ctx.color ? `\x1b[1m${text}\x1b[0m` : text);
const red = (ctx: { color: boolean }, text: string) => (ctx.color ? `\x1b[31m${text}\x1b[0m` : text);
const green = (ctx: { color: boolean }, text: string) => (ctx.color ? `\x1b[32m${text}\x1b[0m` : text);

const PODS = ResourceMapper.builtinKind('Pod');
const VMIS = ResourceMapper.builtinKind('VirtualMachineInstance');
const NODES = ResourceMapper.builtinKind('Node');
const CLAIMS = ResourceMapper.builtinKind('PersistentVolumeClaim');
const VOLUMES = ResourceMapper.builtinKind('PersistentVolume');
const CLASSES = ResourceMapper.builtinKind('StorageClass');

export interface WhyOptions {
  maxEvents: number;
  now: Date;
  color: boolean;
}

/** The report, as text, from the objects (pure; the command only fetches). */
export function whyReport(workload: Obj, nodes: Obj[], bound: ClusterView, events: Obj[], options: WhyOptions): string {
  const { maxEvents, now } = options;
  const ctx = { color: options.color };
  const kind = workload.kind === 'VirtualMachineInstance' ? 'vmi' : 'pod';
  const ref = `${kind}/${workload.metadata?.name}`;
  const node = workload.spec?.nodeName ?? workload.status?.nodeName;
  const phase = workload.status?.phase ?? 'Pending';
  const lines: string[] = [];
  if (node) {
    lines.push(`${bold(ctx, ref)} is scheduled on node ${node} (phase ${phase}).`);
    const problems = kind === 'pod' ? containerProblems(workload) : [];
    if (problems.length) lines.push('', 'Not running because:', ...problems.map((p) => `  ${red(ctx, p)}`));
    else if (phase === 'Running') lines.push(`It is ${green(ctx, 'running')}.`);
  } else {
    const condition = schedulingCondition(workload);
    lines.push(`${bold(ctx, ref)} is ${phase} and not scheduled${condition ? '' : ' yet (the scheduler has not reported on it)'}.`);
    if (condition?.message) {
      lines.push('', `Scheduler: ${condition.message}`);
      const summary = schedulerSummary(events);
      if (summary?.reasons.length) {
        lines.push(...formatColumns(summary.reasons.map((r) => [`  ${r.count} ${r.count === 1 ? 'node' : 'nodes'}`, r.reason])).trimEnd().split('\n'));
        if (summary.omitted) lines.push(`  (${summary.omitted} more nodes not listed)`);
      }
    }
    const views = nodeViews(workload, nodes, bound);
    if (views.length) {
      lines.push('', "Per node (the scheduler's filters over the nodes as they are now):");
      const rows = [['  NODE', 'READY', 'SCHEDULABLE', 'BLOCKED BY']];
      for (const v of views) rows.push([`  ${v.name}`, v.ready ? 'True' : 'False', v.schedulable ? 'yes' : 'no', v.blockers.length ? v.blockers.join('; ') : 'nothing visible (fits)']);
      lines.push(...formatColumns(rows).trimEnd().split('\n'));
    } else {
      lines.push('', 'There are no nodes in the cluster.');
    }
  }
  const sorted = [...events].sort((a, b) => Date.parse(eventTimes(b, now).lastTime ?? '') - Date.parse(eventTimes(a, now).lastTime ?? '')).slice(0, maxEvents).reverse();
  lines.push('');
  if (!sorted.length) lines.push('Recent events: <none>');
  else {
    lines.push('Recent events:');
    const rows = [['  LAST SEEN', 'TYPE', 'REASON', 'FROM', 'MESSAGE']];
    for (const e of sorted) {
      const t = eventTimes(e, now);
      rows.push([`  ${t.count > 1 ? `${t.last} (x${t.count})` : t.last}`, e.type === 'Warning' ? red(ctx, e.type) : (e.type ?? ''), e.reason ?? '', eventSource(e), String(e.message ?? '').trim()]);
    }
    lines.push(...formatColumns(rows).trimEnd().split('\n'));
  }
  return `${lines.join('\n')}\n`;
}

export async function runWhy(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  if (parsed.args.length !== 1) throw new UsageError('expected one pod/NAME or vmi/NAME', ctx.commandPath);
  const arg = parsed.args[0];
  const slash = arg.indexOf('/');
  const resource = slash < 0 ? PODS : await ctx.mapper.resolve(arg.slice(0, slash));
  if (!['Pod', 'VirtualMachineInstance', 'VirtualMachine'].includes(resource.kind)) throw new CliError(`why explains pods and VM instances, not ${resource.plural}`);
  const name = slash < 0 ? arg : arg.slice(slash + 1);
  const namespace = ctx.namespace;
  let target = resource.kind === 'VirtualMachine' ? VMIS : resource;
  let workload: Obj;
  try {
    workload = await ctx.client.get<Obj>(target, name, { namespace });
  } catch (error) {
    if (!(isNotFound(error) && resource.kind === 'VirtualMachine')) throw error;
    // A VirtualMachine without an instance: nothing to schedule yet; its own status says why.
    const vm = await ctx.client.get<Obj>(resource, name, { namespace });
    ctx.out(`virtualmachine/${name} has no running instance (status ${vm.status?.printableStatus ?? 'unknown'}, runStrategy ${vm.spec?.runStrategy ?? (vm.spec?.running ? 'Always' : 'Halted')}).\nStart it with: coxctl vm start ${name}\n`);
    return 0;
  }
  target = target === VMIS ? VMIS : PODS;
  workload = { apiVersion: target === VMIS ? 'kubevirt.io/v1' : 'v1', kind: target.kind, ...workload };
  const unbound = !(workload.spec?.nodeName ?? workload.status?.nodeName);
  const claimsUsed = unbound && claimNamesOf(workload).length > 0;
  const listOr = (resource: typeof NODES) => (claimsUsed ? ctx.client.listAll<Obj>(resource).then((l) => l.items).catch(() => [] as Obj[]) : Promise.resolve([] as Obj[]));
  const [nodes, pods, vmis, events, claims, volumes, classes] = await Promise.all([
    unbound ? ctx.client.listAll<Obj>(NODES).then((l) => l.items) : Promise.resolve([] as Obj[]),
    unbound ? ctx.client.listAll<Obj>(PODS).then((l) => l.items) : Promise.resolve([] as Obj[]),
    unbound ? ctx.client.listAll<Obj>(VMIS).then((l) => l.items).catch(() => [] as Obj[]) : Promise.resolve([] as Obj[]),
    eventsFor(ctx, workload),
    listOr(CLAIMS),
    listOr(VOLUMES),
    listOr(CLASSES),
  ]);
  ctx.out(whyReport(workload, nodes, { pods, vmis, storage: { claims, volumes, classes } }, events, { maxEvents: ctx.int('events'), now: ctx.now(), color: ctx.color }));
  return 0;
}
