// NodePorts: two workloads cannot bind the same host port and protocol on one node when their
// host IPs overlap (0.0.0.0 overlaps every IP).
import { HostPort, HostPortUsage } from '../../framework/host-ports';
import { NodeInfo } from '../../framework/node-info';
import { constantStatus, Status, SUCCESS } from '../../framework/status';
import { ClusterEvent, FilterPlugin } from '../../framework/types';
import { Workload } from '../../framework/workload';

export const NODE_PORTS = 'NodePorts';
export const REASON_PORTS_TAKEN = "node(s) didn't have free ports for the requested pod ports";

const PORTS_TAKEN = constantStatus('Unschedulable', REASON_PORTS_TAKEN);

/** The wanted host ports already held on the node. */
export function conflictingPorts(wanted: readonly HostPort[], used: Pick<HostPortUsage, 'conflicts'>): HostPort[] {
  return wanted.filter((p) => used.conflicts(p));
}

export class NodePorts implements FilterPlugin {
  readonly name = NODE_PORTS;
  readonly events: readonly ClusterEvent[] = ['NodeAdd', 'WorkloadRemoved'];

  preFilter(workload: Workload): boolean {
    return workload.hostPorts !== undefined;
  }

  filter(workload: Workload, node: NodeInfo): Status {
    if (!workload.hostPorts || node.usedPorts.size === 0) return SUCCESS;
    for (const p of workload.hostPorts) if (node.usedPorts.conflicts(p)) return PORTS_TAKEN;
    return SUCCESS;
  }
}

export const newNodePorts = (): NodePorts => new NodePorts();
