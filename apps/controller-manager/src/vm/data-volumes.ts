// A VirtualMachine's dataVolumeTemplates → the DataVolumes to create (KubeVirt's VM
// controller): one per template, named by it, controlled by the VM, so they are kept across
// stop/start and removed with the VM by the garbage collector. Pure.
import { controllerOf, DataVolume, VirtualMachine } from '@coxswain/api';
import { controllerRef } from '../framework/owners';

export interface DataVolumeTemplatePlan {
  create: DataVolume[];
  /** Template names taken by a DataVolume the VM does not control. */
  foreign: string[];
}

interface Template {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: DataVolume['spec'];
}

export function planDataVolumeTemplates(vm: VirtualMachine, existing: (name: string) => DataVolume | undefined): DataVolumeTemplatePlan {
  const plan: DataVolumeTemplatePlan = { create: [], foreign: [] };
  if (vm.metadata.deletionTimestamp) return plan;
  for (const template of (vm.spec.dataVolumeTemplates ?? []) as Template[]) {
    const name = template.metadata?.name;
    if (!name || !template.spec) continue;
    const dv = existing(name);
    if (dv) {
      if (controllerOf(dv)?.uid !== vm.metadata.uid) plan.foreign.push(name);
      continue;
    }
    plan.create.push({
      apiVersion: 'cdi.kubevirt.io/v1beta1',
      kind: 'DataVolume',
      metadata: {
        name,
        namespace: vm.metadata.namespace,
        ...(template.metadata?.labels ? { labels: { ...template.metadata.labels } } : {}),
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [controllerRef({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: vm.metadata })],
      },
      spec: structuredClone(template.spec),
    } as DataVolume);
  }
  return plan;
}
