// Local storage limits, the kubelet eviction manager's localStorageEviction, in its order:
// a disk-backed emptyDir over its sizeLimit; the pod's local storage (its disk emptyDirs, its
// containers' writable layers and logs) over the sum of its containers' ephemeral-storage
// limits; one container's writable layer and log over its own limit. Such a pod is evicted —
// its containers stopped, the pod Failed with reason Evicted, never restarted. (A memory-backed
// emptyDir is a tmpfs of its size: the kernel refuses writes past it, and it is no disk.)
// Pure; the agent measures usage (agent/local-storage-limits.ts).
import { memoryBytes, Pod, toQuantity } from '@coxswain/api/browser';
import { NodeMemory, PodView } from './model';

export const EVICTED_REASON = 'Evicted';

// The kubelet's words (emptyDirMessageFmt, podEphemeralStorageMessageFmt, containerEphemeralStorageMessageFmt).
export const emptyDirEvictionMessage = (volume: string, limit: string) => `Usage of EmptyDir volume "${volume}" exceeds the limit "${limit}". `;
export const podStorageEvictionMessage = (limit: string) => `Pod ephemeral local storage usage exceeds the total limit of containers ${limit}. `;
export const containerStorageEvictionMessage = (container: string, limit: string) => `Container ${container} exceeded its local ephemeral storage limit "${limit}". `;

export interface StorageLimit {
  /** The volume's or the container's name. */
  name: string;
  /** As written in the spec, for the message. */
  limit: string;
  bytes: number;
}

/** What a pod's local storage takes, in bytes: disk emptyDirs by volume, latest instances by container. Absent: not measured. */
export interface StorageUsage {
  volumes: Map<string, number>;
  containers: Map<string, number>;
}

/** The pod's disk-backed emptyDir volumes (the ones local storage counts). */
export function diskEmptyDirs(pod: Pod): string[] {
  return (pod.spec.volumes ?? []).filter((v) => v.emptyDir && v.emptyDir.medium !== 'Memory').map((v) => v.name);
}

/** The pod's disk-backed emptyDir volumes that have a sizeLimit. */
export function emptyDirLimits(pod: Pod): StorageLimit[] {
  return (pod.spec.volumes ?? []).flatMap((v) => {
    const limit = v.emptyDir?.sizeLimit as string | number | undefined | null;
    if (limit === undefined || limit === null || v.emptyDir?.medium === 'Memory') return [];
    return [{ name: v.name, limit: String(limit), bytes: memoryBytes(limit) }];
  });
}

/** The app containers' ephemeral-storage limits. */
export function containerStorageLimits(pod: Pod): StorageLimit[] {
  return pod.spec.containers.flatMap((c) => {
    const limit = c.resources?.limits?.['ephemeral-storage'] as string | number | undefined;
    return limit === undefined ? [] : [{ name: c.name, limit: String(limit), bytes: memoryBytes(limit) }];
  });
}

/** Whether the pod has any local storage limit to enforce (else nothing of it need be measured). */
export function hasStorageLimits(pod: Pod): boolean {
  return emptyDirLimits(pod).length > 0 || containerStorageLimits(pod).length > 0;
}

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

/** Why the pod must be evicted for its local storage, or undefined. */
export function localStorageEviction(pod: Pod, usage: StorageUsage): string | undefined {
  const volume = emptyDirLimits(pod).find((l) => (usage.volumes.get(l.name) ?? 0) > l.bytes);
  if (volume) return emptyDirEvictionMessage(volume.name, volume.limit);
  const containers = containerStorageLimits(pod);
  if (containers.length === 0) return undefined;
  const total = sum(containers.map((c) => c.bytes));
  const disk = new Set(diskEmptyDirs(pod));
  const used = sum([...usage.volumes].filter(([name]) => disk.has(name)).map(([, bytes]) => bytes)) + sum(usage.containers.values());
  if (total > 0 && used > total) {
    return podStorageEvictionMessage(containers.map((c) => toQuantity(c.limit)).reduce((a, b) => a.add(b)).toString());
  }
  const container = containers.find((c) => (usage.containers.get(c.name) ?? 0) > c.bytes);
  return container ? containerStorageEvictionMessage(container.name, container.limit) : undefined;
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
