// The graph half of Kubernetes' node authorizer: a node may read a Secret, ConfigMap or
// PersistentVolumeClaim only while a Pod or VMI bound to it references that object, and a
// PersistentVolume only while it is bound to such a claim (or its local provisioner made it
// on that node). Looked up per request in the watch cache (a scan of the node's workloads), so
// a new binding is honoured at once.
import {
  claimNamesOf,
  forbidden,
  LOCAL_PROVISIONER,
  LOCAL_VOLUME_NODE_LABEL,
  PROVISIONED_BY_ANNOTATION,
  SELECTED_NODE_ANNOTATION,
  STORAGE_PROVISIONER_ANNOTATION, KubeObject, parseFieldSelector, qualifiedResource, resourceForKind, workloadConfigReferences } from '@coxswain/api';
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

export type ReferencedResource = 'secrets' | 'configmaps' | 'persistentvolumeclaims';

/** True when a workload bound to `node` in `namespace` references `resource`/`name`. */
export function referencesFrom(workloads: KubeObject[], node: string, resource: ReferencedResource, name: string): boolean {
  return workloads.some((w) => {
    const bound = (w as { spec?: { nodeName?: string } }).spec?.nodeName;
    if (bound !== node) return false;
    if (resource === 'persistentvolumeclaims') return claimNamesOf(w).includes(name);
    const refs = workloadConfigReferences(w as never);
    return (resource === 'secrets' ? refs.secrets : refs.configMaps).has(name);
  });
}

/** Pods and VMIs bound to `node` (in one namespace, or all), each with its kind. */
export async function workloadsOn(resources: ResourceService, ctx: RequestContext, node: string, namespace: string | undefined): Promise<KubeObject[]> {
  const workloads: KubeObject[] = [];
  for (const resource of WORKLOADS) {
    const list = await resources.list({ ...ctx, resource, info: { ...ctx.info, namespace, name: undefined }, query: new URLSearchParams({ fieldSelector: `spec.nodeName=${node}` }) });
    workloads.push(...((list.items ?? []) as KubeObject[]).map((w) => ({ ...w, kind: resource.kind })));
  }
  return workloads;
}

const CLAIMS = resourceForKind('PersistentVolumeClaim')!;
const VOLUMES = resourceForKind('PersistentVolume')!;

/** The claims (namespace/name) of the workloads bound to `node`. */
export function claimKeysOf(workloads: KubeObject[], node: string): Array<[string, string]> {
  const keys = new Map<string, [string, string]>();
  for (const w of workloads) {
    if ((w as { spec?: { nodeName?: string } }).spec?.nodeName !== node) continue;
    for (const claim of claimNamesOf(w)) keys.set(`${w.metadata?.namespace}/${claim}`, [w.metadata?.namespace ?? '', claim]);
  }
  return [...keys.values()];
}

const denied = (ctx: RequestContext, name: string, node: string, why = `no relationship found between node '${node}' and this object`) =>
  forbidden(ctx.user.name, ctx.info.verb, { resource: qualifiedResource(ctx.resource), name, group: ctx.resource.group }, ctx.info.namespace, why);

export async function checkNodeReference(resources: ResourceService, ctx: RequestContext, name: string, node: string): Promise<void> {
  if (ctx.resource.plural === 'persistentvolumes') return checkVolumeReference(resources, ctx, name, node);
  const namespace = ctx.info.namespace;
  const workloads = namespace ? await workloadsOn(resources, ctx, node, namespace) : [];
  if (namespace && referencesFrom(workloads, node, ctx.resource.plural as ReferencedResource, name)) return;
  throw denied(ctx, name, node);
}

/** A volume is reachable from a node when its local provisioner made it there, or it is bound to a claim of a workload on the node (pod → claim → volume). */
async function checkVolumeReference(resources: ResourceService, ctx: RequestContext, name: string, node: string): Promise<void> {
  const pv = await resources.load(VOLUMES, undefined, name).catch(() => undefined);
  if (pv && provisionedHere(pv, node)) return;
  for (const [namespace, claimName] of claimKeysOf(await workloadsOn(resources, ctx, node, undefined), node)) {
    const claim = (await resources.load(CLAIMS, namespace, claimName).catch(() => undefined)) as { spec?: { volumeName?: string } } | undefined;
    if (claim?.spec?.volumeName === name) return;
  }
  throw denied(ctx, name, node);
}


type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Exactly one node affinity term with one `kubernetes.io/hostname In [node]` expression. */
function pinnedTo(pv: Obj): string | undefined {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  if (!Array.isArray(terms) || terms.length !== 1) return undefined;
  const [term] = terms;
  if (term?.matchFields?.length || !Array.isArray(term?.matchExpressions) || term.matchExpressions.length !== 1) return undefined;
  const [e] = term.matchExpressions;
  return e?.key === 'kubernetes.io/hostname' && e.operator === 'In' && Array.isArray(e.values) && e.values.length === 1 ? e.values[0] : undefined;
}

/** Made by the local provisioner on `node`: its annotation, its node label and its node affinity agree. */
export function provisionedHere(pv: Obj, node: string): boolean {
  return pv.metadata?.annotations?.[PROVISIONED_BY_ANNOTATION] === LOCAL_PROVISIONER && pv.metadata?.labels?.[LOCAL_VOLUME_NODE_LABEL] === node && pinnedTo(pv) === node;
}

/**
 * Why a node may not create this PersistentVolume, or undefined when it may: only a `local`
 * volume of the local provisioner pinned to this node, named pvc-<claim uid> and pre-bound to a
 * claim the local provisioner was asked for and the scheduler selected this node for, still
 * unbound (NodeRestriction's way: the body and the claim, not the verb, decide).
 */
export function provisionRefusal(pv: Obj, claim: Obj | undefined, node: string): string | undefined {
  if (!provisionedHere(pv, node)) return `may only create volumes annotated ${PROVISIONED_BY_ANNOTATION}=${LOCAL_PROVISIONER}, labelled ${LOCAL_VOLUME_NODE_LABEL}=${node} and pinned to node "${node}"`;
  if (!pv.spec?.local?.path || Object.keys(pv.spec).some((k) => ['hostPath', 'nfs', 'csi', 'iscsi'].includes(k))) return 'may only create local volumes';
  const ref = pv.spec?.claimRef;
  if (!ref?.namespace || !ref?.name || !ref?.uid) return 'may only create volumes pre-bound to a claim (spec.claimRef namespace, name and uid)';
  if (!claim || claim.metadata?.uid !== ref.uid) return `claim ${ref.namespace}/${ref.name} with uid ${ref.uid} not found`;
  if (pv.metadata?.name !== `pvc-${ref.uid}`) return `the volume for claim ${ref.namespace}/${ref.name} must be named pvc-${ref.uid}`;
  if (claim.metadata?.annotations?.[STORAGE_PROVISIONER_ANNOTATION] !== LOCAL_PROVISIONER) return `claim ${ref.namespace}/${ref.name} is not to be provisioned by ${LOCAL_PROVISIONER}`;
  if (claim.metadata?.annotations?.[SELECTED_NODE_ANNOTATION] !== node) return `claim ${ref.namespace}/${ref.name} is not selected to node "${node}"`;
  if (claim.spec?.volumeName) return `claim ${ref.namespace}/${ref.name} is already bound`;
  return undefined;
}

export async function checkNodeProvision(resources: ResourceService, ctx: RequestContext, body: Obj, node: string): Promise<void> {
  const ref = body?.spec?.claimRef;
  const claim = ref?.namespace && ref?.name ? ((await resources.load(CLAIMS, ref.namespace, ref.name).catch(() => undefined)) as Obj | undefined) : undefined;
  const why = provisionRefusal(body ?? {}, claim, node);
  if (why) throw denied(ctx, body?.metadata?.name ?? '', node, why);
}

export async function checkNodeProvisioned(resources: ResourceService, ctx: RequestContext, name: string, node: string): Promise<void> {
  const pv = await resources.load(VOLUMES, undefined, name);
  if (!provisionedHere(pv as Obj, node)) throw denied(ctx, name, node, `may only delete volumes its local provisioner made on node "${node}"`);
}
