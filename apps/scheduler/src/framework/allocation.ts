// The view the resource-scoring plugins share: per resource, what the node would have
// requested after placing the workload (non-zero defaults) against what it can allocate.
import { NodeInfo } from './node-info';
import { Workload } from './workload';

/** Relative weights of cpu and memory in a score; Kubernetes' default is 1 : 1. */
export interface ResourceWeights {
  cpu: number;
  memory: number;
}

export const DEFAULT_RESOURCE_WEIGHTS: ResourceWeights = { cpu: 1, memory: 1 };

export interface Allocation {
  cpu: { requested: number; allocatable: number };
  memory: { requested: number; allocatable: number };
}

export function allocationAfter(workload: Pick<Workload, 'nonZero'>, node: Pick<NodeInfo, 'nonZeroRequested' | 'allocatable'>): Allocation {
  return {
    cpu: { requested: node.nonZeroRequested.milliCpu + workload.nonZero.milliCpu, allocatable: node.allocatable.milliCpu },
    memory: { requested: node.nonZeroRequested.memory + workload.nonZero.memory, allocatable: node.allocatable.memory },
  };
}

/** Weighted mean of a per-resource score, floored like Kubernetes' integer arithmetic. */
export function weightedScore(alloc: Allocation, weights: ResourceWeights, perResource: (requested: number, allocatable: number) => number): number {
  const total = weights.cpu + weights.memory;
  if (total <= 0) return 0;
  const sum = weights.cpu * perResource(alloc.cpu.requested, alloc.cpu.allocatable) + weights.memory * perResource(alloc.memory.requested, alloc.memory.allocatable);
  return Math.floor(sum / total);
}
