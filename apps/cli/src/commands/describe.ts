// coxctl describe: a readable page per object with what relates to it (its replica sets,
// pods, node usage) and its events.
import { isNotFound } from '@coxswain/client';
import { ParsedArgs } from '../cli/spec';
import { CommandContext } from '../context';
import { describeNamespace, describeDeployment, describeGeneric, describeNode, describeReplicaSet } from '../describe/workloads';
import { describeCronJob, describeDaemonSet, describeJob, describePodDisruptionBudget, describeStatefulSet } from '../describe/batch';
import { describePod } from '../describe/pod';
import { describeConfigMap, describeSecret } from '../describe/config';
import { describeService } from '../describe/network';
import { formatLabelSelector } from '../printers/selector';
import { ApiResource, ResourceMapper } from '../resources/mapper';
import { Obj } from '../types';
import { eachObject, manifestNamespace, requestNamespace, resolveTargets, selectorOptions, withTypeMeta } from './common';

const EVENTS = ResourceMapper.builtinKind('Event');
const PODS = ResourceMapper.builtinKind('Pod');
const LEASES = ResourceMapper.builtinKind('Lease');
const REPLICA_SETS = ResourceMapper.builtinKind('ReplicaSet');
const ENDPOINT_SLICES = ResourceMapper.builtinKind('EndpointSlice');

/** Events about one object, the way kubectl finds them (field selector on involvedObject). */
export async function eventsFor(ctx: CommandContext, obj: Obj): Promise<Obj[]> {
  const meta = obj.metadata ?? {};
  const terms = [`involvedObject.name=${meta.name}`, `involvedObject.kind=${obj.kind}`];
  if (meta.namespace) terms.push(`involvedObject.namespace=${meta.namespace}`);
  if (meta.uid) terms.push(`involvedObject.uid=${meta.uid}`);
  try {
    return (await ctx.client.list<Obj>(EVENTS, { namespace: meta.namespace || undefined, fieldSelector: terms.join(',') })).items;
  } catch {
    return [];
  }
}

async function describeOne(ctx: CommandContext, resource: ApiResource, obj: Obj): Promise<string> {
  const now = ctx.now();
  const events = ctx.bool('show-events') ? await eventsFor(ctx, obj) : undefined;
  const ns = obj.metadata?.namespace;
  switch (`${resource.group}/${resource.kind}`) {
    case '/Pod':
      return describePod(obj, events, now);
    case 'apps/Deployment': {
      const rs = await ctx.client.list<Obj>(REPLICA_SETS, { namespace: ns, labelSelector: formatLabelSelector(obj.spec?.selector) });
      const owned = rs.items.filter((r) => (r.metadata?.ownerReferences ?? []).some((o: Obj) => o.uid === obj.metadata?.uid));
      return describeDeployment(obj, owned, events, now);
    }
    case 'apps/ReplicaSet': {
      const pods = await ctx.client.list<Obj>(PODS, { namespace: ns, labelSelector: formatLabelSelector(obj.spec?.selector) });
      return describeReplicaSet(obj, pods.items, events, now);
    }
    case 'apps/DaemonSet':
    case 'apps/StatefulSet': {
      const pods = await ctx.client.list<Obj>(PODS, { namespace: ns, labelSelector: formatLabelSelector(obj.spec?.selector) });
      const owned = pods.items.filter((p) => (p.metadata?.ownerReferences ?? []).some((o: Obj) => o.uid === obj.metadata?.uid));
      return resource.kind === 'DaemonSet' ? describeDaemonSet(obj, owned, events, now) : describeStatefulSet(obj, owned, events, now);
    }
    case 'batch/Job':
      return describeJob(obj, events, now);
    case 'batch/CronJob':
      return describeCronJob(obj, events, now);
    case 'policy/PodDisruptionBudget':
      return describePodDisruptionBudget(obj, events, now);
    case '/Node': {
      const pods = await ctx.client.listAll<Obj>(PODS, { fieldSelector: `spec.nodeName=${obj.metadata?.name}` });
      const running = pods.items.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
      const lease = await ctx.client.get<Obj>(LEASES, obj.metadata?.name, { namespace: 'kube-node-lease' }).catch(() => undefined);
      return describeNode(obj, running, events, now, lease);
    }
    case '/Namespace':
      return describeNamespace(obj);
    case '/ConfigMap':
      return describeConfigMap(obj, events, now);
    case '/Secret':
      return describeSecret(obj);
    case '/Service':
      return describeService(obj, (await ctx.client.list<Obj>(ENDPOINT_SLICES, { namespace: ns, labelSelector: `kubernetes.io/service-name=${obj.metadata?.name}` })).items, events, now);
    default:
      return describeGeneric(withTypeMeta(resource, obj), events, now);
  }
}

export async function runDescribe(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const { targets } = await resolveTargets(ctx, parsed.args, 'describe');
  const allNamespaces = ctx.bool('all-namespaces');
  const found: Array<{ resource: ApiResource; obj: Obj }> = [];
  let ok = true;
  for (const target of targets) {
    const { resource } = target;
    if (!target.names.length) {
      const list = await ctx.client.listAll<Obj>(resource, { namespace: requestNamespace(ctx, resource, allNamespaces), ...selectorOptions(ctx) });
      for (const obj of list.items) found.push({ resource, obj: withTypeMeta(resource, obj) });
      continue;
    }
    const items = target.names.map((name, i) => ({ name, manifest: target.manifests?.[i] }));
    ok =
      (await eachObject(ctx, items, async ({ name, manifest }) => {
        const namespace = manifest ? manifestNamespace(ctx, resource, manifest.object) : requestNamespace(ctx, resource);
        try {
          found.push({ resource, obj: withTypeMeta(resource, await ctx.client.get<Obj>(resource, name, { namespace })) });
        } catch (error) {
          // `describe pods web` describes every pod whose name starts with "web".
          if (!isNotFound(error)) throw error;
          const list = await ctx.client.listAll<Obj>(resource, { namespace });
          const prefixed = list.items.filter((o) => String(o.metadata?.name).startsWith(name));
          if (!prefixed.length) throw error;
          for (const obj of prefixed) found.push({ resource, obj: withTypeMeta(resource, obj) });
        }
      })) && ok;
  }
  if (!found.length && ok) {
    ctx.err(targets.some((t) => t.resource.namespaced) && !allNamespaces ? `No resources found in ${ctx.namespace} namespace.\n` : 'No resources found\n');
    return 0;
  }
  const pages: string[] = [];
  for (const { resource, obj } of found) pages.push(await describeOne(ctx, resource, obj));
  ctx.out(pages.join('\n\n'));
  return ok ? 0 : 1;
}
