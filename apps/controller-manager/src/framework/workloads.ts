// One view of a Pod or a VirtualMachineInstance for the controllers that count, rank and
// replace them (ReplicaSet, VMI replica set, Deployment, node lifecycle, autoscaler).
import { findCondition, Pod, VirtualMachineInstance } from '@coxswain/api';
import { parseTime } from './time';

export type WorkloadPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface WorkloadView {
  name: string;
  uid?: string;
  nodeName?: string;
  phase: WorkloadPhase;
  ready: boolean;
  /** When Ready last turned True (ms). */
  readySince?: number;
  restarts: number;
  created: number;
  deleting: boolean;
}

const TERMINAL = new Set<WorkloadPhase>(['Succeeded', 'Failed']);

export function podView(pod: Pod): WorkloadView {
  const ready = findCondition(pod.status?.conditions, 'Ready');
  return {
    name: pod.metadata.name!,
    uid: pod.metadata.uid,
    nodeName: pod.spec?.nodeName || undefined,
    phase: pod.status?.phase ?? 'Pending',
    ready: ready?.status === 'True',
    readySince: ready?.status === 'True' ? parseTime(ready.lastTransitionTime) : undefined,
    restarts: (pod.status?.containerStatuses ?? []).reduce((sum, c) => sum + (c.restartCount ?? 0), 0),
    created: parseTime(pod.metadata.creationTimestamp) ?? 0,
    deleting: Boolean(pod.metadata.deletionTimestamp),
  };
}

/** VMI phases fold onto pod phases: Scheduling/Scheduled are still Pending. */
export function vmiView(vmi: VirtualMachineInstance): WorkloadView {
  const phase = vmi.status?.phase ?? 'Pending';
  const folded: WorkloadPhase = phase === 'Scheduling' || phase === 'Scheduled' ? 'Pending' : phase;
  const readyCondition = findCondition(vmi.status?.conditions, 'Ready');
  // A running VMI without a Ready condition (no readiness probe reported) counts as ready.
  const ready = folded === 'Running' && (readyCondition ? readyCondition.status === 'True' : true);
  return {
    name: vmi.metadata.name!,
    uid: vmi.metadata.uid,
    nodeName: vmi.status?.nodeName || vmi.spec?.nodeName || undefined,
    phase: folded,
    ready,
    readySince: ready ? parseTime(readyCondition?.lastTransitionTime) ?? phaseSince(vmi, 'Running') : undefined,
    restarts: 0,
    created: parseTime(vmi.metadata.creationTimestamp) ?? 0,
    deleting: Boolean(vmi.metadata.deletionTimestamp),
  };
}

function phaseSince(vmi: VirtualMachineInstance, phase: string): number | undefined {
  const entry = vmi.status?.phaseTransitionTimestamps?.filter((t) => t.phase === phase).pop();
  return parseTime(entry?.phaseTransitionTimestamp);
}

/** Counts toward replicas: not finished and not being deleted. */
export const isActive = (w: WorkloadView): boolean => !w.deleting && !TERMINAL.has(w.phase);

export const isFinished = (w: WorkloadView): boolean => TERMINAL.has(w.phase);

/** Ready for at least minReadySeconds at `now`. */
export function isAvailable(w: WorkloadView, minReadySeconds: number, now: number): boolean {
  if (!w.ready) return false;
  if (minReadySeconds <= 0) return true;
  return w.readySince !== undefined && w.readySince + minReadySeconds * 1000 <= now;
}

/** Ms until a ready workload becomes available, or undefined when it already is / never will on its own. */
export function msUntilAvailable(w: WorkloadView, minReadySeconds: number, now: number): number | undefined {
  if (!w.ready || minReadySeconds <= 0 || w.readySince === undefined) return undefined;
  const at = w.readySince + minReadySeconds * 1000;
  return at > now ? at - now : undefined;
}

const PHASE_RANK: Record<WorkloadPhase, number> = { Pending: 0, Unknown: 1, Running: 2, Succeeded: 3, Failed: 3 };

/**
 * Kubernetes' ActivePods ordering, least valuable first: unscheduled before scheduled,
 * pending before unknown before running, not ready before ready, ready for less time
 * first, more restarts first, newer first.
 */
export function compareForDeletion(a: WorkloadView, b: WorkloadView): number {
  if (Boolean(a.nodeName) !== Boolean(b.nodeName)) return a.nodeName ? 1 : -1;
  if (PHASE_RANK[a.phase] !== PHASE_RANK[b.phase]) return PHASE_RANK[a.phase] - PHASE_RANK[b.phase];
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.ready && b.ready && a.readySince !== b.readySince) {
    if (a.readySince === undefined) return -1;
    if (b.readySince === undefined) return 1;
    return b.readySince - a.readySince;
  }
  if (a.restarts !== b.restarts) return b.restarts - a.restarts;
  if (a.created !== b.created) return b.created - a.created;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
