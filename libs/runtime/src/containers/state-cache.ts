// What the driver last observed per container, so a relist does not re-read every record and
// spawn `runc list` each second (with 110 pods that was a fifth of the agent's CPU at idle).
// A container's state only moves on its own in one direction: a running one exits, and its shim
// then writes exit.json. So a cached "running" stays true while exit.json is absent and the
// shim lives; an exited one with its exit record is final. Everything else is observed afresh,
// and every container is re-observed in full once per housekeeping interval as a safety net
// (for a running one: its shim checked by command line, not just by pid, with no runc process).
import { ContainerState } from './types';

/** Full re-observation of every container at least this often (the kubelet's housekeeping). */
export const FULL_RELIST_MS = 10_000;

export interface CachedObservation {
  state: ContainerState;
  /** The shim's pid when it was last seen alive (running containers only). */
  shimPid?: number;
  /** The exit came from the shim's exit record, so the state can never change again. */
  exitRecorded: boolean;
}

/** How to learn a container's state this pass. */
export type RelistMode =
  | 'reuse' // final: reuse the cached state
  | 'check' // running: an exit record or a dead shim means observing it again
  | 'full'; // read its record, exit record, shim and runc's view

export function relistMode(cached: CachedObservation | undefined, fullDue: boolean): RelistMode {
  if (!cached) return 'full';
  if (cached.state.status === 'exited' && cached.exitRecorded) return 'reuse';
  if (fullDue) return 'full';
  if (cached.state.status === 'running' && cached.shimPid) return 'check';
  return 'full';
}

export class ContainerStateCache {
  private readonly byId = new Map<string, CachedObservation>();
  /** Bumped by invalidate(): an observation that began before a change must not be cached. */
  private readonly epochs = new Map<string, number>();
  private lastFullAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number = Date.now) {}

  get(id: string): CachedObservation | undefined {
    return this.byId.get(id);
  }

  /** Call before reading a container's files; pass the result to set(). */
  epoch(id: string): number {
    return this.epochs.get(id) ?? 0;
  }

  /** Keeps an observation unless the driver changed the container since `epoch` was taken. */
  set(id: string, observation: CachedObservation, epoch = this.epoch(id)): void {
    if (epoch === this.epoch(id)) this.byId.set(id, observation);
  }

  /** The driver changed the container itself (create, start, stop, remove): observe it afresh. */
  invalidate(id: string): void {
    this.byId.delete(id);
    this.epochs.set(id, this.epoch(id) + 1);
  }

  /** Drops containers whose directories are gone. */
  retainOnly(ids: Iterable<string>): void {
    const keep = new Set(ids);
    for (const id of this.byId.keys()) if (!keep.has(id)) this.byId.delete(id);
    for (const id of this.epochs.keys()) if (!keep.has(id)) this.epochs.delete(id);
  }

  /** True (and restarts the interval) when this pass must re-observe everything. */
  takeFullRelist(): boolean {
    const now = this.now();
    if (now - this.lastFullAt < FULL_RELIST_MS) return false;
    this.lastFullAt = now;
    return true;
  }
}
