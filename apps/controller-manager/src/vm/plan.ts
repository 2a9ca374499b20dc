// VirtualMachine → VirtualMachineInstance per runStrategy (KubeVirt's VM controller):
// Always keeps one running (restarting it after a guest poweroff), RerunOnFailure restarts
// only failures, Manual follows start/stop requests only, Halted keeps none, Once runs one
// and then halts. Start/stop/restart arrive as status.stateChangeRequests, consumed in order.
import { Condition, controllerOf, findCondition, RunStrategy, VirtualMachine, VirtualMachineInstance, VirtualMachineStatus } from '@coxswain/api';
import { deepEqual } from '../framework/objects';
import { controllerRef } from '../framework/owners';
import { parseTime, rfc3339 } from '../framework/time';
import { isFinished, vmiView } from '../framework/workloads';

export interface VmInput {
  vm: VirtualMachine;
  /** The VMI named like the VM, if any (ours, an orphan, or someone else's). */
  vmi?: VirtualMachineInstance;
  now: number;
}

export type VmAction = { type: 'adoptVmi' } | { type: 'createVmi'; vmi: VirtualMachineInstance } | { type: 'deleteVmi'; reason: string } | { type: 'halt' };

export interface VmPlan {
  actions: VmAction[];
  /** The status to write, when it changed. */
  status?: VirtualMachineStatus;
  event?: { type: 'Normal' | 'Warning'; reason: string; message: string };
  requeueAfterMs?: number;
}

export function runStrategyOf(vm: VirtualMachine): RunStrategy {
  if (vm.spec.runStrategy) return vm.spec.runStrategy;
  return vm.spec.running ? 'Always' : 'Halted';
}

/** Back-off before restarting a VMI that failed `count` times in a row (the first restart is immediate). */
export const failureBackoffMs = (count: number): number => (count <= 1 ? 0 : Math.min(300_000, 5000 * 2 ** (count - 2)));

export function vmiFromTemplate(vm: VirtualMachine): VirtualMachineInstance {
  const meta = vm.spec.template.metadata ?? {};
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: {
      name: vm.metadata.name,
      namespace: vm.metadata.namespace,
      labels: { ...(meta.labels ?? {}), 'kubevirt.io/vm': vm.metadata.name! },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ownerReferences: [controllerRef({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: vm.metadata })],
    },
    spec: structuredClone(vm.spec.template.spec),
  };
}

export function planVm(input: VmInput): VmPlan {
  const { vm, now } = input;
  const actions: VmAction[] = [];
  let event: VmPlan['event'];
  let requeueAfterMs: number | undefined;
  const strategy = runStrategyOf(vm);
  const status: VirtualMachineStatus = structuredClone(vm.status ?? {});
  let requests = [...(status.stateChangeRequests ?? [])];

  // A VMI of this name controlled by someone else is not ours to touch.
  let vmi = input.vmi;
  if (vmi && controllerOf(vmi) && controllerOf(vmi)!.uid !== vm.metadata.uid) {
    event = { type: 'Warning', reason: 'FailedCreate', message: `VirtualMachineInstance ${vmi.metadata.name} exists and is controlled by someone else` };
    vmi = undefined;
    requests = [];
    return finish();
  }
  if (vmi && !controllerOf(vmi) && !vm.metadata.deletionTimestamp) actions.push({ type: 'adoptVmi' });

  const view = vmi ? vmiView(vmi) : undefined;
  const deleting = Boolean(view?.deleting);
  const finished = Boolean(view && isFinished(view));
  const create = () => {
    const wait = (parseTime(status.startFailure?.retryAfterTimestamp) ?? 0) - now;
    if (wait > 0) {
      requeueAfterMs = wait + 1;
      return false;
    }
    actions.push({ type: 'createVmi', vmi: vmiFromTemplate(vm) });
    event = { type: 'Normal', reason: 'SuccessfulCreate', message: `Started the virtual machine by creating the new virtual machine instance ${vm.metadata.name}` };
    return true;
  };
  const remove = (reason: string) => {
    if (!vmi || deleting) return;
    actions.push({ type: 'deleteVmi', reason });
    event = { type: 'Normal', reason: 'SuccessfulDelete', message: `Stopped the virtual machine by deleting the virtual machine instance ${vmi.metadata.name}` };
  };

  if (vm.metadata.deletionTimestamp) {
    return finish();
  }

  // Requests first, in order; a Stop stays until its VMI is gone so a Start cannot overtake it.
  while (requests.length > 0) {
    const request = requests[0];
    if (request.action === 'Stop') {
      if (vmi && (!request.uid || request.uid === vmi.metadata.uid)) {
        remove('Stop');
        break;
      }
      requests.shift();
      continue;
    }
    // Start
    if (vmi && !finished) {
      if (deleting) break;
      requests.shift();
      continue;
    }
    if (vmi && finished) {
      remove('Start');
      break;
    }
    if (create()) requests.shift();
    break;
  }

  const handledRequest = actions.some((a) => a.type !== 'adoptVmi');
  if (requests.length === 0 && !handledRequest) {
    switch (strategy) {
      case 'Always':
        if (!vmi) create();
        else if (finished) {
          noteFailure();
          remove('Restart');
        }
        break;
      case 'RerunOnFailure':
        if (!vmi) create();
        else if (finished && vmi.status?.phase === 'Failed') {
          noteFailure();
          remove('Restart');
        }
        break;
      case 'Halted':
        remove('Halted');
        break;
      case 'Once':
        if (!vmi && !status.created) create();
        else if (finished) actions.push({ type: 'halt' });
        break;
      case 'Manual':
        break;
    }
  }
  if (vmi?.status?.phase === 'Running' && status.startFailure) delete status.startFailure;
  return finish();

  /** A failed run (not one lost with its node) delays the next start more each time. */
  function noteFailure() {
    if (vmi?.status?.phase !== 'Failed' || vmi.status.reason === 'NodeLost') return;
    const count = (status.startFailure?.consecutiveFailCount ?? 0) + 1;
    status.startFailure = { consecutiveFailCount: count, retryAfterTimestamp: rfc3339(now + failureBackoffMs(count)) };
  }

  function finish(): VmPlan {
    const creating = actions.some((a) => a.type === 'createVmi');
    const v = vmi && !creating ? vmiView(vmi) : undefined;
    status.created = Boolean(vmi) || creating;
    status.ready = Boolean(v?.ready && !v.deleting);
    status.printableStatus = printable(vm, vmi, creating, requeueAfterMs !== undefined);
    status.runStrategy = strategy;
    status.observedGeneration = vm.metadata.generation;
    status.desiredGeneration = vm.metadata.generation;
    status.conditions = readyCondition(status.conditions, status.ready, now);
    if (requests.length) status.stateChangeRequests = requests;
    else delete status.stateChangeRequests;
    if (!status.created) delete status.created;
    return { actions, status: deepEqual(status, vm.status ?? {}) ? undefined : status, event, requeueAfterMs };
  }
}

function printable(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined, creating: boolean, backingOff: boolean): string {
  if (vm.metadata.deletionTimestamp) return 'Terminating';
  if (creating) return 'Starting';
  if (!vmi) return backingOff ? 'CrashLoopBackOff' : 'Stopped';
  if (vmi.metadata.deletionTimestamp) return 'Stopping';
  switch (vmi.status?.phase) {
    case 'Running':
      return 'Running';
    case 'Succeeded':
    case 'Failed':
      return 'Stopped';
    case 'Unknown':
      return 'Unknown';
    default: {
      const scheduled = findCondition(vmi.status?.conditions, 'PodScheduled');
      return scheduled?.status === 'False' && scheduled.reason === 'Unschedulable' ? 'ErrorUnschedulable' : 'Starting';
    }
  }
}

function readyCondition(conditions: Condition[] | undefined, ready: boolean, now: number): Condition[] {
  const list = conditions ?? [];
  const current = findCondition(list, 'Ready');
  const status = ready ? 'True' : 'False';
  if (current?.status === status) return list;
  const next: Condition = { type: 'Ready', status, lastProbeTime: null, lastTransitionTime: rfc3339(now), ...(ready ? {} : { reason: 'VMINotRunning', message: 'the virtual machine instance is not running and ready' }) };
  return [...list.filter((c) => c.type !== 'Ready'), next];
}
