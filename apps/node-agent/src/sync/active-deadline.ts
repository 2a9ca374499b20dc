// spec.activeDeadlineSeconds, the kubelet's activeDeadlineHandler: a pod active on the node
// longer than that (from status.startTime) is killed and Failed with DeadlineExceeded, and never
// restarted. Pure: `now` is an input; the plan stops its containers, the status reports it.
import { PodView } from './model';

export const DEADLINE_EXCEEDED_REASON = 'DeadlineExceeded';
export const DEADLINE_EXCEEDED_MESSAGE = 'Pod was active on the node longer than the specified deadline';

/** When the pod's deadline falls (ms), or undefined: no deadline, or not started (no startTime yet). */
export function deadlineAt(pod: PodView): number | undefined {
  const seconds = pod.spec.activeDeadlineSeconds;
  const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : NaN;
  if (seconds === undefined || Number.isNaN(start)) return undefined;
  return start + seconds * 1000;
}

/** now − startTime ≥ activeDeadlineSeconds. */
export function deadlineExceeded(pod: PodView, now: number): boolean {
  const at = deadlineAt(pod);
  return at !== undefined && now >= at;
}

/** The earliest deadline still ahead among pods that are running here (not terminal, not being deleted). */
export function nextDeadline(pods: PodView[], now: number): number | undefined {
  let next: number | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    const at = deadlineAt(pod);
    if (at !== undefined && at > now && (next === undefined || at < next)) next = at;
  }
  return next;
}
