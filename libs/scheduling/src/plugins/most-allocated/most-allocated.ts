// MostAllocated (bin packing): prefer the fullest node that still fits, leaving whole nodes
// free for large workloads (and for scale-down).
import { DEFAULT_RESOURCE_WEIGHTS, ResourceWeights, weightedScore } from '../../framework/allocation';
import { NodeInfo } from '../../framework/node-info';
import { MAX_NODE_SCORE, ScorePlugin } from '../../framework/types';
import { Workload } from '../../framework/workload';

export const MOST_ALLOCATED = 'MostAllocated';

export interface MostAllocatedArgs {
  resources?: Partial<ResourceWeights>;
}

/** requested after placement / allocatable × 100, capped at 100 (non-zero defaults may exceed). */
export function mostRequestedScore(requested: number, allocatable: number): number {
  if (allocatable <= 0) return 0;
  return Math.floor((Math.min(requested, allocatable) * MAX_NODE_SCORE) / allocatable);
}

export class MostAllocated implements ScorePlugin {
  readonly name = MOST_ALLOCATED;
  private readonly weights: ResourceWeights;

  constructor(args: MostAllocatedArgs = {}) {
    this.weights = { ...DEFAULT_RESOURCE_WEIGHTS, ...args.resources };
  }

  score(workload: Workload, node: NodeInfo): number {
    return weightedScore(workload, node, this.weights, mostRequestedScore);
  }
}

export const newMostAllocated = (args?: MostAllocatedArgs): MostAllocated => new MostAllocated(args);
