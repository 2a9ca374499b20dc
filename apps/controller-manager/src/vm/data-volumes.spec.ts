import { DataVolume, VirtualMachine } from '@coxswain/api';
import { planDataVolumeTemplates } from './data-volumes';

const spec = { source: { registry: { url: 'docker://registry/disk:1' } }, storage: { resources: { requests: { storage: '1Gi' } } } };
const vm = (templates: unknown[], deleting = false): VirtualMachine =>
  ({ metadata: { name: 'vm', namespace: 'ns', uid: 'vm-uid', ...(deleting ? { deletionTimestamp: 'x' } : {}) }, spec: { template: { spec: { domain: {} } }, dataVolumeTemplates: templates } }) as never;
const dv = (name: string, owner?: string): DataVolume =>
  ({ metadata: { name, namespace: 'ns', ownerReferences: owner ? [{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', name: 'vm', uid: owner, controller: true }] : [] }, spec }) as never;

describe('planDataVolumeTemplates', () => {
  it.each<[string, VirtualMachine, DataVolume[], string[], string[]]>([
    ['a missing DataVolume is created', vm([{ metadata: { name: 'disk' }, spec }]), [], ['disk'], []],
    ['ours already exists (after stop/start)', vm([{ metadata: { name: 'disk' }, spec }]), [dv('disk', 'vm-uid')], [], []],
    ['someone else\'s is left alone and reported', vm([{ metadata: { name: 'disk' }, spec }]), [dv('disk', 'other')], [], ['disk']],
    ['an orphan of that name is not taken over', vm([{ metadata: { name: 'disk' }, spec }]), [dv('disk')], [], ['disk']],
    ['nothing while the VM is being deleted', vm([{ metadata: { name: 'disk' }, spec }], true), [], [], []],
    ['no templates', vm([]), [], [], []],
  ])('%s', (_name, machine, existing, create, foreign) => {
    const plan = planDataVolumeTemplates(machine, (n) => existing.find((d) => d.metadata.name === n));
    expect(plan.create.map((d) => d.metadata.name)).toEqual(create);
    expect(plan.foreign).toEqual(foreign);
  });

  it('the DataVolume carries the template and is controlled by the VM', () => {
    const [created] = planDataVolumeTemplates(vm([{ metadata: { name: 'disk', labels: { a: 'b' } }, spec }]), () => undefined).create;
    expect(created).toMatchObject({ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', metadata: { name: 'disk', namespace: 'ns', labels: { a: 'b' } }, spec });
    expect(created.metadata.ownerReferences).toEqual([{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', name: 'vm', uid: 'vm-uid', controller: true, blockOwnerDeletion: true }]);
  });
});
