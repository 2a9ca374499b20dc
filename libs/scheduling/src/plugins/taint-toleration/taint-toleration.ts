// TaintToleration: NoSchedule and NoExecute taints must be tolerated (filter); fewer
// untolerated PreferNoSchedule taints rank a node higher (score, normalized over candidates).
import type { Taint } from '@coxswain/api/browser';
import { NodeInfo } from '../../framework/node-info';
import { Status, SUCCESS, unresolvable } from '../../framework/status';
import { findUntoleratedTaint, toleratesTaint } from '../../framework/tolerations';
import { ClusterEvent, FilterPlugin, MAX_NODE_SCORE, ScorePlugin } from '../../framework/types';
import { Workload } from '../../framework/workload';

export const TAINT_TOLERATION = 'TaintToleration';

/** Kubernetes' wording, with the taint that blocked (value printed even when empty). */
export const untoleratedTaintReason = (taint: Pick<Taint, 'key' | 'value'>): string => `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;

/** How many PreferNoSchedule taints no toleration (with an empty or PreferNoSchedule effect) covers. */
export function countIntolerablePreferNoSchedule(taints: readonly Taint[], workload: Pick<Workload, 'tolerations'>): number {
  let count = 0;
  for (const taint of taints) {
    if (!workload.tolerations.some((t) => (!t.effect || t.effect === 'PreferNoSchedule') && toleratesTaint(t, taint))) count++;
  }
  return count;
}

/** Reverse-normalizes counts to 0..100: the node with most untolerated taints scores 0, none scores 100. */
export function reverseNormalize(scores: Float64Array, count: number): void {
  let max = 0;
  for (let i = 0; i < count; i++) max = Math.max(max, scores[i]);
  for (let i = 0; i < count; i++) scores[i] = max === 0 ? MAX_NODE_SCORE : MAX_NODE_SCORE - Math.floor((scores[i] * MAX_NODE_SCORE) / max);
}

export class TaintToleration implements FilterPlugin, ScorePlugin {
  readonly name = TAINT_TOLERATION;
  readonly events: readonly ClusterEvent[] = ['NodeAdd', 'NodeTaints'];

  filter(workload: Workload, node: NodeInfo): Status {
    if (node.hardTaints.length === 0) return SUCCESS;
    const taint = findUntoleratedTaint(node.hardTaints, workload.tolerations);
    return taint ? unresolvable(untoleratedTaintReason(taint)) : SUCCESS;
  }

  score(workload: Workload, node: NodeInfo): number {
    return node.preferNoScheduleTaints.length === 0 ? 0 : countIntolerablePreferNoSchedule(node.preferNoScheduleTaints, workload);
  }

  normalize(scores: Float64Array, count: number): void {
    reverseNormalize(scores, count);
  }
}

export const newTaintToleration = (): TaintToleration => new TaintToleration();
