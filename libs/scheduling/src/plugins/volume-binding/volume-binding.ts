// VolumeBinding: a workload's PersistentVolumeClaims decide where it can run (Kubernetes'
// VolumeBinding filter). A missing or deleting claim, or an Immediate claim not bound yet,
// rules every node out; a bound volume's node affinity admits only its nodes; an unbound
// WaitForFirstConsumer claim needs a node with enough free local storage (the node's
// `coxswain.io/local-storage` allocatable minus the local volumes already there or promised)
// and, once a node was selected for it, that node.
import { memoryBytes } from '@coxswain/api/browser';
import { NodeInfo } from '../../framework/node-info';
import { constantStatus, Status, SUCCESS, unresolvable } from '../../framework/status';
import { ClusterEvent, FilterPlugin } from '../../framework/types';
import { Workload } from '../../framework/workload';
import { matchesNodeAffinity } from '../node-affinity';
import { LOCAL_STORAGE_RESOURCE, VolumeFacts } from './volume-facts';

export const VOLUME_BINDING = 'VolumeBinding';
export const REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const REASON_NOT_ENOUGH_SPACE = 'node(s) did not have enough free storage';
export const REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const REASON_LOST = 'pvc(s) bound to non-existent pv(s)';

const NODE_CONFLICT = constantStatus('UnschedulableAndUnresolvable', REASON_NODE_CONFLICT);
const NOT_ENOUGH_SPACE = constantStatus('UnschedulableAndUnresolvable', REASON_NOT_ENOUGH_SPACE);
const UNBOUND_IMMEDIATE = constantStatus('UnschedulableAndUnresolvable', REASON_UNBOUND_IMMEDIATE);
const LOST = constantStatus('UnschedulableAndUnresolvable', REASON_LOST);

/** Free bytes for local volumes on a node (0 when the node reports none). */
export function freeLocalBytes(node: NodeInfo, facts: VolumeFacts): number {
  const raw = node.node?.status?.allocatable?.[LOCAL_STORAGE_RESOURCE] ?? node.node?.status?.capacity?.[LOCAL_STORAGE_RESOURCE];
  let total = 0;
  try {
    total = raw === undefined ? 0 : memoryBytes(raw);
  } catch {
    total = 0; // not a quantity: the node offers nothing
  }
  return total - (facts.localBytesByNode[node.name] ?? 0);
}

/** The verdict for one node; pure over the facts and the node. */
export function volumeBindingStatus(facts: VolumeFacts | undefined, node: NodeInfo): Status {
  if (!facts) return SUCCESS;
  let wanted = 0;
  for (const claim of facts.claims) {
    switch (claim.state) {
      case 'missing':
        return unresolvable(`persistentvolumeclaim "${claim.name}" not found`);
      case 'deleting':
        return unresolvable(`persistentvolumeclaim "${claim.name}" is being deleted`);
      case 'lost':
        return LOST;
      case 'unboundImmediate':
        return UNBOUND_IMMEDIATE;
      case 'bound':
        if (!matchesNodeAffinity(claim.affinity, node.name, node.labels)) return NODE_CONFLICT;
        break;
      case 'waitForConsumer':
        if (claim.selectedNode && claim.selectedNode !== node.name) return NODE_CONFLICT;
        // A selected claim is already counted on its node (promised).
        if (claim.local && !claim.selectedNode) wanted += claim.bytes;
        break;
    }
  }
  return wanted > 0 && freeLocalBytes(node, facts) < wanted ? NOT_ENOUGH_SPACE : SUCCESS;
}

export class VolumeBinding implements FilterPlugin {
  readonly name = VOLUME_BINDING;
  readonly events: readonly ClusterEvent[] = ['NodeAdd', 'NodeAllocatable', 'VolumeChange'];

  preFilter(workload: Workload): boolean {
    return workload.volumes !== undefined;
  }

  filter(workload: Workload, node: NodeInfo): Status {
    return volumeBindingStatus(workload.volumes, node);
  }
}

export const newVolumeBinding = (): VolumeBinding => new VolumeBinding();
