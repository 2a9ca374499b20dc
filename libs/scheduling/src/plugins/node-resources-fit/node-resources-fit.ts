// NodeResourcesFit: the workload's requests must fit in what the node has left (allocatable
// minus bound and assumed requests): cpu, memory and the pod count.
import { NodeInfo } from '../../framework/node-info';
import { Resources } from '../../framework/resources';
import { constantStatus, Status, SUCCESS, unschedulable } from '../../framework/status';
import { ClusterEvent, FilterPlugin } from '../../framework/types';
import { Workload } from '../../framework/workload';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';
export const REASON_TOO_MANY_PODS = 'Too many pods';
export const REASON_INSUFFICIENT_CPU = 'Insufficient cpu';
export const REASON_INSUFFICIENT_MEMORY = 'Insufficient memory';

/**
 * Reasons the request does not fit, in Kubernetes' order; empty when it fits. A zero
 * request never fails a resource (an already over-full node still takes BestEffort work).
 */
export function insufficientResources(request: Resources, node: Pick<NodeInfo, 'allocatable' | 'requested'>): string[] {
  const reasons: string[] = [];
  const { allocatable, requested } = node;
  if (requested.pods + request.pods > allocatable.pods) reasons.push(REASON_TOO_MANY_PODS);
  if (request.milliCpu > 0 && request.milliCpu > allocatable.milliCpu - requested.milliCpu) reasons.push(REASON_INSUFFICIENT_CPU);
  if (request.memory > 0 && request.memory > allocatable.memory - requested.memory) reasons.push(REASON_INSUFFICIENT_MEMORY);
  return reasons;
}

// The common single-reason verdicts, shared so failing nodes allocate nothing either.
const SINGLE: Record<string, Status> = {
  [REASON_TOO_MANY_PODS]: constantStatus('Unschedulable', REASON_TOO_MANY_PODS),
  [REASON_INSUFFICIENT_CPU]: constantStatus('Unschedulable', REASON_INSUFFICIENT_CPU),
  [REASON_INSUFFICIENT_MEMORY]: constantStatus('Unschedulable', REASON_INSUFFICIENT_MEMORY),
};

export class NodeResourcesFit implements FilterPlugin {
  readonly name = NODE_RESOURCES_FIT;
  readonly events: readonly ClusterEvent[] = ['NodeAdd', 'NodeAllocatable', 'WorkloadRemoved'];

  filter(workload: Workload, node: NodeInfo): Status {
    const reasons = insufficientResources(workload.requests, node);
    if (reasons.length === 0) return SUCCESS;
    return reasons.length === 1 ? SINGLE[reasons[0]] : unschedulable(...reasons);
  }
}

export const newNodeResourcesFit = (): NodeResourcesFit => new NodeResourcesFit();
