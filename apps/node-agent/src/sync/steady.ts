// When a full sync pass may be skipped. The kubelet's PLEG relists containers every second
// but syncs a pod only when its containers changed, an API event arrived or its periodic
// resync is due; with 110 idle pods a full pass (views, plan, a status computed and compared
// per pod) every second was most of the agent's idle CPU. Pure: the agent relists each tick
// and runs a full pass only when `fullPassDue` says so.
import { ObservedPod, PodView } from './model';

/** What a relist must show unchanged: containers (id, attempt, state, exit) and sandboxes. */
export function observedFingerprint(observed: ObservedPod[]): string {
  return observed
    .map((p) => `${p.uid}:${p.sandbox ? `${p.sandbox.ready ? 'r' : 'n'}${p.sandbox.ip ?? ''}` : '-'}:${p.containers.map((c) => `${c.id}/${c.attempt}/${c.state}/${c.exitCode ?? ''}`).join(',')}`)
    .sort()
    .join(';');
}

/**
 * A pass left the node steady when nothing of it is time-driven: no work launched or under
 * way, no status written, no pod being deleted, every pod bound here has its sandbox ready
 * and each of its containers running, and nothing runs here that is not bound here.
 * Anything else (a backoff to wait out, a pull to retry, a grace period) keeps a pass per tick.
 */
export function isSteady(pods: PodView[], observed: ObservedPod[], pass: { launched: number; inFlight: number; statusWrites: number; vmis: number }): boolean {
  if (pass.launched || pass.inFlight || pass.statusWrites || pass.vmis) return false;
  const byUid = new Map(observed.map((o) => [o.uid, o]));
  const bound = new Set(pods.map((p) => p.metadata.uid));
  if (observed.some((o) => !bound.has(o.uid))) return false;
  const active = pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  return active.every((pod) => {
    const seen = byUid.get(pod.metadata.uid);
    if (pod.metadata.deletionTimestamp || !seen?.sandbox?.ready) return false;
    return pod.spec.containers.every((c) => seen.containers.some((o) => o.name === c.name && o.state === 'running'));
  });
}

/** A full pass runs unless the last one left the node steady, the relist looks the same and the resync is not due. */
export function fullPassDue(last: { steady: boolean; fingerprint: string; at: number } | undefined, fingerprint: string, now: number, resyncMs: number): boolean {
  return !last || !last.steady || last.fingerprint !== fingerprint || now - last.at >= resyncMs;
}

/**
 * Whether a tick must relist at all. A runtime that reports every container exit needs no
 * relist until it reports one (the kubelet's Evented PLEG), except at the resync: what no
 * event tells (a shim killed outright, a directory removed by hand) is found there.
 */
export function relistNeeded(changeReported: boolean, changesWatched: boolean, sinceLastPassMs: number, resyncMs: number): boolean {
  return changeReported || !changesWatched || sinceLastPassMs >= resyncMs;
}
