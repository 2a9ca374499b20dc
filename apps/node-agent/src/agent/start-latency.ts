// Start latency as users see it, apply → Running: from the workload's creationTimestamp to
// the status write that first reports it Running on this node. Pure; the agent observes the
// result into node_agent_workload_start_latency_seconds{kind="container"|"vm"}, the series
// the containers-vs-VMs comparison reads.

export type WorkloadKind = 'container' | 'vm';

export interface LatencyInput {
  creationTimestamp?: string;
  /** Phase stored before this write. */
  previousPhase?: string;
  /** Phase this write reports (undefined when unchanged). */
  nextPhase?: string;
}

/** Seconds from apply to Running, when this write is the one that turns the workload Running. */
export function startLatencySeconds(input: LatencyInput, now: number): number | undefined {
  if (input.nextPhase !== 'Running' || input.previousPhase === 'Running') return undefined;
  const created = Date.parse(input.creationTimestamp ?? '');
  if (!Number.isFinite(created)) return undefined;
  // creationTimestamp has whole seconds: never report a negative latency.
  return Math.max(0, (now - created) / 1000);
}
