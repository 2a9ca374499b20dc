// `coxctl why`: pure reading of why a workload waits — the scheduler's per-node diagnosis
// (the JSON annotation on its FailedScheduling events, never its prose), and a per-node view
// computed by libs/scheduling's explain(): the scheduler's own filters over the nodes and
// what is already bound to them.
import { formatBytes, formatCpuMillis } from '@coxswain/api';
import { explain, latestDiagnosisRecord, NodeExplanation, REASON_INSUFFICIENT_CPU, REASON_INSUFFICIENT_MEMORY, recordReasonCounts } from '@coxswain/scheduling';
import { Obj } from '../types';

export interface SchedulerReason {
  count: number;
  reason: string;
}

export interface SchedulerSummary {
  total: number;
  reasons: SchedulerReason[];
  /** Nodes the scheduler rejected but did not list (the annotation is capped). */
  omitted: number;
}

/** Reason counts from the newest FailedScheduling event that carries the scheduler's diagnosis. */
export function schedulerSummary(events: Obj[]): SchedulerSummary | undefined {
  const record = latestDiagnosisRecord(events);
  return record && { total: record.nodeCount, reasons: recordReasonCounts(record), omitted: record.omitted };
}

export interface NodeView {
  name: string;
  ready: boolean;
  schedulable: boolean;
  /** Every rejecting filter's reasons, in the scheduler's order; empty: the workload fits. */
  blockers: string[];
}

/** The scheduler's reason, with the numbers behind a shortage. */
function detailed(reason: string, node: NodeExplanation, want: { milliCpu: number; memory: number }): string {
  if (reason === REASON_INSUFFICIENT_CPU) return `${reason}: needs ${formatCpuMillis(want.milliCpu)}, ${formatCpuMillis(Math.max(0, node.allocatable.milliCpu - node.requested.milliCpu))} free`;
  if (reason === REASON_INSUFFICIENT_MEMORY) return `${reason}: needs ${formatBytes(want.memory)}, ${formatBytes(Math.max(0, node.allocatable.memory - node.requested.memory))} free`;
  return reason;
}

/** What stands between the workload and each node, by the scheduler's default filters. */
export interface ClusterView {
  pods: Obj[];
  vmis: Obj[];
  /** Claims, volumes and classes, when the workload uses claims (VolumeBinding). */
  storage?: { claims: Obj[]; volumes: Obj[]; classes: Obj[] };
}

export function nodeViews(workload: Obj, nodes: Obj[], bound: ClusterView): NodeView[] {
  const explained = explain(workload as never, nodes as never, { pods: bound.pods, vmis: bound.vmis } as never, undefined, { storage: bound.storage as never });
  const want = explained.workload.requests;
  return explained.nodes.map((n) => ({
    name: n.node,
    ready: n.ready,
    schedulable: !n.unschedulable,
    blockers: n.rejections.flatMap((r) => r.reasons.map((reason) => detailed(reason, n, want))),
  }));
}

/** The condition that explains a pending workload (PodScheduled=False), if any. */
export function schedulingCondition(workload: Obj): Obj | undefined {
  return ((workload.status?.conditions ?? []) as Obj[]).find((c) => c.type === 'PodScheduled' && c.status === 'False');
}

/** Container states worth pointing at on a scheduled workload that is not running. */
export function containerProblems(pod: Obj): string[] {
  const out: string[] = [];
  for (const c of [...((pod.status?.initContainerStatuses ?? []) as Obj[]), ...((pod.status?.containerStatuses ?? []) as Obj[])]) {
    const waiting = c.state?.waiting;
    const terminated = c.state?.terminated;
    if (waiting?.reason && waiting.reason !== 'ContainerCreating' && waiting.reason !== 'PodInitializing') out.push(`container ${c.name}: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`);
    else if (terminated && terminated.exitCode !== 0) out.push(`container ${c.name}: terminated with exit code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}`);
    else if (!c.ready && c.restartCount > 0) out.push(`container ${c.name}: not ready after ${c.restartCount} restarts`);
  }
  return out;
}
