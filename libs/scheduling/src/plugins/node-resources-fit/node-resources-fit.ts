// NodeResourcesFit: the workload's requests must fit in what the node has left (allocatable
// minus bound and assumed requests): cpu, memory, the pod count, and every other resource it
// asks for — ephemeral-storage, hugepages-<size>, extended resources such as nvidia.com/gpu.
// A node that does not list an extended resource has none of it. ephemeral-storage is the
// exception: a node that reports none (a fake or old node) is not checked for it, since every
// node agent reports its filesystem and refusing such nodes would strand ordinary pods.
import { NodeInfo } from '../../framework/node-info';
import { EPHEMERAL_STORAGE, Resources, ScalarResources } from '../../framework/resources';
import { constantStatus, Status, SUCCESS, unschedulable } from '../../framework/status';
import { ClusterEvent, FilterPlugin } from '../../framework/types';
import { Workload } from '../../framework/workload';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';
export const REASON_TOO_MANY_PODS = 'Too many pods';
export const REASON_INSUFFICIENT_CPU = 'Insufficient cpu';
export const REASON_INSUFFICIENT_MEMORY = 'Insufficient memory';
export const insufficientReason = (resource: string): string => `Insufficient ${resource}`;

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

export interface NodeResourcesFitArgs {
  /** Extended resources not checked (Kubernetes' ignoredResources), e.g. ['example.com/foo']. */
  ignoredResources?: string[];
  /** Groups of extended resources not checked (the part before '/'), e.g. ['example.com']. */
  ignoredResourceGroups?: string[];
}

const isExtended = (name: string) => name.includes('/') && !name.startsWith('kubernetes.io/') && !name.startsWith('requests.');

/** Scalar resources (beyond cpu and memory) the node lacks room for, ephemeral-storage first. */
export function insufficientScalars(request: ScalarResources, node: Pick<NodeInfo, 'scalarAllocatable' | 'scalarRequested'>, args: NodeResourcesFitArgs = {}): string[] {
  const reasons: string[] = [];
  const names = Object.keys(request).sort((a, b) => (a === EPHEMERAL_STORAGE ? -1 : b === EPHEMERAL_STORAGE ? 1 : 0));
  for (const name of names) {
    if (isExtended(name) && (args.ignoredResources?.includes(name) || args.ignoredResourceGroups?.includes(name.slice(0, name.indexOf('/'))))) continue;
    const allocatable = node.scalarAllocatable[name];
    if (allocatable === undefined && name === EPHEMERAL_STORAGE) continue;
    if (request[name] > (allocatable ?? 0) - (node.scalarRequested.get(name) ?? 0)) reasons.push(insufficientReason(name));
  }
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

  constructor(private readonly args: NodeResourcesFitArgs = {}) {}

  filter(workload: Workload, node: NodeInfo): Status {
    const reasons = insufficientResources(workload.requests, node);
    if (workload.scalarRequests) reasons.push(...insufficientScalars(workload.scalarRequests, node, this.args));
    if (reasons.length === 0) return SUCCESS;
    return reasons.length === 1 ? (SINGLE[reasons[0]] ?? unschedulable(reasons[0])) : unschedulable(...reasons);
  }
}

export const newNodeResourcesFit = (args?: NodeResourcesFitArgs): NodeResourcesFit => new NodeResourcesFit(args);
