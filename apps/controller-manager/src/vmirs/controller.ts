// VirtualMachineInstanceReplicaSet controller: the ReplicaSet loop over VMIs.
import { VirtualMachineInstance, VirtualMachineInstanceReplicaSet } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, splitObjectKey } from '@coxswain/client';
import { ControllerDeps } from '../framework/controller';
import { deepEqual, ignoreNotFound } from '../framework/objects';
import { OwnedWorkloadController } from '../replicas/owned-controller';
import { planVmiReplicaSet, vmiFromReplicaSetTemplate, vmiReplicaSetStatus } from './plan';

export const VMIRS_CONTROLLER = 'virtualmachineinstancereplicaset-controller';

export class VmiReplicaSetController extends OwnedWorkloadController<VirtualMachineInstanceReplicaSet, VirtualMachineInstance> {
  constructor(deps: ControllerDeps) {
    super(deps, {
      name: VMIRS_CONTROLLER,
      ownerResource: R.VirtualMachineInstanceReplicaSet,
      childResource: R.VirtualMachineInstance,
      ownerKind: 'VirtualMachineInstanceReplicaSet',
      ownerApiVersion: 'kubevirt.io/v1',
      selectorOf: (rs) => rs.spec?.selector,
      childNoun: 'virtual machine instance',
    });
  }

  protected async reconcile(key: string): Promise<void> {
    const rs = this.owners.store.get(key);
    if (!rs) {
      this.expectations.forget(key);
      return;
    }
    const now = this.deps.clock.now();
    const vmis = this.children.store.byIndex('namespace', splitObjectKey(key).namespace ?? '');
    const plan = planVmiReplicaSet({ rs, vmis, now, expectationsSatisfied: this.expectations.satisfied(key) });
    for (const vmi of plan.adopt) await this.adopt(rs, vmi);
    for (const vmi of plan.release) await this.release(rs, vmi);
    const failure = await this.manage(key, rs, plan, () => vmiFromReplicaSetTemplate(rs));
    const status = vmiReplicaSetStatus(rs, plan.owned, now, failure);
    if (!deepEqual(status, rs.status ?? {})) await ignoreNotFound(this.deps.client.updateStatus(R.VirtualMachineInstanceReplicaSet, { ...rs, status }));
    if (failure) throw new Error(failure.message);
  }
}
