// VMIs run once: the agent starts a bound VMI, reports how it ended and never restarts it in
// place (a VirtualMachine's controller makes a new VMI). Pure, like the pod plan.

export interface VmiView {
  metadata: { uid: string; namespace: string; name: string; deletionTimestamp?: string };
  spec: { terminationGracePeriodSeconds?: number };
  status?: { phase?: string };
}

export interface ObservedVm {
  uid: string;
  namespace: string;
  name: string;
  state: 'starting' | 'running' | 'exited';
  /** How an exited VM ended: the guest powered off, or QEMU died. */
  exitReason?: 'shutdown' | 'crash';
  ip?: string;
  gracePeriodSeconds?: number;
}

export type VmiAction =
  | { type: 'startVm'; vmi: VmiView }
  | { type: 'stopVm'; uid: string; gracePeriodSeconds: number; reason: string }
  | { type: 'removeVm'; uid: string }
  | { type: 'finalizeDeletion'; vmi: VmiView };

/** KubeVirt's default grace for VMIs is 180 s; a tiny test guest needs far less, so 30 s. */
const DEFAULT_VMI_GRACE_SECONDS = 30;
const FINAL = new Set(['Succeeded', 'Failed']);

const graceOf = (vmi: VmiView) => vmi.spec.terminationGracePeriodSeconds ?? DEFAULT_VMI_GRACE_SECONDS;

export function planVmiSync(desired: VmiView[], observed: ObservedVm[]): VmiAction[] {
  const actions: VmiAction[] = [];
  const wanted = new Map(desired.map((v) => [v.metadata.uid, v]));
  const running = new Map(observed.map((v) => [v.uid, v]));

  for (const vm of observed) {
    if (wanted.has(vm.uid)) continue;
    if (vm.state === 'exited') actions.push({ type: 'removeVm', uid: vm.uid });
    else actions.push({ type: 'stopVm', uid: vm.uid, gracePeriodSeconds: vm.gracePeriodSeconds ?? DEFAULT_VMI_GRACE_SECONDS, reason: 'VMINotBoundHere' });
  }

  for (const vmi of desired) {
    const vm = running.get(vmi.metadata.uid);
    const phase = vmi.status?.phase ?? '';
    if (vmi.metadata.deletionTimestamp) {
      if (vm && vm.state !== 'exited') actions.push({ type: 'stopVm', uid: vm.uid, gracePeriodSeconds: graceOf(vmi), reason: 'Deleted' });
      else {
        if (vm) actions.push({ type: 'removeVm', uid: vm.uid });
        actions.push({ type: 'finalizeDeletion', vmi });
      }
      continue;
    }
    if (FINAL.has(phase)) {
      // Evicted or finished: make sure nothing keeps running, keep the record until deletion.
      if (vm && vm.state !== 'exited') actions.push({ type: 'stopVm', uid: vm.uid, gracePeriodSeconds: graceOf(vmi), reason: 'VMITerminated' });
      continue;
    }
    if (!vm) actions.push({ type: 'startVm', vmi });
  }
  return actions;
}

export interface VmiStatusView {
  phase: 'Scheduled' | 'Running' | 'Succeeded' | 'Failed';
  reason?: string;
  interfaces: Array<{ name: string; ipAddress?: string; ipAddresses?: string[] }>;
  conditions: Array<{ type: string; status: 'True' | 'False'; reason?: string; message?: string }>;
}

/** The VMI status to report for what runs (or ran) here. */
export function computeVmiStatus(vmi: VmiView, vm: ObservedVm | undefined, startError?: string): VmiStatusView {
  const ip = vm?.ip;
  const interfaces = ip ? [{ name: 'default', ipAddress: ip, ipAddresses: [ip] }] : [];
  if (!vm) {
    const phase = vmi.status?.phase === 'Running' ? 'Failed' : 'Scheduled';
    return {
      phase, ...(phase === 'Failed' ? { reason: 'VMIDisappeared' } : {}), interfaces,
      conditions: [{ type: 'Ready', status: 'False', reason: startError ? 'FailedCreate' : 'PodNotReady', ...(startError ? { message: startError } : {}) }],
    };
  }
  if (vm.state === 'exited') {
    const ok = vm.exitReason === 'shutdown';
    return {
      phase: ok ? 'Succeeded' : 'Failed', reason: ok ? 'GuestShutdown' : 'QemuCrashed', interfaces,
      conditions: [{ type: 'Ready', status: 'False', reason: 'PodTerminating' }],
    };
  }
  const ready = vm.state === 'running';
  return {
    phase: ready ? 'Running' : 'Scheduled', interfaces,
    conditions: [ready ? { type: 'Ready', status: 'True' } : { type: 'Ready', status: 'False', reason: 'GuestNotRunning' }],
  };
}
