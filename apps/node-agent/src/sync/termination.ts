// Stopping a container waits out its grace period. If the sync pass awaited that, one pod
// ignoring SIGTERM would hold back every other pod's start, status and termination for up to
// its grace period, and deletions arriving in waves would take a grace period per wave. So a
// pod whose actions only stop or remove things is terminated in the background: each pod's
// grace honoured, all of them in parallel, the pass free to go on.
import { SyncAction } from './model';

const TERMINATING = new Set<SyncAction['type']>(['killContainer', 'removeContainer', 'removePod']);

export function uidOfAction(action: SyncAction): string {
  return 'pod' in action ? action.pod.metadata.uid : action.uid;
}

export interface SplitActions {
  /** Applied by this pass (awaited). */
  inline: SyncAction[];
  /** Per pod uid, actions to run in the background, in order. */
  background: Map<string, SyncAction[]>;
}

/**
 * Splits a plan: pods already terminating in the background get nothing new this pass (the
 * next pass after theirs plans afresh); pods whose actions only stop/remove go to the
 * background; everything else stays inline, in the planned order.
 */
export function splitTermination(actions: SyncAction[], inFlight: ReadonlySet<string>): SplitActions {
  const byPod = new Map<string, SyncAction[]>();
  for (const action of actions) {
    const uid = uidOfAction(action);
    if (inFlight.has(uid)) continue;
    byPod.set(uid, [...(byPod.get(uid) ?? []), action]);
  }
  const background = new Map<string, SyncAction[]>();
  const backgroundUids = new Set<string>();
  for (const [uid, list] of byPod) {
    if (list.every((a) => TERMINATING.has(a.type))) {
      background.set(uid, list);
      backgroundUids.add(uid);
    }
  }
  const inline = actions.filter((a) => !inFlight.has(uidOfAction(a)) && !backgroundUids.has(uidOfAction(a)));
  return { inline, background };
}
