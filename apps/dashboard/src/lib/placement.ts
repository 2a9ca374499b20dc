// Why a Pending Pod or VMI is not placed: the scheduler's own words (PodScheduled condition
// and FailedScheduling events), its per-node diagnosis (the events' JSON annotation), and per
// node what @coxswain/scheduling's explain() finds now — the scheduler's own filters.
import { explain, latestDiagnosisRecord, NodeExplanation, REASON_INSUFFICIENT_CPU, REASON_INSUFFICIENT_MEMORY, recordReasonCounts } from '@coxswain/scheduling';
import type { Node, Pod, VirtualMachineInstance } from '@coxswain/api/browser';
import { condition, Obj } from './objects';
import { formatBytes, formatCpu } from './quantity';
import { eventTime } from './columns';
import { timeOf } from './age';

export interface NodeVerdict {
  node: string;
  fits: boolean;
  reasons: string[];
}

export interface PlacementExplanation {
  pending: boolean;
  /** The scheduler's message (`0/2 nodes are available: 2 Insufficient cpu.`). */
  schedulerMessage?: string;
  /** Reasons with node counts from the scheduler's diagnosis record. */
  summary: Array<{ count: number; reason: string }>;
  /** Latest FailedScheduling events, newest first. */
  events: Array<{ message: string; count: number; lastSeen?: string }>;
  perNode: NodeVerdict[];
}

/** The scheduler's reason, with the numbers behind a shortage. */
function detailed(reason: string, node: NodeExplanation, want: { milliCpu: number; memory: number }): string {
  const { allocatable: cap, requested: used } = node;
  if (reason === REASON_INSUFFICIENT_CPU) return `${reason} (requests ${formatCpu(want.milliCpu / 1000)}, free ${formatCpu(Math.max(0, cap.milliCpu - used.milliCpu) / 1000)} of ${formatCpu(cap.milliCpu / 1000)})`;
  if (reason === REASON_INSUFFICIENT_MEMORY) return `${reason} (requests ${formatBytes(want.memory)}, free ${formatBytes(Math.max(0, cap.memory - used.memory))} of ${formatBytes(cap.memory)})`;
  return reason;
}

/** The per-node verdicts for one workload (Pod or VirtualMachineInstance). */
export function nodeVerdicts(workload: Obj, nodes: Obj[], pods: Obj[], vmis: Obj[]): NodeVerdict[] {
  const explained = explain(workload as Pod | VirtualMachineInstance, nodes as Node[], { pods: pods as Pod[], vmis: vmis as VirtualMachineInstance[] });
  return explained.nodes.map((n) => ({ node: n.node, fits: n.fits, reasons: n.rejections.flatMap((r) => r.reasons.map((reason) => detailed(reason, n, explained.workload.requests))) }));
}

export function isPending(workload: Obj): boolean {
  if (workload?.metadata?.deletionTimestamp) return false;
  const bound = workload?.spec?.nodeName || workload?.status?.nodeName;
  return !bound && (workload?.status?.phase ?? 'Pending') === 'Pending';
}

export function explainPlacement(workload: Obj, nodes: Obj[], pods: Obj[], vmis: Obj[], events: Obj[]): PlacementExplanation {
  const scheduled = condition(workload, 'PodScheduled');
  const mine = events.filter((e) => e.reason === 'FailedScheduling' && (!e.involvedObject?.uid || e.involvedObject.uid === workload.metadata?.uid));
  const failures = [...mine].sort((a, b) => timeOf(eventTime(b)) - timeOf(eventTime(a))).map((e) => ({ message: e.message ?? '', count: e.count ?? 1, lastSeen: eventTime(e) }));
  const schedulerMessage = scheduled?.status === 'False' ? scheduled.message : failures[0]?.message;
  const record = latestDiagnosisRecord(mine);
  const pending = isPending(workload);
  return { pending, schedulerMessage, summary: record ? recordReasonCounts(record) : [], events: failures, perNode: pending ? nodeVerdicts(workload, nodes, pods, vmis) : [] };
}
