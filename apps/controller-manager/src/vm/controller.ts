// VirtualMachine controller: VM and VMI informers → queue → reconcile(key) → planVm → apply.
import { controllerOf, DataVolume, VirtualMachine, VirtualMachineInstance } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, Informer, isAlreadyExists, isNotFound } from '@coxswain/client';
import { Controller, ControllerDeps } from '../framework/controller';
import { ignoreNotFound } from '../framework/objects';
import { withControllerRef } from '../framework/owners';
import { planVm, VmAction } from './plan';
import { planDataVolumeTemplates } from './data-volumes';

export const VM_CONTROLLER = 'virtualmachine-controller';

export class VirtualMachineController extends Controller {
  private readonly vms: Informer<VirtualMachine>;
  private readonly vmis: Informer<VirtualMachineInstance>;
  private readonly dvs: Informer<DataVolume>;

  constructor(deps: ControllerDeps) {
    super(VM_CONTROLLER, deps, 4);
    this.vms = deps.informers.for<VirtualMachine>(R.VirtualMachine);
    this.vmis = deps.informers.for<VirtualMachineInstance>(R.VirtualMachineInstance);
    this.dvs = deps.informers.for<DataVolume>(R.DataVolume);
  }

  register(): void {
    this.vms.addEventHandler({ onAdd: (vm) => this.enqueue(vm), onUpdate: (_o, vm) => this.enqueue(vm), onDelete: (vm) => this.enqueue(vm) });
    // A VM's VMI carries its name, whether or not it is owned yet.
    const vmiChanged = (vmi: VirtualMachineInstance) => {
      const ref = controllerOf(vmi);
      if (ref && ref.kind !== 'VirtualMachine') return;
      if (this.vms.store.getByName(vmi.metadata.namespace, vmi.metadata.name!)) this.enqueue(vmi);
    };
    this.vmis.addEventHandler({ onAdd: vmiChanged, onUpdate: (_o, vmi) => vmiChanged(vmi), onDelete: vmiChanged });
    // A template's DataVolume deleted by hand is made again.
    const dvGone = (dv: DataVolume) => {
      const ref = controllerOf(dv);
      if (ref?.kind === 'VirtualMachine') this.enqueue(`${dv.metadata.namespace}/${ref.name}`);
    };
    this.dvs.addEventHandler({ onDelete: dvGone });
  }

  protected async reconcile(key: string): Promise<void> {
    const vm = this.vms.store.get(key);
    if (!vm) return;
    const vmi = this.vmis.store.get(key);
    await this.ensureDataVolumes(vm);
    const plan = planVm({ vm, vmi, now: this.deps.clock.now() });
    for (const action of plan.actions) await this.apply(vm, vmi, action);
    if (plan.event) this.recorder.event(vm, plan.event.type, plan.event.reason, plan.event.message);
    if (plan.status) await ignoreNotFound(this.deps.client.updateStatus(R.VirtualMachine, { ...vm, status: plan.status }));
    if (plan.requeueAfterMs !== undefined) this.enqueueAfter(key, plan.requeueAfterMs);
  }

  private async ensureDataVolumes(vm: VirtualMachine): Promise<void> {
    const namespace = vm.metadata.namespace;
    const plan = planDataVolumeTemplates(vm, (name) => this.dvs.store.getByName(namespace, name));
    for (const name of plan.foreign) this.recorder.event(vm, 'Warning', 'FailedDataVolumeCreate', `DataVolume ${name} exists and is not controlled by this VirtualMachine`);
    for (const dv of plan.create) {
      try {
        await this.deps.client.create(R.DataVolume, dv);
        this.recorder.event(vm, 'Normal', 'SuccessfulDataVolumeCreate', `Created DataVolume ${dv.metadata.name}`);
      } catch (error) {
        if (isAlreadyExists(error)) continue;
        this.recorder.event(vm, 'Warning', 'FailedDataVolumeCreate', `Error creating DataVolume ${dv.metadata.name}: ${(error as Error)?.message ?? error}`);
        throw error;
      }
    }
  }

  private async apply(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined, action: VmAction): Promise<void> {
    const { client } = this.deps;
    const namespace = vm.metadata.namespace;
    switch (action.type) {
      case 'adoptVmi': {
        const owner = { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: vm.metadata };
        await client.patch(R.VirtualMachineInstance, vmi!.metadata.name!, { metadata: { ownerReferences: withControllerRef(vmi!, owner), resourceVersion: vmi!.metadata.resourceVersion } }, { namespace });
        return;
      }
      case 'createVmi':
        try {
          await client.create(R.VirtualMachineInstance, action.vmi);
        } catch (error) {
          // The cache has not seen it yet, or the old one is still going away: look again later.
          if (!isAlreadyExists(error)) {
            this.recorder.event(vm, 'Warning', 'FailedCreate', `Error creating virtual machine instance: ${String(error)}`);
            throw error;
          }
          throw new Error(`virtual machine instance ${vm.metadata.name} still exists`);
        }
        return;
      case 'deleteVmi':
        try {
          await client.delete(R.VirtualMachineInstance, vmi!.metadata.name!, { namespace, preconditions: { uid: vmi!.metadata.uid } });
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
        return;
      case 'halt':
        await client.patch(R.VirtualMachine, vm.metadata.name!, { spec: { runStrategy: 'Halted' } }, { namespace });
        return;
    }
  }
}
