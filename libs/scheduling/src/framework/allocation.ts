// What the resource-scoring plugins share: per resource, what the node would have requested
// after placing the workload (non-zero defaults) against what it can allocate. Computed
// inline without allocating: these run for every candidate node of every attempt.
import { NodeInfo } from './node-info';
import { Workload } from './workload';

/** Relative weights of cpu and memory in a score; Kubernetes' default is 1 : 1. */
export interface ResourceWeights {
  cpu: number;
  memory: number;
}

export const DEFAULT_RESOURCE_WEIGHTS: ResourceWeights = { cpu: 1, memory: 1 };

/**
 * Weighted mean of a per-resource score over cpu and memory after placement, floored like
 * Kubernetes' integer arithmetic.
 */
export function weightedScore(
  workload: Pick<Workload, 'nonZero'>,
  node: Pick<NodeInfo, 'nonZeroRequested' | 'allocatable'>,
  weights: ResourceWeights,
  perResource: (requested: number, allocatable: number) => number,
): number {
  const total = weights.cpu + weights.memory;
  if (total <= 0) return 0;
  const cpu = perResource(node.nonZeroRequested.milliCpu + workload.nonZero.milliCpu, node.allocatable.milliCpu);
  const memory = perResource(node.nonZeroRequested.memory + workload.nonZero.memory, node.allocatable.memory);
  return Math.floor((weights.cpu * cpu + weights.memory * memory) / total);
}
