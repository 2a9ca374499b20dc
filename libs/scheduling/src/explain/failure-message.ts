// The one-line explanation Kubernetes users know from `kubectl describe pod`.
import { Diagnosis, reasonCounts } from './diagnosis';

/**
 * `0/3 nodes are available: 2 Insufficient memory, 1 node(s) had untolerated taint {k: v}.`
 * Reasons are listed most frequent first (then alphabetically) so the dominant cause leads.
 */
export function failureMessage(diagnosis: Pick<Diagnosis, 'nodeCount' | 'reasons'>): string {
  if (diagnosis.nodeCount === 0) return 'no nodes available to schedule pods';
  const parts = reasonCounts(diagnosis.reasons).map(({ reason, count }) => `${count} ${reason}`);
  const head = `0/${diagnosis.nodeCount} nodes are available`;
  return parts.length === 0 ? `${head}.` : `${head}: ${parts.join(', ')}.`;
}
