// BalancedAllocation: prefer nodes whose cpu and memory would be used in similar fractions,
// so neither resource is stranded. Combine with Least- or MostAllocated.
import { DEFAULT_RESOURCE_WEIGHTS, ResourceWeights } from '../../framework/allocation';
import { NodeInfo } from '../../framework/node-info';
import { MAX_NODE_SCORE, ScorePlugin } from '../../framework/types';
import { Workload } from '../../framework/workload';

export const BALANCED_ALLOCATION = 'BalancedAllocation';

export interface BalancedAllocationArgs {
  resources?: Partial<ResourceWeights>;
}

/**
 * (1 − weighted standard deviation of the used fractions) × 100, fractions capped at 1. A
 * resource with weight 0 or nothing allocatable is left out; with one left, nothing to balance.
 */
export function balancedScore(cpuRequested: number, cpuAllocatable: number, memRequested: number, memAllocatable: number, weights: ResourceWeights): number {
  if (!(weights.cpu > 0 && cpuAllocatable > 0 && weights.memory > 0 && memAllocatable > 0)) return MAX_NODE_SCORE;
  const fc = Math.min(1, cpuRequested / cpuAllocatable);
  const fm = Math.min(1, memRequested / memAllocatable);
  const total = weights.cpu + weights.memory;
  const mean = (fc * weights.cpu + fm * weights.memory) / total;
  const variance = (weights.cpu * (fc - mean) ** 2 + weights.memory * (fm - mean) ** 2) / total;
  return Math.floor((1 - Math.sqrt(variance)) * MAX_NODE_SCORE);
}

export class BalancedAllocation implements ScorePlugin {
  readonly name = BALANCED_ALLOCATION;
  private readonly weights: ResourceWeights;

  constructor(args: BalancedAllocationArgs = {}) {
    this.weights = { ...DEFAULT_RESOURCE_WEIGHTS, ...args.resources };
  }

  score(workload: Workload, node: NodeInfo): number {
    return balancedScore(
      node.nonZeroRequested.milliCpu + workload.nonZero.milliCpu,
      node.allocatable.milliCpu,
      node.nonZeroRequested.memory + workload.nonZero.memory,
      node.allocatable.memory,
      this.weights,
    );
  }
}

export const newBalancedAllocation = (args?: BalancedAllocationArgs): BalancedAllocation => new BalancedAllocation(args);
