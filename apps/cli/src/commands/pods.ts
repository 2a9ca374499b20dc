// Picking the pod and container logs / exec talk to: `POD`, `pod/NAME`, or a workload
// (`deploy/web`) whose best pod is chosen, and the container kubectl would default to.
import { CommandContext } from '../context';
import { CliError } from '../errors';
import { formatLabelSelector } from '../printers/selector';
import { ResourceMapper } from '../resources/mapper';
import { Obj } from '../types';

export const PODS = ResourceMapper.builtinKind('Pod');
const DEFAULT_CONTAINER = 'kubectl.kubernetes.io/default-container';

/** Ranks pods like kubectl's GetFirstPod: running and ready first, then the newest. */
export function pickPod(pods: Obj[]): Obj | undefined {
  const score = (p: Obj) => (p.status?.phase === 'Running' ? 2 : p.status?.phase === 'Pending' ? 1 : 0) * 2 + (((p.status?.conditions ?? []) as Obj[]).some((c) => c.type === 'Ready' && c.status === 'True') ? 1 : 0);
  return [...pods].filter((p) => !p.metadata?.deletionTimestamp).sort((a, b) => score(b) - score(a) || Date.parse(b.metadata?.creationTimestamp ?? '') - Date.parse(a.metadata?.creationTimestamp ?? ''))[0];
}

/** The pod an argument names (`web-0`, `pod/web-0`, `deployment/web`, `rs/web-abc`). */
export async function resolvePod(ctx: CommandContext, arg: string): Promise<Obj> {
  const namespace = ctx.namespace;
  const slash = arg.indexOf('/');
  if (slash < 0) return ctx.client.get<Obj>(PODS, arg, { namespace });
  const resource = await ctx.mapper.resolve(arg.slice(0, slash));
  const name = arg.slice(slash + 1);
  if (resource.kind === 'Pod') return ctx.client.get<Obj>(PODS, name, { namespace });
  const owner = await ctx.client.get<Obj>(resource, name, { namespace });
  const selector = owner.spec?.selector;
  if (!selector) throw new CliError(`cannot find the pods of ${resource.kind} ${name}: it has no selector`);
  const pods = await ctx.client.list<Obj>(PODS, { namespace, labelSelector: formatLabelSelector(selector) });
  const pod = pickPod(pods.items);
  if (!pod) throw new CliError(`no pods found for ${resource.kind.toLowerCase()} "${name}"`);
  return pod;
}

/** -c, else the default-container annotation, else the first container (saying so when there are several). */
export function chooseContainer(pod: Obj, requested: string, notice: (text: string) => void): string {
  const containers = (pod.spec?.containers ?? []) as Obj[];
  const all = [...containers, ...((pod.spec?.initContainers ?? []) as Obj[]), ...((pod.spec?.ephemeralContainers ?? []) as Obj[])];
  if (requested) {
    if (!all.some((c) => c.name === requested)) throw new CliError(`container ${requested} is not valid for pod ${pod.metadata?.name}`);
    return requested;
  }
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER];
  if (annotated && containers.some((c) => c.name === annotated)) return annotated;
  if (!containers.length) throw new CliError(`pod ${pod.metadata?.name} has no containers`);
  if (containers.length > 1) notice(`Defaulted container "${containers[0].name}" out of: ${containers.map((c) => c.name).join(', ')}\n`);
  return containers[0].name;
}
