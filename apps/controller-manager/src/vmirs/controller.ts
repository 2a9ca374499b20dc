// VirtualMachineInstanceReplicaSet controller: the ReplicaSet loop over VMIs
// (replicas/replica-set-controller.ts) with its own plan, template and status.
import { VirtualMachineInstance, VirtualMachineInstanceReplicaSet, VirtualMachineInstanceReplicaSetStatus } from '@coxswain/api';
import { BUILTIN_RESOURCES as R } from '@coxswain/client';
import { ControllerDeps } from '../framework/controller';
import { ReplicaSetLikeController } from '../replicas/replica-set-controller';
import { planVmiReplicaSet, vmiFromReplicaSetTemplate, vmiReplicaSetStatus } from './plan';

export const VMIRS_CONTROLLER = 'virtualmachineinstancereplicaset-controller';

export class VmiReplicaSetController extends ReplicaSetLikeController<VirtualMachineInstanceReplicaSet, VirtualMachineInstance, VirtualMachineInstanceReplicaSetStatus> {
  constructor(deps: ControllerDeps) {
    super(deps, {
      name: VMIRS_CONTROLLER,
      ownerResource: R.VirtualMachineInstanceReplicaSet,
      childResource: R.VirtualMachineInstance,
      ownerKind: 'VirtualMachineInstanceReplicaSet',
      ownerApiVersion: 'kubevirt.io/v1',
      selectorOf: (rs) => rs.spec?.selector,
      childNoun: 'virtual machine instance',
      plan: (rs, vmis, now, expectationsSatisfied) => planVmiReplicaSet({ rs, vmis, now, expectationsSatisfied }),
      fromTemplate: vmiFromReplicaSetTemplate,
      status: vmiReplicaSetStatus,
    });
  }
}
