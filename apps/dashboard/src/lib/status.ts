// Status words as kubectl prints them, and the colour ("tone") each one is shown in.
import { condition, Obj } from './objects';

export type Tone = 'ok' | 'progress' | 'warn' | 'error' | 'muted';

const OK = new Set(['Running', 'Ready', 'Succeeded', 'Completed', 'True', 'Active', 'Available', 'Normal', 'Bound']);
const PROGRESS = new Set(['Pending', 'ContainerCreating', 'PodInitializing', 'Scheduling', 'Scheduled', 'Starting', 'Stopping', 'Provisioning', 'Terminating', 'Migrating', 'WaitingForVolumeBinding', 'Unknown', 'Progressing']);
const MUTED = new Set(['Stopped', 'Halted', 'SchedulingDisabled', 'Paused', 'Cordoned']);

/** The tone of a status word; several comma-separated words take the worst one. */
export function toneOf(status: string | undefined): Tone {
  if (!status) return 'muted';
  const words = status.split(',').map((w) => w.trim());
  if (words.length > 1) {
    const order: Tone[] = ['error', 'warn', 'progress', 'muted', 'ok'];
    const tones = words.map((w) => toneOf(w));
    return order.find((t) => tones.includes(t)) ?? 'muted';
  }
  if (OK.has(status)) return 'ok';
  if (PROGRESS.has(status)) return 'progress';
  if (MUTED.has(status)) return 'muted';
  if (status === 'Warning') return 'warn';
  return 'error';
}

/** kubectl's STATUS column of a Pod (phase refined by container states). */
export function podStatus(pod: Obj): string {
  let reason: string = pod?.status?.reason || pod?.status?.phase || 'Pending';
  const statuses: Obj[] = pod?.status?.containerStatuses ?? [];
  let running = false;
  for (const cs of [...statuses].reverse()) {
    const st = cs.state ?? {};
    if (st.waiting?.reason) reason = st.waiting.reason;
    else if (st.terminated?.reason) reason = st.terminated.reason;
    else if (st.terminated) reason = st.terminated.signal ? `Signal:${st.terminated.signal}` : `ExitCode:${st.terminated.exitCode}`;
    else if (st.running && cs.ready) running = true;
  }
  if (reason === 'Completed' && running) reason = condition(pod, 'Ready')?.status === 'True' ? 'Running' : 'NotReady';
  if (pod?.metadata?.deletionTimestamp) return pod?.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

/** `ready/total` containers and the restart count. */
export function podReadiness(pod: Obj): { ready: number; total: number; restarts: number } {
  const statuses: Obj[] = pod?.status?.containerStatuses ?? [];
  const total = (pod?.spec?.containers ?? []).length || statuses.length;
  return { ready: statuses.filter((s) => s.ready).length, total, restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0) };
}

/** `Ready`, `NotReady` or `Unknown`, with `,SchedulingDisabled` when cordoned. */
export function nodeStatus(node: Obj): string {
  const ready = condition(node, 'Ready');
  const base = ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown';
  return node?.spec?.unschedulable ? `${base},SchedulingDisabled` : base;
}

export const isNodeReady = (node: Obj) => condition(node, 'Ready')?.status === 'True';

/** A VirtualMachine's status as `kubectl get vm` prints it. */
export function vmStatus(vm: Obj): string {
  if (vm?.status?.printableStatus) return vm.status.printableStatus;
  if (vm?.status?.ready) return 'Running';
  const strategy = vm?.spec?.runStrategy ?? (vm?.spec?.running ? 'Always' : 'Halted');
  return strategy === 'Halted' ? 'Stopped' : 'Starting';
}

export function vmiPhase(vmi: Obj): string {
  if (vmi?.metadata?.deletionTimestamp) return 'Terminating';
  return vmi?.status?.phase || 'Pending';
}

/** Desired vs ready replicas of a Deployment / ReplicaSet / VMI replica set. */
export function replicaStatus(o: Obj): { desired: number; ready: number; available: number; updated: number; current: number } {
  const s = o?.status ?? {};
  return { desired: o?.spec?.replicas ?? 1, ready: s.readyReplicas ?? 0, available: s.availableReplicas ?? 0, updated: s.updatedReplicas ?? 0, current: s.replicas ?? 0 };
}

export function rolloutTone(o: Obj): Tone {
  const progressing = condition(o, 'Progressing');
  if (progressing?.status === 'False') return 'error';
  const r = replicaStatus(o);
  if (r.desired === 0) return 'muted';
  return r.ready >= r.desired ? 'ok' : 'progress';
}
