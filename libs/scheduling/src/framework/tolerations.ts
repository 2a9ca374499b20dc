// Kubernetes' toleration matching (core/v1 helper ToleratesTaint), shared by the plugins that
// let a toleration override a node condition.
import type { Taint, Toleration } from '@coxswain/api/browser';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/**
 * An empty effect matches every effect; an empty key (with Exists) matches every key;
 * Exists ignores the value, Equal (the default) compares it; any other operator tolerates nothing.
 */
export function toleratesTaint(toleration: Toleration, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (toleration.operator === 'Exists') return true;
  if (toleration.operator && toleration.operator !== 'Equal') return false;
  return (toleration.value ?? '') === (taint.value ?? '');
}

export function isTolerated(tolerations: readonly Toleration[], taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** The first taint no toleration covers, or undefined when all are tolerated. */
export function findUntoleratedTaint<T extends Pick<Taint, 'key' | 'value' | 'effect'>>(taints: readonly T[], tolerations: readonly Toleration[]): T | undefined {
  for (const taint of taints) if (!isTolerated(tolerations, taint)) return taint;
  return undefined;
}
