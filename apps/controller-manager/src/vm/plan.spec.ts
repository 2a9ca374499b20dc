import { VirtualMachine, VirtualMachineInstance, VirtualMachineStatus } from '@coxswain/api';
import { rfc3339 } from '../framework/time';
import { failureBackoffMs, planVm, runStrategyOf, vmiFromTemplate } from './plan';

const T0 = Date.parse('2025-01-01T00:00:00Z');

const vm = (spec: Partial<VirtualMachine['spec']> = {}, status?: VirtualMachineStatus, deleting = false): VirtualMachine =>
  ({
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name: 'vm1', namespace: 'ns', uid: 'vm-uid', generation: 2, ...(deleting ? { deletionTimestamp: rfc3339(T0) } : {}) },
    spec: { template: { metadata: { labels: { app: 'vm' } }, spec: { domain: { memory: { guest: '128Mi' } } } }, ...spec },
    status,
  }) as VirtualMachine;

const vmi = (phase: string, opts: { owner?: string | null; deleting?: boolean; reason?: string; uid?: string } = {}): VirtualMachineInstance =>
  ({
    metadata: {
      name: 'vm1',
      namespace: 'ns',
      uid: opts.uid ?? 'vmi-uid',
      ...(opts.owner === null ? {} : { ownerReferences: [{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', name: 'vm1', uid: opts.owner ?? 'vm-uid', controller: true }] }),
      ...(opts.deleting ? { deletionTimestamp: rfc3339(T0) } : {}),
    },
    spec: { domain: {} },
    status: { phase, reason: opts.reason },
  }) as VirtualMachineInstance;

const types = (plan: ReturnType<typeof planVm>) => plan.actions.map((a) => a.type);

describe('runStrategyOf', () => {
  it.each([
    { spec: { runStrategy: 'Manual' as const }, want: 'Manual' },
    { spec: { running: true }, want: 'Always' },
    { spec: { running: false }, want: 'Halted' },
    { spec: {}, want: 'Halted' },
  ])('$spec → $want', ({ spec, want }) => expect(runStrategyOf(vm(spec))).toBe(want));
});

describe('planVm: run strategies', () => {
  it.each([
    { name: 'Always without VMI: create', spec: { runStrategy: 'Always' as const }, vmi: undefined, want: ['createVmi'], printable: 'Starting' },
    { name: 'Always with a running VMI: nothing', spec: { runStrategy: 'Always' as const }, vmi: vmi('Running'), want: [], printable: 'Running' },
    { name: 'Always after guest poweroff: delete to restart', spec: { runStrategy: 'Always' as const }, vmi: vmi('Succeeded'), want: ['deleteVmi'], printable: 'Stopped' },
    { name: 'Always while the old VMI goes: wait', spec: { runStrategy: 'Always' as const }, vmi: vmi('Succeeded', { deleting: true }), want: [], printable: 'Stopping' },
    { name: 'running: true is Always', spec: { running: true }, vmi: undefined, want: ['createVmi'], printable: 'Starting' },
    { name: 'Halted with a VMI: delete', spec: { runStrategy: 'Halted' as const }, vmi: vmi('Running'), want: ['deleteVmi'], printable: 'Running' },
    { name: 'Halted without VMI: nothing', spec: { runStrategy: 'Halted' as const }, vmi: undefined, want: [], printable: 'Stopped' },
    { name: 'RerunOnFailure after success: stays stopped', spec: { runStrategy: 'RerunOnFailure' as const }, vmi: vmi('Succeeded'), want: [], printable: 'Stopped' },
    { name: 'RerunOnFailure after failure: restart', spec: { runStrategy: 'RerunOnFailure' as const }, vmi: vmi('Failed'), want: ['deleteVmi'], printable: 'Stopped' },
    { name: 'Manual without requests: nothing', spec: { runStrategy: 'Manual' as const }, vmi: undefined, want: [], printable: 'Stopped' },
    { name: 'Once without VMI: create', spec: { runStrategy: 'Once' as const }, vmi: undefined, want: ['createVmi'], printable: 'Starting' },
    { name: 'Once after the run: halt', spec: { runStrategy: 'Once' as const }, vmi: vmi('Succeeded'), want: ['halt'], printable: 'Stopped' },
    { name: 'orphan VMI of our name is adopted', spec: { runStrategy: 'Always' as const }, vmi: vmi('Running', { owner: null }), want: ['adoptVmi'], printable: 'Running' },
    { name: "another owner's VMI is left alone", spec: { runStrategy: 'Halted' as const }, vmi: vmi('Running', { owner: 'other' }), want: [], printable: 'Stopped' },
  ])('$name', ({ spec, vmi: instance, want, printable }) => {
    const plan = planVm({ vm: vm(spec), vmi: instance, now: T0 });
    expect(types(plan)).toEqual(want);
    expect(plan.status?.printableStatus).toBe(printable);
  });

  it('a VM being deleted does nothing to its VMI (the garbage collector does)', () => {
    const plan = planVm({ vm: vm({ runStrategy: 'Halted' }, undefined, true), vmi: vmi('Running'), now: T0 });
    expect(types(plan)).toEqual([]);
    expect(plan.status?.printableStatus).toBe('Terminating');
  });

  it('the created VMI is named like the VM, labelled and owned by it', () => {
    const created = vmiFromTemplate(vm({ runStrategy: 'Always' }));
    expect(created.metadata).toMatchObject({ name: 'vm1', namespace: 'ns', labels: { app: 'vm', 'kubevirt.io/vm': 'vm1' } });
    expect(created.metadata.ownerReferences).toEqual([{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', name: 'vm1', uid: 'vm-uid', controller: true, blockOwnerDeletion: true }]);
  });
});

describe('planVm: state change requests', () => {
  const withRequests = (runStrategy: VirtualMachine['spec']['runStrategy'], requests: VirtualMachineStatus['stateChangeRequests']) => vm({ runStrategy }, { stateChangeRequests: requests });
  it.each([
    { name: 'Manual start: create and consume', v: withRequests('Manual', [{ action: 'Start' }]), vmi: undefined, want: ['createVmi'], left: undefined },
    { name: 'Manual stop: delete, keep the request until gone', v: withRequests('Manual', [{ action: 'Stop' }]), vmi: vmi('Running'), want: ['deleteVmi'], left: ['Stop'] },
    { name: 'stop done once the VMI is gone', v: withRequests('Manual', [{ action: 'Stop' }]), vmi: undefined, want: [], left: undefined },
    { name: 'restart: stop first', v: withRequests('Always', [{ action: 'Stop' }, { action: 'Start' }]), vmi: vmi('Running'), want: ['deleteVmi'], left: ['Stop', 'Start'] },
    { name: 'restart: wait while stopping', v: withRequests('Always', [{ action: 'Stop' }, { action: 'Start' }]), vmi: vmi('Running', { deleting: true }), want: [], left: ['Stop', 'Start'] },
    { name: 'restart: then start', v: withRequests('Always', [{ action: 'Stop' }, { action: 'Start' }]), vmi: undefined, want: ['createVmi'], left: undefined },
    { name: 'stop for another VMI uid is stale', v: withRequests('Manual', [{ action: 'Stop', uid: 'old' }]), vmi: vmi('Running'), want: [], left: undefined },
    { name: 'start while running is already done', v: withRequests('Manual', [{ action: 'Start' }]), vmi: vmi('Running'), want: [], left: undefined },
    { name: 'start with a finished VMI clears it first', v: withRequests('Manual', [{ action: 'Start' }]), vmi: vmi('Succeeded'), want: ['deleteVmi'], left: ['Start'] },
  ])('$name', ({ v, vmi: instance, want, left }) => {
    const plan = planVm({ vm: v, vmi: instance, now: T0 });
    expect(types(plan)).toEqual(want);
    expect((plan.status ?? v.status)?.stateChangeRequests?.map((r) => r.action)).toEqual(left);
  });
});

describe('planVm: failures and status', () => {
  it('repeated failures back off; a node loss does not count', () => {
    expect([1, 2, 3, 10].map(failureBackoffMs)).toEqual([0, 5000, 10_000, 300_000]);
    const failedOnce = planVm({ vm: vm({ runStrategy: 'Always' }), vmi: vmi('Failed'), now: T0 });
    expect(failedOnce.status?.startFailure).toEqual({ consecutiveFailCount: 1, retryAfterTimestamp: rfc3339(T0) });
    const lost = planVm({ vm: vm({ runStrategy: 'Always' }), vmi: vmi('Failed', { reason: 'NodeLost' }), now: T0 });
    expect(lost.status?.startFailure).toBeUndefined();
    const waiting = planVm({ vm: vm({ runStrategy: 'Always' }, { startFailure: { consecutiveFailCount: 3, retryAfterTimestamp: rfc3339(T0 + 10_000) } }), vmi: undefined, now: T0 });
    expect(types(waiting)).toEqual([]);
    expect(waiting.requeueAfterMs).toBe(10_001);
    expect(waiting.status?.printableStatus).toBe('CrashLoopBackOff');
  });

  it('reports created, ready, runStrategy and generations', () => {
    const running = vmi('Running');
    const plan = planVm({ vm: vm({ runStrategy: 'Always' }), vmi: running, now: T0 });
    expect(plan.status).toMatchObject({ created: true, ready: true, printableStatus: 'Running', runStrategy: 'Always', observedGeneration: 2, desiredGeneration: 2 });
    expect(plan.status?.conditions).toEqual([{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(T0) }]);
    // Nothing changes on the next pass: no write.
    expect(planVm({ vm: vm({ runStrategy: 'Always' }, plan.status), vmi: running, now: T0 + 5000 }).status).toBeUndefined();
  });
});
