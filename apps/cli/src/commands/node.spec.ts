import { planDrain } from './node';

const pod = (name: string, extra: Record<string, unknown> = {}, spec: Record<string, unknown> = {}, phase = 'Running') => ({
  metadata: { name, namespace: 'default', ...extra },
  spec,
  status: { phase },
});
const owned = (kind: string) => ({ ownerReferences: [{ kind, name: 'o', controller: true, uid: 'u' }] });

describe('planDrain (kubectl drain filters, plus VMIs)', () => {
  const pods = [
    pod('web-1', owned('ReplicaSet')),
    pod('agent', owned('DaemonSet')),
    pod('mirror', { annotations: { 'kubernetes.io/config.mirror': 'x' } }),
    pod('bare'),
    pod('scratch', owned('ReplicaSet'), { volumes: [{ name: 'tmp', emptyDir: {} }] }),
    pod('done', {}, {}, 'Succeeded'),
  ];
  const vmis = [pod('vm-owned', owned('VirtualMachine')), pod('vm-bare')];

  it('refuses what would be lost or ignored without the flags', () => {
    const plan = planDrain(pods, vmis, { force: false, ignoreDaemonsets: false, deleteEmptydirData: false });
    expect(plan.errors).toEqual([
      'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/agent',
      'cannot delete Pods that declare no controller (use --force to override): default/bare',
      'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch',
      'cannot delete VirtualMachineInstances that declare no controller (use --force to override): default/vm-bare',
    ]);
    expect(plan.pods.map((p) => p.metadata.name)).toEqual(['web-1', 'done']);
  });

  it('with every flag: evicts all but daemon set and mirror pods, and warns', () => {
    const plan = planDrain(pods, vmis, { force: true, ignoreDaemonsets: true, deleteEmptydirData: true });
    expect(plan.errors).toEqual([]);
    expect(plan.pods.map((p) => p.metadata.name)).toEqual(['web-1', 'bare', 'scratch', 'done']);
    expect(plan.vmis.map((v) => v.metadata.name)).toEqual(['vm-owned', 'vm-bare']);
    expect(plan.warnings).toEqual([
      'ignoring DaemonSet-managed Pods: default/agent',
      'deleting Pods that declare no controller: default/bare',
      'deleting Pods with local storage: default/scratch',
      'deleting VirtualMachineInstances that declare no controller: default/vm-bare',
    ]);
  });
});
