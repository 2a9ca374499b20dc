// DaemonSet: one pod per eligible node, placed through the scheduler (each pod pinned to its
// node by required node affinity on metadata.name); RollingUpdate within maxUnavailable /
// maxSurge, or OnDelete. Pure: the controller feeds in the nodes and the pods it controls.
import { CONTROLLER_REVISION_HASH_LABEL, DaemonSet, DaemonSetStatus, Node, Pod } from '@coxswain/api';
import { scaledValue } from '../deployment/util';
import { controllerRef } from '../framework/owners';
import { isAvailable, msUntilAvailable, podView } from '../framework/workloads';
import { daemonTolerations, nodeFit, pinnedAffinity, targetNodeOf } from './eligibility';

export const POD_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

export interface DaemonSetInput {
  ds: DaemonSet;
  nodes: Node[];
  /** Pods the DaemonSet controls. */
  pods: Pod[];
  /** controller-revision-hash of the current template. */
  hash: string;
  now: number;
  expectationsSatisfied: boolean;
}

export interface DaemonSetPlan {
  /** Node names to create a pod for. */
  create: string[];
  delete: Pod[];
  status: DaemonSetStatus;
  requeueAfterMs?: number;
}

const oldestFirst = (a: Pod, b: Pod) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');

export function planDaemonSet(input: DaemonSetInput): DaemonSetPlan {
  const { ds, hash, now } = input;
  const minReady = ds.spec.minReadySeconds ?? 0;
  const plan: DaemonSetPlan = { create: [], delete: [], status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 } };
  const live = input.pods.filter((p) => !p.metadata.deletionTimestamp);
  const byNode = new Map<string, Pod[]>();
  for (const pod of live) {
    const node = targetNodeOf(pod.spec) ?? '';
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  const isNew = (p: Pod) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash;
  const available = (p: Pod) => isAvailable(podView(p), minReady, now);
  const rolling = (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

  // Per node: what should run there, and the pods that are there.
  const desired: Array<{ node: string; pods: Pod[] }> = [];
  const known = new Set<string>();
  for (const node of input.nodes) {
    const name = node.metadata.name!;
    known.add(name);
    const fit = nodeFit(ds.spec.template.spec, node);
    const pods = [...(byNode.get(name) ?? [])].sort(oldestFirst);
    if (!fit.shouldContinueRunning || (!fit.shouldRun && pods.length === 0)) {
      plan.delete.push(...pods);
      if (pods.length) plan.status.numberMisscheduled++;
      continue;
    }
    if (!fit.shouldRun) {
      // Untolerated NoSchedule only: what runs may stay, but the node is not desired.
      plan.status.numberMisscheduled++;
      continue;
    }
    // Failed pods are deleted (and replaced on a later pass); extra copies go, oldest stays.
    const failed = pods.filter((p) => p.status?.phase === 'Failed');
    plan.delete.push(...failed);
    const running = pods.filter((p) => p.status?.phase !== 'Failed');
    const keep = keepOnNode(running, isNew);
    plan.delete.push(...running.filter((p) => !keep.includes(p)));
    desired.push({ node: name, pods: keep });
    if (keep.length === 0) plan.create.push(name);
  }
  for (const [node, pods] of byNode) if (!known.has(node)) plan.delete.push(...pods);

  const status = plan.status;
  status.desiredNumberScheduled = desired.length;
  status.currentNumberScheduled = desired.filter((d) => d.pods.length > 0).length;
  status.numberReady = desired.filter((d) => d.pods.some((p) => podView(p).ready)).length;
  status.numberAvailable = desired.filter((d) => d.pods.some(available)).length;
  status.updatedNumberScheduled = desired.filter((d) => d.pods.some(isNew)).length;
  status.numberUnavailable = status.desiredNumberScheduled - status.numberAvailable;
  status.observedGeneration = ds.metadata.generation;
  if (ds.status?.collisionCount !== undefined) status.collisionCount = ds.status.collisionCount;
  const waits = live.map((p) => msUntilAvailable(podView(p), minReady, now)).filter((ms): ms is number => ms !== undefined);
  if (waits.length) plan.requeueAfterMs = Math.min(...waits) + 1;

  if (!input.expectationsSatisfied) return { ...plan, create: [], delete: [] };
  if (rolling) rollingUpdate(ds, desired, isNew, available, plan);
  return plan;
}

/** One pod per node; during a surge, the oldest old pod and the oldest new pod. */
function keepOnNode(pods: Pod[], isNew: (p: Pod) => boolean): Pod[] {
  if (pods.length <= 1) return pods;
  const newest = pods.find(isNew);
  const old = pods.find((p) => !isNew(p));
  return [old, newest].filter((p): p is Pod => p !== undefined);
}

function rollingUpdate(ds: DaemonSet, desired: Array<{ node: string; pods: Pod[] }>, isNew: (p: Pod) => boolean, available: (p: Pod) => boolean, plan: DaemonSetPlan): void {
  const total = desired.length;
  const ru = ds.spec.updateStrategy?.rollingUpdate;
  const maxSurge = scaledValue(ru?.maxSurge, total, true, '0');
  let maxUnavailable = scaledValue(ru?.maxUnavailable, total, true, '1');
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;

  if (maxSurge === 0) {
    // Old pods that are not available anyway go first; then available ones within the budget.
    let unavailable = desired.filter((d) => !d.pods.some(available)).length;
    const candidates: Pod[] = [];
    for (const { pods } of desired) {
      const old = pods.find((p) => !isNew(p));
      if (!old) continue;
      if (!available(old)) plan.delete.push(old);
      else candidates.push(old);
    }
    for (const pod of candidates) {
      if (unavailable >= maxUnavailable) break;
      plan.delete.push(pod);
      unavailable++;
    }
    return;
  }
  // Surge: start the new pod beside the old one (at most maxSurge at a time), drop the old one
  // once the new one is available.
  let surging = desired.filter((d) => d.pods.some(isNew) && d.pods.some((p) => !isNew(p))).length;
  for (const { node, pods } of desired) {
    const old = pods.find((p) => !isNew(p));
    const fresh = pods.find(isNew);
    if (!old) continue;
    if (fresh) {
      if (available(fresh)) plan.delete.push(old);
    } else if (!available(old)) {
      plan.delete.push(old);
    } else if (surging < maxSurge) {
      plan.create.push(node);
      surging++;
    }
  }
}

export const daemonSetIdentity = (ds: DaemonSet) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: ds.metadata });

/** The pod for one node: the template, its hash and generation labels, pinned to the node, with the daemon tolerations. */
export function podForNode(ds: DaemonSet, nodeName: string, hash: string): Pod {
  const meta = ds.spec.template.metadata ?? {};
  const spec = structuredClone(ds.spec.template.spec);
  spec.affinity = pinnedAffinity(spec, nodeName);
  spec.tolerations = daemonTolerations(spec);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name}-`,
      namespace: ds.metadata.namespace,
      labels: { ...(meta.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash, [POD_TEMPLATE_GENERATION_LABEL]: String(ds.metadata.generation ?? 1) },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ownerReferences: [controllerRef(daemonSetIdentity(ds))],
    },
    spec,
  };
}
