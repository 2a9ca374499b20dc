// The graph half of Kubernetes' node authorizer: a node may read a Secret or ConfigMap only
// while a Pod or VMI bound to it references that object. Looked up per request in the watch
// cache (a scan of the namespace's workloads), so a new binding is honoured at once.
import { forbidden, KubeObject, parseFieldSelector, qualifiedResource, resourceForKind, workloadConfigReferences } from '@coxswain/api';
import { RequestContext } from '../rest/context';
import { ResourceService } from '../rest/resource-service';

const WORKLOADS = [resourceForKind('Pod')!, resourceForKind('VirtualMachineInstance')!];

/** `metadata.name=x` as the only field selector of a list/watch names one object (Kubernetes' RequestInfo does the same). */
export function nameFromFieldSelector(verb: string, query: URLSearchParams): string | undefined {
  if (verb !== 'list' && verb !== 'watch') return undefined;
  const text = query.get('fieldSelector');
  if (!text) return undefined;
  try {
    const requirements = parseFieldSelector(text);
    if (requirements.length !== 1) return undefined;
    const [r] = requirements;
    return r.field === 'metadata.name' && r.operator === 'Equals' && r.value !== '' ? r.value : undefined;
  } catch {
    return undefined;
  }
}

/** True when a workload bound to `node` in `namespace` references `resource`/`name`. */
export function referencesFrom(workloads: KubeObject[], node: string, resource: 'secrets' | 'configmaps', name: string): boolean {
  return workloads.some((w) => {
    const bound = (w as { spec?: { nodeName?: string } }).spec?.nodeName;
    if (bound !== node) return false;
    const refs = workloadConfigReferences(w as never);
    return (resource === 'secrets' ? refs.secrets : refs.configMaps).has(name);
  });
}

export async function checkNodeReference(resources: ResourceService, ctx: RequestContext, name: string, node: string): Promise<void> {
  const namespace = ctx.info.namespace;
  const workloads: KubeObject[] = [];
  for (const resource of WORKLOADS) {
    const list = await resources.list({ ...ctx, resource, info: { ...ctx.info, name: undefined }, query: new URLSearchParams({ fieldSelector: `spec.nodeName=${node}` }) });
    workloads.push(...((list.items ?? []) as KubeObject[]).map((w) => ({ ...w, kind: resource.kind })));
  }
  if (namespace && referencesFrom(workloads, node, ctx.resource.plural as 'secrets' | 'configmaps', name)) return;
  throw forbidden(ctx.user.name, ctx.info.verb, { resource: qualifiedResource(ctx.resource), name, group: ctx.resource.group }, namespace, `no relationship found between node '${node}' and this object`);
}
