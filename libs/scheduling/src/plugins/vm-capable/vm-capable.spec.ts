import { Hypervisor } from '../../framework/node-info';
import { Workload } from '../../framework/workload';
import { nodeInfo, pod, vmi } from '../../testing/fixtures';
import { newVmCapable } from './vm-capable';

describe('VMCapable', () => {
  const plugin = newVmCapable();
  it.each<{ name: string; w: Workload; hv: Hypervisor; want: string; reasons: string[] }>([
    { name: 'pod on a node without hypervisor', w: pod('p'), hv: 'none', want: 'Success', reasons: [] },
    { name: 'vm on tcg', w: vmi('v'), hv: 'tcg', want: 'Success', reasons: [] },
    { name: 'vm on kvm', w: vmi('v'), hv: 'kvm', want: 'Success', reasons: [] },
    { name: 'vm on none', w: vmi('v'), hv: 'none', want: 'UnschedulableAndUnresolvable', reasons: ['node(s) had no hypervisor for virtual machines'] },
    { name: 'kvm-only vm on tcg', w: vmi('v', { requireKvm: true }), hv: 'tcg', want: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't have KVM"] },
    { name: 'kvm-only vm on kvm', w: vmi('v', { requireKvm: true }), hv: 'kvm', want: 'Success', reasons: [] },
  ])('$name → $want', ({ w, hv, want, reasons }) => {
    const status = plugin.filter(w, nodeInfo('n', { hypervisor: hv }));
    expect(status.code).toBe(want);
    expect(status.reasons).toEqual(reasons);
  });

  it('treats an unknown hypervisor label as none', () => {
    const node = nodeInfo('n', { labels: { 'coxswain.io/hypervisor': 'xen' } });
    expect(plugin.filter(vmi('v'), node).code).toBe('UnschedulableAndUnresolvable');
  });
});
