// The periodic half of local storage eviction (sync/eviction.ts is the rule): for pods running
// here that have a limit (an emptyDir sizeLimit, a container's ephemeral-storage limit), measures
// their disk emptyDirs and their containers' latest instances, and records an eviction for a pod
// over one. The kubelet's eviction manager checks every 10 s, as the agent does.
import { Pod } from '@coxswain/api/browser';
import { PodRuntime } from '../runtime-port';
import { ObservedPod } from '../sync/model';
import { instancesOf } from '../sync/plan';
import { diskEmptyDirs, hasStorageLimits, localStorageEviction, StorageUsage } from '../sync/eviction';

/** What the runtime measures on disk (bytes; undefined when there is nothing yet). */
export type LocalStorageUsage = Pick<PodRuntime, 'volumeUsageBytes' | 'containerStorageBytes'>;

/** What the check keeps between rounds. */
export interface LocalStorageState {
  /** uid → the eviction's message. */
  evictions: Map<string, string>;
  /**
   * uid → not measured again before (ms). Walking a volume of many files costs CPU, so a pod
   * whose measurement took t waits 20 t (at least the check's own period) for the next.
   */
  notBefore: Map<string, number>;
}

/** A measurement that took `ms` is not repeated for this many times as long. */
const MEASURE_SPACING = 20;

/**
 * Adds to `state.evictions` each pod over a limit and answers their uids; forgets pods no
 * longer bound here.
 */
export async function checkLocalStorage(pods: Pod[], observed: ObservedPod[], usage: LocalStorageUsage, state: LocalStorageState, now: () => number): Promise<string[]> {
  const { evictions, notBefore } = state;
  const bound = new Set(pods.map((p) => p.metadata.uid!));
  for (const uid of evictions.keys()) if (!bound.has(uid)) evictions.delete(uid);
  for (const uid of notBefore.keys()) if (!bound.has(uid)) notBefore.delete(uid);
  const byUid = new Map(observed.map((o) => [o.uid, o]));
  const evicted: string[] = [];
  for (const pod of pods) {
    const uid = pod.metadata.uid!;
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed' || evictions.has(uid)) continue;
    if (!hasStorageLimits(pod) || now() < (notBefore.get(uid) ?? 0)) continue;
    const started = now();
    const measured: StorageUsage = { volumes: new Map(), containers: new Map() };
    for (const volume of diskEmptyDirs(pod)) {
      const bytes = await usage.volumeUsageBytes(uid, volume);
      if (bytes !== undefined) measured.volumes.set(volume, bytes);
    }
    for (const container of pod.spec.containers) {
      const latest = instancesOf(byUid.get(uid), container.name).at(-1);
      const bytes = latest && latest.state !== 'exited' ? await usage.containerStorageBytes(uid, latest) : undefined;
      if (bytes !== undefined) measured.containers.set(container.name, bytes);
    }
    notBefore.set(uid, now() + (now() - started) * MEASURE_SPACING);
    const message = localStorageEviction(pod, measured);
    if (message === undefined) continue;
    evictions.set(uid, message);
    evicted.push(uid);
  }
  return evicted;
}
