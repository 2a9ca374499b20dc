// Node lifecycle: a node whose agent stops renewing its Lease (and stops posting a Ready
// heartbeat) for the grace period gets Ready=Unknown and the unreachable taints; a node
// that reports Ready=False gets the not-ready taints. Workloads on a node with NoExecute
// taints they do not tolerate are evicted when their toleration runs out.
import { Condition, Node, Taint, Toleration } from '@coxswain/api';
import { toleratesTaint } from '@coxswain/scheduling';
import { parseTime, rfc3339 } from '../framework/time';

export const UNREACHABLE = 'node.kubernetes.io/unreachable';
export const NOT_READY = 'node.kubernetes.io/not-ready';

export interface NodeLifecycleConfig {
  /** No heartbeat for this long → Ready=Unknown (Kubernetes: node-monitor-grace-period). */
  gracePeriodMs: number;
  /** How long workloads tolerate not-ready/unreachable unless they say otherwise. */
  podEvictionTimeoutMs: number;
}

/** What the controller remembers per node between passes (Kubernetes' nodeHealth). */
export interface NodeHealth {
  /** Our clock when the heartbeat last changed: immune to skew between agent and controller. */
  probeTimestamp: number;
  heartbeat: string;
}

export interface NodeHealthInput {
  node: Node;
  /** renewTime of kube-node-lease/<node>, if any. */
  leaseRenewTime?: string;
  previous?: NodeHealth;
  now: number;
  config: NodeLifecycleConfig;
}

export interface NodeHealthPlan {
  health: NodeHealth;
  /** Ready as it should read after this pass. */
  ready: 'True' | 'False' | 'Unknown';
  /** Status conditions to write, when they change. */
  conditions?: Condition[];
  /** spec.taints to write, when they change. */
  taints?: Taint[];
  event?: { type: 'Normal' | 'Warning'; reason: string; message: string };
  requeueAfterMs?: number;
}

const readyCondition = (node: Node) => node.status?.conditions?.find((c) => c.type === 'Ready');

export function planNodeHealth(input: NodeHealthInput): NodeHealthPlan {
  const { node, now, config, previous } = input;
  const ready = readyCondition(node);
  const heartbeat = `${input.leaseRenewTime ?? ''}|${ready?.lastHeartbeatTime ?? ''}|${ready?.status ?? ''}`;
  const health: NodeHealth = previous && previous.heartbeat === heartbeat ? previous : { probeTimestamp: now, heartbeat };
  const expiresAt = health.probeTimestamp + config.gracePeriodMs;
  const stored = ready?.status ?? 'Unknown';
  let state: NodeHealthPlan['ready'] = stored === 'True' || stored === 'False' ? stored : 'Unknown';
  let conditions: Condition[] | undefined;
  if (now >= expiresAt && stored !== 'Unknown') {
    state = 'Unknown';
    const at = rfc3339(now);
    const list = node.status?.conditions ?? [];
    const unknown = (c: Condition): Condition => ({ ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: at });
    conditions = list.some((c) => c.type === 'Ready') ? list.map(unknown) : [...list.map(unknown), unknown({ type: 'Ready', status: 'Unknown', lastHeartbeatTime: ready?.lastHeartbeatTime })];
  } else if (now >= expiresAt) {
    state = 'Unknown';
  }
  const taints = wantedTaints(node.spec?.taints ?? [], state, now);
  const event =
    state !== stored && state === 'Unknown'
      ? { type: 'Normal' as const, reason: 'NodeNotReady', message: `Node ${node.metadata.name} status is now: NodeNotReady` }
      : undefined;
  return {
    health,
    ready: state,
    conditions,
    taints,
    event,
    requeueAfterMs: state === 'Unknown' ? undefined : Math.max(1, expiresAt - now + 1),
  };
}

/** The node's taints with exactly the not-ready/unreachable ones its state calls for; undefined if unchanged. */
function wantedTaints(current: Taint[], state: 'True' | 'False' | 'Unknown', now: number): Taint[] | undefined {
  const key = state === 'Unknown' ? UNREACHABLE : state === 'False' ? NOT_READY : undefined;
  const ours = (t: Taint) => t.key === UNREACHABLE || t.key === NOT_READY;
  const kept = current.filter((t) => !ours(t) || (t.key === key && (t.effect === 'NoExecute' || t.effect === 'NoSchedule')));
  if (key) {
    for (const effect of ['NoSchedule', 'NoExecute'] as const) {
      if (!kept.some((t) => t.key === key && t.effect === effect)) kept.push({ key, effect, timeAdded: rfc3339(now) });
    }
  }
  const same = kept.length === current.length && kept.every((t) => current.includes(t));
  return same ? undefined : kept;
}

export interface EvictionCandidate<T> {
  obj: T;
  tolerations: Toleration[];
  /** Finished or already being deleted: nothing to evict. */
  done: boolean;
}

export interface EvictionPlan<T> {
  evict: T[];
  /** The next time a toleration runs out. */
  requeueAfterMs?: number;
}

/**
 * Which workloads must leave a node with these taints now. A workload without a toleration
 * for not-ready/unreachable gets one for podEvictionTimeout (Kubernetes adds 300 s by
 * admission; Coxswain's default is 15 s); any other untolerated NoExecute taint evicts at once.
 */
export function planEvictions<T>(taints: Taint[], candidates: EvictionCandidate<T>[], now: number, podEvictionTimeoutMs: number): EvictionPlan<T> {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  const evict: T[] = [];
  let next: number | undefined;
  if (noExecute.length === 0) return { evict };
  for (const c of candidates) {
    if (c.done) continue;
    let evictAt = Number.POSITIVE_INFINITY;
    for (const taint of noExecute) {
      const added = parseTime(taint.timeAdded) ?? now;
      const matching = c.tolerations.filter((t) => toleratesTaint(t, taint));
      let allowMs: number;
      if (matching.length === 0) allowMs = taint.key === UNREACHABLE || taint.key === NOT_READY ? podEvictionTimeoutMs : 0;
      else if (matching.some((t) => t.tolerationSeconds === undefined || t.tolerationSeconds === null)) allowMs = Number.POSITIVE_INFINITY;
      else allowMs = Math.max(0, Math.min(...matching.map((t) => t.tolerationSeconds!)) * 1000);
      evictAt = Math.min(evictAt, added + allowMs);
    }
    if (evictAt <= now) evict.push(c.obj);
    else if (Number.isFinite(evictAt)) next = Math.min(next ?? Number.POSITIVE_INFINITY, evictAt - now);
  }
  return { evict, requeueAfterMs: next };
}
