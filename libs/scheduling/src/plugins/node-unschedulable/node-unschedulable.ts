// NodeUnschedulable: a cordoned node (spec.unschedulable) takes nothing new, unless the
// workload tolerates the unschedulable taint.
import { NodeInfo } from '../../framework/node-info';
import { predicateFilter } from '../../framework/predicate-filter';
import { constantStatus } from '../../framework/status';
import { isTolerated, TAINT_NODE_UNSCHEDULABLE } from '../../framework/tolerations';
import { FilterPlugin } from '../../framework/types';
import { Workload } from '../../framework/workload';

export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

const CORDONED = constantStatus('UnschedulableAndUnresolvable', REASON_UNSCHEDULABLE);
const CORDON_TAINT = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' as const };

export function schedulableFor(workload: Pick<Workload, 'tolerations'>, node: Pick<NodeInfo, 'unschedulable'>): boolean {
  return !node.unschedulable || isTolerated(workload.tolerations, CORDON_TAINT);
}

export const newNodeUnschedulable = (): FilterPlugin => predicateFilter(NODE_UNSCHEDULABLE, ['NodeAdd', 'NodeSchedulable'], schedulableFor, CORDONED);
