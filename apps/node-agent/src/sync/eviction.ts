// emptyDir sizeLimit on disk, the kubelet eviction manager's emptyDirLimitEviction: a pod whose
// disk-backed emptyDir holds more than its sizeLimit is evicted — its containers stopped, the
// pod Failed with reason Evicted, never restarted. (A memory-backed emptyDir is a tmpfs of that
// size: the kernel refuses writes past it.) Pure; the agent measures usage (disk-usage.ts).
import { memoryBytes, Pod } from '@coxswain/api/browser';
import { NodeMemory, PodView } from './model';

export const EVICTED_REASON = 'Evicted';

/** The kubelet's words (emptyDirMessageFmt). */
export function emptyDirEvictionMessage(volume: string, limit: string): string {
  return `Usage of EmptyDir volume "${volume}" exceeds the limit "${limit}". `;
}

export interface EmptyDirLimit {
  volume: string;
  /** As written in the spec, for the message. */
  limit: string;
  bytes: number;
}

/** The pod's disk-backed emptyDir volumes that have a sizeLimit. */
export function emptyDirLimits(pod: Pod): EmptyDirLimit[] {
  return (pod.spec.volumes ?? []).flatMap((v) => {
    const limit = v.emptyDir?.sizeLimit as string | number | undefined;
    if (limit === undefined || limit === null || v.emptyDir?.medium === 'Memory') return [];
    return [{ volume: v.name, limit: String(limit), bytes: memoryBytes(limit) }];
  });
}

/** The first limit the measured usage (bytes by volume; absent: not measured) exceeds. */
export function exceededLimit(limits: EmptyDirLimit[], usage: Map<string, number>): EmptyDirLimit | undefined {
  return limits.find((l) => (usage.get(l.volume) ?? 0) > l.bytes);
}

/** Why the pod is evicted, if it is: decided by this agent (memory), or read back from its last status. */
export function evictionOf(pod: PodView, memory: NodeMemory): string | undefined {
  return memory.evictions?.get(pod.metadata.uid) ?? pod.status?.evicted;
}

/** The view with this agent's eviction in `status.evicted`, which computePodStatus reads. */
export function withEviction(pod: PodView, memory: NodeMemory): PodView {
  const evicted = evictionOf(pod, memory);
  return evicted === undefined || evicted === pod.status?.evicted ? pod : { ...pod, status: { ...pod.status, evicted } };
}
