// Status words as kubectl prints them, and the colour ("tone") each one is shown in.
import { printerFor, type KubeObject } from '@coxswain/api/browser';
import { condition, Obj } from './objects';

export type Tone = 'ok' | 'progress' | 'warn' | 'error' | 'muted';

const OK = new Set(['Running', 'Ready', 'Succeeded', 'Completed', 'Complete', 'SuccessCriteriaMet', 'True', 'Active', 'Available', 'Normal', 'Bound']);
const PROGRESS = new Set(['Pending', 'ContainerCreating', 'PodInitializing', 'Scheduling', 'Scheduled', 'Starting', 'Stopping', 'Provisioning', 'Terminating', 'Migrating', 'WaitingForVolumeBinding', 'Unknown', 'Progressing']);
const MUTED = new Set(['Stopped', 'Halted', 'SchedulingDisabled', 'Paused', 'Cordoned', 'Suspended']);

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

/** The API server's printed cell of `column` for an object (libs/api's printers, as in its Tables). */
export function printedCell(kind: string, obj: Obj, column: string, nowMs = Date.now()): string {
  const printer = printerFor(kind);
  const index = printer.columns.findIndex((c) => c.name === column);
  const cell = index < 0 ? undefined : printer.row(obj as KubeObject, nowMs).cells[index];
  return cell === null || cell === undefined ? '' : String(cell);
}

/** kubectl's STATUS column of a Pod: the API server's Pod printer. */
export function podStatus(pod: Obj): string {
  return printedCell('Pod', pod, 'Status');
}

/** `ready/total` containers and the restart count. */
export function podReadiness(pod: Obj): { ready: number; total: number; restarts: number } {
  const statuses: Obj[] = pod?.status?.containerStatuses ?? [];
  const total = (pod?.spec?.containers ?? []).length || statuses.length;
  return { ready: statuses.filter((s) => s.ready).length, total, restarts: statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0) };
}

/** `Ready`, `NotReady` or `Unknown`, with `,SchedulingDisabled` when cordoned: the Node printer's STATUS. */
export function nodeStatus(node: Obj): string {
  return printedCell('Node', node, 'Status');
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
