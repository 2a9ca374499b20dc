// LeastAllocated (the default): prefer the node with the most room left after placing the
// workload, which spreads load across nodes.
import { DEFAULT_RESOURCE_WEIGHTS, ResourceWeights, weightedScore } from '../../framework/allocation';
import { NodeInfo } from '../../framework/node-info';
import { MAX_NODE_SCORE, ScorePlugin } from '../../framework/types';
import { Workload } from '../../framework/workload';

export const LEAST_ALLOCATED = 'LeastAllocated';

export interface LeastAllocatedArgs {
  resources?: Partial<ResourceWeights>;
}

/** (free after placement) / allocatable × 100; 0 when it would not fit. */
export function leastRequestedScore(requested: number, allocatable: number): number {
  if (allocatable <= 0 || requested > allocatable) return 0;
  return Math.floor(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);
}

export class LeastAllocated implements ScorePlugin {
  readonly name = LEAST_ALLOCATED;
  private readonly weights: ResourceWeights;

  constructor(args: LeastAllocatedArgs = {}) {
    this.weights = { ...DEFAULT_RESOURCE_WEIGHTS, ...args.resources };
  }

  score(workload: Workload, node: NodeInfo): number {
    return weightedScore(workload, node, this.weights, leastRequestedScore);
  }
}

export const newLeastAllocated = (args?: LeastAllocatedArgs): LeastAllocated => new LeastAllocated(args);
