// The eviction subresource's rules (Kubernetes' EvictionREST): a pod (or VMI) that is done,
// pending or already terminating goes without a budget check; otherwise the one
// PodDisruptionBudget selecting it must allow a disruption, which the eviction spends
// (disruptionsAllowed − 1, the pod listed in disruptedPods) before the delete.
import { findCondition, internalError, KubeObject, PodDisruptionBudget, rfc3339, selectorMatches, StatusError, tooManyRequests } from '@coxswain/api';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const DISRUPTION_VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";
/** Kubernetes refuses more pending disruptions than this per budget. */
export const MAX_DISRUPTED_PODS = 2000;

export type EvictionDecision =
  | { kind: 'delete' }
  /** Spend one disruption of `budget` (write `status`, guarded by its resourceVersion), then delete. */
  | { kind: 'spend'; budget: PodDisruptionBudget; status: NonNullable<PodDisruptionBudget['status']> }
  | { kind: 'reject'; error: StatusError };

/** Ready as the disruption controller counts it: a Ready pod, a running VMI without a False Ready condition. */
export function isHealthyWorkload(obj: KubeObject): boolean {
  const o = obj as Obj;
  const ready = findCondition<{ type: string; status?: string }>(o.status?.conditions, 'Ready');
  if (o.kind === 'VirtualMachineInstance') return o.status?.phase === 'Running' && ready?.status !== 'False';
  return ready?.status === 'True';
}

function budgetViolation(message: string, causeMessage: string): StatusError {
  const error = tooManyRequests(message, 0);
  error.status.details = { ...(error.status.details ?? {}), causes: [{ reason: 'DisruptionBudget', message: causeMessage }] };
  return error;
}

export function decideEviction(target: KubeObject, budgets: PodDisruptionBudget[], now: Date): EvictionDecision {
  const o = target as Obj;
  if (o.metadata.deletionTimestamp) return { kind: 'delete' };
  const phase = o.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || phase === undefined) return { kind: 'delete' };
  const matching = budgets.filter((b) => b.metadata.namespace === o.metadata.namespace && b.spec?.selector && selectorMatches(b.spec.selector, o.metadata.labels));
  if (matching.length > 1) return { kind: 'reject', error: internalError('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.') };
  if (matching.length === 0) return { kind: 'delete' };
  const budget = matching[0];
  const status = budget.status;
  if (!isHealthyWorkload(target)) {
    // An unhealthy pod does not count toward the budget; it may go while the budget holds.
    if (budget.spec.unhealthyPodEvictionPolicy === 'AlwaysAllow') return { kind: 'delete' };
    if (status && status.desiredHealthy > 0 && status.currentHealthy >= status.desiredHealthy) return { kind: 'delete' };
  }
  if (!status || (status.observedGeneration ?? 0) < (budget.metadata.generation ?? 1)) {
    return { kind: 'reject', error: budgetViolation(DISRUPTION_VIOLATION, `The disruption budget ${budget.metadata.name} is still being processed by the server.`) };
  }
  if (status.disruptionsAllowed < 0) return { kind: 'reject', error: internalError('pdb disruptions allowed is negative') };
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) return { kind: 'reject', error: internalError('DisruptedPods map too big - too many evictions not confirmed by PDB controller') };
  if (status.disruptionsAllowed === 0) {
    return { kind: 'reject', error: budgetViolation(DISRUPTION_VIOLATION, `The disruption budget ${budget.metadata.name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`) };
  }
  return {
    kind: 'spend',
    budget,
    status: { ...status, disruptionsAllowed: status.disruptionsAllowed - 1, disruptedPods: { ...(status.disruptedPods ?? {}), [o.metadata.name]: rfc3339(now) } },
  };
}
