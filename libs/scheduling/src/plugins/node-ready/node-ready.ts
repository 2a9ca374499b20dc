// NodeReady: only nodes whose Ready condition is True take new work, unless the workload
// tolerates the not-ready taint (as DaemonSet-style workloads do).
import { NodeInfo } from '../../framework/node-info';
import { constantStatus, Status, SUCCESS } from '../../framework/status';
import { isTolerated, TAINT_NODE_NOT_READY } from '../../framework/tolerations';
import { ClusterEvent, FilterPlugin } from '../../framework/types';
import { Workload } from '../../framework/workload';

export const NODE_READY = 'NodeReady';
export const REASON_NOT_READY = 'node(s) were not ready';

const NOT_READY = constantStatus('UnschedulableAndUnresolvable', REASON_NOT_READY);
const NOT_READY_TAINT = { key: TAINT_NODE_NOT_READY, effect: 'NoSchedule' as const };

export function readyFor(workload: Pick<Workload, 'tolerations'>, node: Pick<NodeInfo, 'ready'>): boolean {
  return node.ready || isTolerated(workload.tolerations, NOT_READY_TAINT);
}

export class NodeReady implements FilterPlugin {
  readonly name = NODE_READY;
  readonly events: readonly ClusterEvent[] = ['NodeAdd', 'NodeReady'];

  filter(workload: Workload, node: NodeInfo): Status {
    return readyFor(workload, node) ? SUCCESS : NOT_READY;
  }
}

export const newNodeReady = (): NodeReady => new NodeReady();
