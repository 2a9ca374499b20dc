// Disruption controller: how many of a PodDisruptionBudget's pods (and VMIs) are healthy,
// how many must be, and so how many may be evicted now. Pure: the controller feeds in the
// budget, the matching workloads and how to read their controllers' scale.
import { Condition, KubeObject, OwnerReference, PodDisruptionBudget, PodDisruptionBudgetStatus, controllerOf, findCondition, selectorMatches, setCondition } from '@coxswain/api';
import { scaledValue } from '../deployment/util';
import { parseTime, rfc3339 } from '../framework/time';

/** An eviction not followed by the pod's deletion within this long is forgotten (Kubernetes' DeletionTimeout). */
export const DISRUPTION_TIMEOUT_MS = 2 * 60_000;

export interface DisruptionInput {
  pdb: PodDisruptionBudget;
  /** Pods and VMIs of the budget's namespace. */
  workloads: KubeObject[];
  /** Replicas the controller of a workload wants, if it is a scalable kind we know. */
  scaleOf(namespace: string, ref: OwnerReference): number | undefined;
  now: number;
}

export interface DisruptionPlan {
  status: PodDisruptionBudgetStatus;
  requeueAfterMs?: number;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function isHealthy(obj: KubeObject): boolean {
  const o = obj as Obj;
  const ready = findCondition<{ type: string; status?: string }>(o.status?.conditions, 'Ready');
  if (o.kind === 'VirtualMachineInstance') return o.status?.phase === 'Running' && ready?.status !== 'False';
  return ready?.status === 'True';
}

/** Expected pods: the sum of their controllers' scale (a workload without a known one counts itself). */
function expectedCount(input: DisruptionInput, matching: KubeObject[]): number {
  const seen = new Set<string>();
  let total = 0;
  for (const obj of matching) {
    const ref = controllerOf(obj);
    const scale = ref ? input.scaleOf(obj.metadata.namespace ?? '', ref) : undefined;
    if (ref && scale !== undefined) {
      if (!seen.has(ref.uid)) total += scale;
      seen.add(ref.uid);
    } else {
      total += 1;
    }
  }
  return total;
}

export function planDisruption(input: DisruptionInput): DisruptionPlan {
  const { pdb, now } = input;
  const selector = pdb.spec.selector;
  const matching = selector ? input.workloads.filter((w) => selectorMatches(selector, w.metadata.labels)) : [];
  const byName = new Map(matching.map((w) => [`${w.kind}/${w.metadata.name}`, w]));
  const names = new Set(matching.map((w) => w.metadata.name));

  // Evictions in flight: the pod stays out of the healthy count until it is deleted or the entry expires.
  const disrupted: Record<string, string> = {};
  let requeueAfterMs: number | undefined;
  for (const [name, at] of Object.entries(pdb.status?.disruptedPods ?? {})) {
    const atMs = parseTime(at) ?? 0;
    const target = [...byName.values()].find((w) => w.metadata.name === name);
    if (!names.has(name) || target?.metadata.deletionTimestamp) continue;
    const expires = atMs + DISRUPTION_TIMEOUT_MS;
    if (expires <= now) continue;
    disrupted[name] = at;
    requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, expires - now);
  }

  const spec = pdb.spec;
  let expected: number;
  let desired: number;
  const isPercent = (v: unknown) => typeof v === 'string' && v.endsWith('%');
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    expected = expectedCount(input, matching);
    desired = Math.max(0, expected - scaledValue(spec.maxUnavailable, expected, true, '0'));
  } else if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (isPercent(spec.minAvailable)) {
      expected = expectedCount(input, matching);
      desired = scaledValue(spec.minAvailable, expected, true, '0');
    } else {
      expected = matching.length;
      desired = scaledValue(spec.minAvailable, expected, true, '0');
    }
  } else {
    expected = matching.length;
    desired = 0;
  }
  const currentHealthy = matching.filter((w) => !w.metadata.deletionTimestamp && !disrupted[w.metadata.name!] && isHealthy(w)).length;
  let allowed = currentHealthy - desired;
  if (expected <= 0 || allowed <= 0) allowed = 0;

  const condition: Condition =
    allowed > 0 ? { type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: pdb.metadata.generation } : { type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', observedGeneration: pdb.metadata.generation };
  const status: PodDisruptionBudgetStatus = {
    observedGeneration: pdb.metadata.generation,
    disruptionsAllowed: allowed,
    currentHealthy,
    desiredHealthy: desired,
    expectedPods: expected,
    conditions: setCondition(pdb.status?.conditions, condition, rfc3339(now)),
  };
  if (Object.keys(disrupted).length) status.disruptedPods = disrupted;
  return { status, requeueAfterMs: requeueAfterMs === undefined ? undefined : requeueAfterMs + 1 };
}
