// The periodic half of emptyDir sizeLimit eviction (sync/eviction.ts is the rule): measures the
// disk-backed emptyDirs that have a limit, of pods still running here, and records an eviction
// for a pod over one. The kubelet's eviction manager checks every 10 s, as the agent does.
import { Pod } from '@coxswain/api/browser';
import { emptyDirEvictionMessage, emptyDirLimits, exceededLimit } from '../sync/eviction';

/** Bytes a pod's volume takes on disk; undefined when it has none (yet). */
export type VolumeUsage = (uid: string, volume: string) => Promise<number | undefined>;

/**
 * Adds to `evictions` (uid → message) each pod over a limit and answers their uids; forgets
 * pods no longer bound here.
 */
export async function checkEmptyDirLimits(pods: Pod[], usage: VolumeUsage, evictions: Map<string, string>): Promise<string[]> {
  const bound = new Set(pods.map((p) => p.metadata.uid!));
  for (const uid of evictions.keys()) if (!bound.has(uid)) evictions.delete(uid);
  const evicted: string[] = [];
  for (const pod of pods) {
    const uid = pod.metadata.uid!;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed' || evictions.has(uid)) continue;
    const limits = emptyDirLimits(pod);
    if (limits.length === 0) continue;
    const measured = new Map<string, number>();
    for (const { volume } of limits) {
      const bytes = await usage(uid, volume);
      if (bytes !== undefined) measured.set(volume, bytes);
    }
    const over = exceededLimit(limits, measured);
    if (!over) continue;
    evictions.set(uid, emptyDirEvictionMessage(over.volume, over.limit));
    evicted.push(uid);
  }
  return evicted;
}
