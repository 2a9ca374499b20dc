// A filter plugin that is one yes/no question with one fixed refusal (NodeReady,
// NodeUnschedulable), so such plugins state only their question, not the plugin wiring.
import { NodeInfo } from './node-info';
import { Status, SUCCESS } from './status';
import { ClusterEvent, FilterPlugin } from './types';
import { Workload } from './workload';

export function predicateFilter(
  name: string,
  events: readonly ClusterEvent[],
  admits: (workload: Workload, node: NodeInfo) => boolean,
  refusal: Status,
): FilterPlugin {
  return { name, events, filter: (workload, node) => (admits(workload, node) ? SUCCESS : refusal) };
}
