// BalancedAllocation: prefer nodes whose cpu and memory would be used in similar fractions,
// so neither resource is stranded. Combine with Least- or MostAllocated.
import { allocationAfter, Allocation, DEFAULT_RESOURCE_WEIGHTS, ResourceWeights } from '../../framework/allocation';
import { NodeInfo } from '../../framework/node-info';
import { MAX_NODE_SCORE, ScorePlugin } from '../../framework/types';
import { Workload } from '../../framework/workload';

export const BALANCED_ALLOCATION = 'BalancedAllocation';

export interface BalancedAllocationArgs {
  resources?: Partial<ResourceWeights>;
}

/** (1 − weighted standard deviation of the used fractions) × 100; fractions cap at 1. */
export function balancedScore(alloc: Allocation, weights: ResourceWeights): number {
  const parts: Array<[number, number]> = [];
  for (const [r, w] of [[alloc.cpu, weights.cpu], [alloc.memory, weights.memory]] as const) {
    if (w > 0 && r.allocatable > 0) parts.push([Math.min(1, r.requested / r.allocatable), w]);
  }
  if (parts.length < 2) return MAX_NODE_SCORE;
  const total = parts.reduce((s, [, w]) => s + w, 0);
  const mean = parts.reduce((s, [f, w]) => s + f * w, 0) / total;
  const variance = parts.reduce((s, [f, w]) => s + w * (f - mean) ** 2, 0) / total;
  return Math.floor((1 - Math.sqrt(variance)) * MAX_NODE_SCORE);
}

export class BalancedAllocation implements ScorePlugin {
  readonly name = BALANCED_ALLOCATION;
  private readonly weights: ResourceWeights;

  constructor(args: BalancedAllocationArgs = {}) {
    this.weights = { ...DEFAULT_RESOURCE_WEIGHTS, ...args.resources };
  }

  score(workload: Workload, node: NodeInfo): number {
    return balancedScore(allocationAfter(workload, node), this.weights);
  }
}

export const newBalancedAllocation = (args?: BalancedAllocationArgs): BalancedAllocation => new BalancedAllocation(args);
