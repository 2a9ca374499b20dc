// coxctl top nodes|pods: CPU and memory from the metrics API (metrics.k8s.io/v1beta1),
// printed like kubectl top.
import { cpuMillis, memoryBytes } from '@coxswain/api';
import { ApiError } from '@coxswain/client';
import { ParsedArgs } from '../cli/spec';
import { CommandContext } from '../context';
import { CliError } from '../errors';
import { TABLE_WRITER, TabWriter } from '../printers/tabwriter';
import { ApiResource, ResourceMapper } from '../resources/mapper';
import { Obj } from '../types';

const NODES = ResourceMapper.builtinKind('Node');
const metrics = (plural: 'nodes' | 'pods', namespaced: boolean): ApiResource => ({ group: 'metrics.k8s.io', version: 'v1beta1', kind: plural === 'nodes' ? 'NodeMetrics' : 'PodMetrics', plural, singular: '', namespaced, shortNames: [], categories: [], verbs: ['get', 'list'], subresources: [] });

const cores = (m: number) => `${m}m`;
const mebibytes = (b: number) => `${Math.floor(b / (1024 * 1024))}Mi`;

/** kubectl top's rows end every cell with a tab, so even the last column is padded. */
function render(rows: string[][], noHeaders: boolean): string {
  const w = new TabWriter({ ...TABLE_WRITER, rememberWidths: false });
  for (const row of noHeaders ? rows.slice(1) : rows) w.write(`${row.join('\t')}\t\n`);
  return w.flush();
}

export interface NodeUsage {
  name: string;
  cpu?: number;
  memory?: number;
  cpuAllocatable: number;
  memoryAllocatable: number;
}

export function nodeTopRows(usages: NodeUsage[], sortBy: string): string[][] {
  const sorted = sortUsage(usages, sortBy);
  return [
    ['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)'],
    ...sorted.map((u) =>
      u.cpu === undefined || u.memory === undefined
        ? [u.name, '<unknown>', '<unknown>', '<unknown>', '<unknown>']
        : [u.name, cores(u.cpu), `${u.cpuAllocatable ? Math.trunc((u.cpu * 100) / u.cpuAllocatable) : 0}%`, mebibytes(u.memory), `${u.memoryAllocatable ? Math.trunc((u.memory * 100) / u.memoryAllocatable) : 0}%`],
    ),
  ];
}

function sortUsage<T extends { cpu?: number; memory?: number }>(items: T[], sortBy: string): T[] {
  if (sortBy !== 'cpu' && sortBy !== 'memory') return items;
  return [...items].sort((a, b) => (b[sortBy] ?? -1) - (a[sortBy] ?? -1));
}

async function listMetrics(ctx: CommandContext, resource: ApiResource, namespace?: string): Promise<Obj[]> {
  try {
    return (await ctx.client.list<Obj>(resource, { namespace, labelSelector: ctx.str('selector') || undefined })).items;
  } catch (error) {
    if (error instanceof ApiError && (error.code === 404 || error.code === 503)) throw new CliError('Metrics API not available');
    throw error;
  }
}

export async function runTopNodes(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  let nodes = (await ctx.client.listAll<Obj>(NODES, { labelSelector: ctx.str('selector') || undefined })).items;
  if (parsed.args.length) {
    nodes = nodes.filter((n) => parsed.args.includes(n.metadata.name));
    if (!nodes.length) throw new CliError(`nodes "${parsed.args[0]}" not found`);
  }
  const usage = new Map((await listMetrics(ctx, metrics('nodes', false))).map((m) => [m.metadata.name, m.usage ?? {}]));
  if (!usage.size) throw new CliError('metrics not available yet');
  const rows = nodeTopRows(
    nodes.map((n) => {
      const u = usage.get(n.metadata.name);
      const alloc = n.status?.allocatable ?? n.status?.capacity ?? {};
      return { name: n.metadata.name, cpu: u ? cpuMillis(u.cpu) : undefined, memory: u ? memoryBytes(u.memory) : undefined, cpuAllocatable: cpuMillis(alloc.cpu), memoryAllocatable: memoryBytes(alloc.memory) };
    }),
    ctx.str('sort-by'),
  );
  ctx.out(render(rows, ctx.bool('no-headers')));
  return 0;
}

export interface PodUsage {
  namespace: string;
  name: string;
  containers: Array<{ name: string; cpu: number; memory: number }>;
}

export function podTopRows(pods: PodUsage[], options: { allNamespaces: boolean; containers: boolean; sortBy: string }): string[][] {
  const ns = (p: PodUsage) => (options.allNamespaces ? [p.namespace] : []);
  const total = (p: PodUsage) => ({ ...p, cpu: p.containers.reduce((n, c) => n + c.cpu, 0), memory: p.containers.reduce((n, c) => n + c.memory, 0) });
  const sorted = sortUsage(pods.map(total), options.sortBy);
  const header = [...(options.allNamespaces ? ['NAMESPACE'] : []), ...(options.containers ? ['POD', 'NAME'] : ['NAME']), 'CPU(cores)', 'MEMORY(bytes)'];
  const rows = options.containers ? sorted.flatMap((p) => p.containers.map((c) => [...ns(p), p.name, c.name, cores(c.cpu), mebibytes(c.memory)])) : sorted.map((p) => [...ns(p), p.name, cores(p.cpu), mebibytes(p.memory)]);
  return [header, ...rows];
}

export async function runTopPods(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const allNamespaces = ctx.bool('all-namespaces');
  let items = await listMetrics(ctx, metrics('pods', true), allNamespaces ? undefined : ctx.namespace);
  if (parsed.args.length) {
    items = items.filter((m) => parsed.args.includes(m.metadata.name));
    if (!items.length) throw new CliError(`podmetrics.metrics.k8s.io "${parsed.args[0]}" not found`);
  }
  if (!items.length) {
    ctx.err(allNamespaces ? 'No resources found\n' : `No resources found in ${ctx.namespace} namespace.\n`);
    return 0;
  }
  const pods: PodUsage[] = items.map((m) => ({
    namespace: m.metadata.namespace,
    name: m.metadata.name,
    containers: ((m.containers ?? []) as Obj[]).map((c) => ({ name: c.name, cpu: cpuMillis(c.usage?.cpu), memory: memoryBytes(c.usage?.memory) })),
  }));
  ctx.out(render(podTopRows(pods, { allNamespaces, containers: ctx.bool('containers'), sortBy: ctx.str('sort-by') }), ctx.bool('no-headers')));
  return 0;
}
