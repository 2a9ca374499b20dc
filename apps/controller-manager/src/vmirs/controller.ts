// VirtualMachineInstanceReplicaSet controller: the ReplicaSet loop over VMIs.
import { VirtualMachineInstance, VirtualMachineInstanceReplicaSet } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, isNotFound, splitObjectKey } from '@coxswain/client';
import { slowStartBatch } from '../framework/batch';
import { ControllerDeps } from '../framework/controller';
import { deepEqual, ignoreNotFound } from '../framework/objects';
import { OwnedWorkloadController } from '../replicas/owned-controller';
import { errorText } from '../replicaset/controller';
import { ManageFailure, planVmiReplicaSet, VmiReplicaSetPlan, vmiFromReplicaSetTemplate, vmiReplicaSetStatus } from './plan';

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
    const failure = await this.manage(key, rs, plan);
    const status = vmiReplicaSetStatus(rs, plan.owned, now, failure);
    if (!deepEqual(status, rs.status ?? {})) await ignoreNotFound(this.deps.client.updateStatus(R.VirtualMachineInstanceReplicaSet, { ...rs, status }));
    if (failure) throw new Error(failure.message);
  }

  private async manage(key: string, rs: VirtualMachineInstanceReplicaSet, plan: VmiReplicaSetPlan): Promise<ManageFailure | undefined> {
    if (plan.delete.length > 0) {
      this.expectations.expect(key, 0, plan.delete.map((v) => v.metadata.name!));
      const results = await Promise.allSettled(
        plan.delete.map(async (vmi) => {
          try {
            await this.deps.client.delete(R.VirtualMachineInstance, vmi.metadata.name!, { namespace: vmi.metadata.namespace, preconditions: { uid: vmi.metadata.uid } });
            this.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted virtual machine instance: ${vmi.metadata.name}`);
          } catch (error) {
            this.expectations.deletionObserved(key, vmi.metadata.name!);
            if (!isNotFound(error)) throw error;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        const message = `Error deleting: ${errorText(failed.reason)}`;
        this.recorder.event(rs, 'Warning', 'FailedDelete', message);
        return { reason: 'FailedDelete', message };
      }
    }
    if (plan.create > 0) {
      this.expectations.expect(key, plan.create);
      const template = vmiFromReplicaSetTemplate(rs);
      const result = await slowStartBatch(plan.create, 1, async () => {
        const created = await this.deps.client.create<VirtualMachineInstance>(R.VirtualMachineInstance, template);
        this.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created virtual machine instance: ${created.metadata.name}`);
      });
      if (result.errors.length) {
        this.expectations.creationFailed(key, result.errors.length + result.skipped);
        const message = `Error creating: ${errorText(result.errors[0])}`;
        this.recorder.event(rs, 'Warning', 'FailedCreate', message);
        return { reason: 'FailedCreate', message };
      }
    }
    return undefined;
  }
}
