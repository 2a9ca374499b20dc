// VMCapable: a VMI needs a node that reports a hypervisor (label coxswain.io/hypervisor kvm
// or tcg); one annotated coxswain.io/require-kvm: "true" needs kvm. Pods pass.
import { Hypervisor, NodeInfo } from '../../framework/node-info';
import { constantStatus, Status, SUCCESS } from '../../framework/status';
import { ClusterEvent, FilterPlugin } from '../../framework/types';
import { Workload } from '../../framework/workload';

export const VM_CAPABLE = 'VMCapable';
export const REASON_NO_HYPERVISOR = 'node(s) had no hypervisor for virtual machines';
export const REASON_NO_KVM = "node(s) didn't have KVM";

const NO_HYPERVISOR = constantStatus('UnschedulableAndUnresolvable', REASON_NO_HYPERVISOR);
const NO_KVM = constantStatus('UnschedulableAndUnresolvable', REASON_NO_KVM);

/** Undefined when the node can run it, else the reason it cannot. */
export function vmIncapability(vm: Workload['vm'], hypervisor: Hypervisor): string | undefined {
  if (!vm) return undefined;
  if (hypervisor === 'none') return REASON_NO_HYPERVISOR;
  if (vm.requireKvm && hypervisor !== 'kvm') return REASON_NO_KVM;
  return undefined;
}

export class VmCapable implements FilterPlugin {
  readonly name = VM_CAPABLE;
  readonly events: readonly ClusterEvent[] = ['NodeAdd', 'NodeLabels'];

  filter(workload: Workload, node: NodeInfo): Status {
    const why = vmIncapability(workload.vm, node.hypervisor);
    return why === undefined ? SUCCESS : why === REASON_NO_KVM ? NO_KVM : NO_HYPERVISOR;
  }
}

export const newVmCapable = (): VmCapable => new VmCapable();
