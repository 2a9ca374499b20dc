// Garbage collection by ownerReferences (Kubernetes' garbage collector): a dependent whose
// owners are all gone is deleted; one that still has a live owner only loses the
// references to owners that are gone; owners deleted with the `orphan` finalizer release
// their dependents first, and those deleted with `foregroundDeletion` wait for them.
import { KubeObject } from '@coxswain/api';

export const ORPHAN_FINALIZER = 'orphan';
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

/**
 * present: exists and is not waiting on its dependents; absent: gone (or replaced by an
 * object with another uid); waiting: being deleted in the foreground; unknown: a kind we
 * cannot look up, treated as present so nothing is deleted on a guess.
 */
export type OwnerState = 'present' | 'absent' | 'waiting' | 'unknown';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export type DependentAction = { type: 'none' } | { type: 'delete'; policy: PropagationPolicy } | { type: 'removeOwners'; uids: string[] };

export const hasFinalizer = (obj: KubeObject, name: string): boolean => (obj.metadata.finalizers ?? []).includes(name);

/** What to do with an object that has ownerReferences, given each owner's state by uid. */
export function planDependent(obj: KubeObject, owners: Map<string, OwnerState>, hasDependents: boolean): DependentAction {
  const refs = obj.metadata.ownerReferences ?? [];
  if (refs.length === 0) return { type: 'none' };
  // Already going away; one in foreground deletion is handled as an owner.
  if (obj.metadata.deletionTimestamp) return { type: 'none' };
  const state = (uid: string): OwnerState => owners.get(uid) ?? 'unknown';
  const solid = refs.filter((r) => state(r.uid) === 'present' || state(r.uid) === 'unknown');
  const dangling = refs.filter((r) => state(r.uid) === 'absent');
  const waiting = refs.filter((r) => state(r.uid) === 'waiting');
  if (solid.length > 0) {
    if (dangling.length === 0 && waiting.length === 0) return { type: 'none' };
    return { type: 'removeOwners', uids: [...dangling, ...waiting].map((r) => r.uid) };
  }
  // Every owner is gone or waiting: this object goes. If a waiting owner needs it gone and it
  // has dependents of its own, delete in the foreground so the wait covers those too.
  if (waiting.length > 0 && hasDependents) return { type: 'delete', policy: 'Foreground' };
  if (hasFinalizer(obj, ORPHAN_FINALIZER)) return { type: 'delete', policy: 'Orphan' };
  if (hasFinalizer(obj, FOREGROUND_FINALIZER)) return { type: 'delete', policy: 'Foreground' };
  return { type: 'delete', policy: 'Background' };
}

export type OwnerAction =
  | { type: 'none' }
  /** Remove this owner's reference from each dependent, then the orphan finalizer. */
  | { type: 'orphan'; dependents: KubeObject[] }
  /** Dependents still block the owner: make sure each is being deleted. */
  | { type: 'waitForDependents'; dependents: KubeObject[] }
  | { type: 'removeFinalizer'; finalizer: string };

/** What an owner being deleted with the orphan or foreground finalizer needs next. */
export function planOwner(owner: KubeObject, dependents: KubeObject[]): OwnerAction {
  if (!owner.metadata.deletionTimestamp) return { type: 'none' };
  const uid = owner.metadata.uid;
  if (hasFinalizer(owner, ORPHAN_FINALIZER)) {
    const still = dependents.filter((d) => (d.metadata.ownerReferences ?? []).some((r) => r.uid === uid));
    return still.length ? { type: 'orphan', dependents: still } : { type: 'removeFinalizer', finalizer: ORPHAN_FINALIZER };
  }
  if (hasFinalizer(owner, FOREGROUND_FINALIZER)) {
    const blocking = dependents.filter((d) => (d.metadata.ownerReferences ?? []).some((r) => r.uid === uid && r.blockOwnerDeletion === true));
    if (blocking.length === 0) return { type: 'removeFinalizer', finalizer: FOREGROUND_FINALIZER };
    return { type: 'waitForDependents', dependents };
  }
  return { type: 'none' };
}
