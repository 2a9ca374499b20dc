// NodeReady: only nodes whose Ready condition is True take new work, unless the workload
// tolerates the not-ready taint (as DaemonSet-style workloads do).
import { NodeInfo } from '../../framework/node-info';
import { predicateFilter } from '../../framework/predicate-filter';
import { constantStatus } from '../../framework/status';
import { isTolerated, TAINT_NODE_NOT_READY } from '../../framework/tolerations';
import { FilterPlugin } from '../../framework/types';
import { Workload } from '../../framework/workload';

export const NODE_READY = 'NodeReady';
export const REASON_NOT_READY = 'node(s) were not ready';

const NOT_READY = constantStatus('UnschedulableAndUnresolvable', REASON_NOT_READY);
const NOT_READY_TAINT = { key: TAINT_NODE_NOT_READY, effect: 'NoSchedule' as const };

export function readyFor(workload: Pick<Workload, 'tolerations'>, node: Pick<NodeInfo, 'ready'>): boolean {
  return node.ready || isTolerated(workload.tolerations, NOT_READY_TAINT);
}

export const newNodeReady = (): FilterPlugin => predicateFilter(NODE_READY, ['NodeAdd', 'NodeReady'], readyFor, NOT_READY);
