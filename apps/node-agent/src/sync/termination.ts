// Pod workers, as the kubelet has them: each pod's actions run in the background, one list per
// pod at a time, so the sync pass never waits on a grace period, an image pull or a slow runc
// start, and every pod's status is written as soon as its own work is done (a finished worker
// kicks the next pass). Stops run all in parallel, each pod's grace honoured; starts are
// bounded, because 110 sandboxes and runc starts at once on two cores only thrash.
import { SyncAction } from './model';

const TERMINATING = new Set<SyncAction['type']>(['killContainer', 'removeContainer', 'removePod']);

/** How many pods may be starting (sandbox, pull, container start) at once by default. */
export const DEFAULT_MAX_PARALLEL_STARTS = 16;

export function uidOfAction(action: SyncAction): string {
  return 'pod' in action ? action.pod.metadata.uid : action.uid;
}

export interface PodWork {
  uid: string;
  /** The pod's actions, in the planned order. */
  actions: SyncAction[];
  /** Only stops/removals: never held back by the start bound. */
  stopping: boolean;
}

export interface WorkSplit {
  /** Workers to launch this pass. */
  launch: PodWork[];
  /** Pods with work that waits for a start slot (planned afresh by a later pass). */
  deferred: string[];
}

/**
 * Groups a plan by pod. Pods with a worker in flight get nothing new (the pass after it
 * finishes plans afresh). Stopping pods all launch; other pods launch while start slots are
 * free (`freeStartSlots`), in plan order; the rest wait.
 */
export function splitWork(actions: SyncAction[], inFlight: ReadonlySet<string>, freeStartSlots = Number.POSITIVE_INFINITY): WorkSplit {
  const byPod = new Map<string, SyncAction[]>();
  for (const action of actions) {
    const uid = uidOfAction(action);
    if (inFlight.has(uid)) continue;
    const list = byPod.get(uid);
    if (list) list.push(action);
    else byPod.set(uid, [action]);
  }
  const launch: PodWork[] = [];
  const deferred: string[] = [];
  let free = freeStartSlots;
  for (const [uid, list] of byPod) {
    const stopping = list.every((a) => TERMINATING.has(a.type));
    if (stopping) launch.push({ uid, actions: list, stopping });
    else if (free > 0) {
      free--;
      launch.push({ uid, actions: list, stopping });
    } else deferred.push(uid);
  }
  return { launch, deferred };
}

/**
 * Which pods' workers finished while a pass was observing the runtime. A relist that began
 * before a worker's `runc start` can show its container still `created` (runc list is a
 * snapshot); planned on that, a pod just started looked like one an agent died in the middle
 * of, and its running container was removed and started again (110 pods at once did this to
 * several). Such pods are left to the next pass, which the finished worker asks for anyway.
 */
export class WorkerFinishes {
  private seq = 0;
  private readonly finished = new Map<string, number>();

  /** A worker of `uid` finished. */
  record(uid: string): void {
    this.finished.set(uid, ++this.seq);
  }

  /** Call before observing; pass the mark to `since`. */
  mark(): number {
    return this.seq;
  }

  /** Pods whose workers finished after `mark`; forgets finishes the observation already saw. */
  since(mark: number): Set<string> {
    const out = new Set<string>();
    for (const [uid, at] of this.finished) {
      if (at > mark) out.add(uid);
      else this.finished.delete(uid);
    }
    return out;
  }
}
