// The status write that tells users why a workload waits: PodScheduled=False/Unschedulable
// with the failure message, on Pods and (KubeVirt-style, plus phase Pending) on VMIs.
import { Condition } from '@coxswain/api';
import { Workload } from '@coxswain/scheduling';

export const POD_SCHEDULED = 'PodScheduled';
export const REASON_UNSCHEDULABLE = 'Unschedulable';

/**
 * A merge patch for the status subresource, or undefined when the object already says
 * exactly this (so repeated failures do not rewrite it). Conditions are sent whole because
 * a merge patch replaces lists.
 */
export function unschedulableStatusPatch(workload: Pick<Workload, 'kind' | 'object'>, message: string, now: string): { status: Record<string, unknown> } | undefined {
  const status = workload.object.status as { conditions?: Condition[]; phase?: string } | undefined;
  const conditions = status?.conditions ?? [];
  const current = conditions.find((c) => c.type === POD_SCHEDULED);
  const isVmi = workload.kind === 'VirtualMachineInstance';
  const phaseOk = !isVmi || status?.phase === 'Pending';
  if (current && current.status === 'False' && current.reason === REASON_UNSCHEDULABLE && current.message === message && phaseOk) return undefined;
  const condition: Condition = {
    type: POD_SCHEDULED,
    status: 'False',
    reason: REASON_UNSCHEDULABLE,
    message,
    lastProbeTime: null,
    lastTransitionTime: current?.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : now,
  };
  const merged = current ? conditions.map((c) => (c.type === POD_SCHEDULED ? condition : c)) : [...conditions, condition];
  return { status: isVmi ? { phase: 'Pending', conditions: merged } : { conditions: merged } };
}
