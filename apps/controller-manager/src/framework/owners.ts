// Controller references and claiming (client-go's ControllerRefManager): which objects an
// owner controls, which matching orphans it should adopt, which it must release.
import { controllerOf, KubeObject, LabelSelector, OwnerReference, selectorMatches } from '@coxswain/api';

export interface OwnerIdentity {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; uid?: string; deletionTimestamp?: string };
}

/** The reference a controller puts on what it creates. */
export function controllerRef(owner: OwnerIdentity): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export const isControlledBy = (obj: KubeObject, ownerUid: string | undefined): boolean => ownerUid !== undefined && controllerOf(obj)?.uid === ownerUid;

export interface Claims<T> {
  /** Controlled by the owner and matching (adopted ones included: they will be). */
  owned: T[];
  /** Orphans that match: the owner takes them. */
  adopt: T[];
  /** Controlled but no longer matching: the owner lets them go. */
  release: T[];
}

/**
 * Splits candidates for an owner. An owner being deleted adopts nothing (its dependents are
 * about to be collected); objects being deleted are never adopted.
 */
export function planClaims<T extends KubeObject>(owner: OwnerIdentity, selector: LabelSelector | undefined, candidates: T[]): Claims<T> {
  const claims: Claims<T> = { owned: [], adopt: [], release: [] };
  // An empty selector would match everything; Kubernetes refuses to claim with one.
  const empty = !selector || (!Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length);
  for (const obj of candidates) {
    const ref = controllerOf(obj);
    const matches = !empty && selectorMatches(selector, obj.metadata.labels);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches) claims.owned.push(obj);
      else if (!owner.metadata.deletionTimestamp) claims.release.push(obj);
      continue;
    }
    if (matches && !owner.metadata.deletionTimestamp && !obj.metadata.deletionTimestamp) {
      claims.adopt.push(obj);
      claims.owned.push(obj);
    }
  }
  return claims;
}

/** ownerReferences after adding the owner as controller (for a merge patch). */
export function withControllerRef(obj: KubeObject, owner: OwnerIdentity): OwnerReference[] {
  return [...(obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid), controllerRef(owner)];
}

/** ownerReferences without the given owner uids. */
export function withoutOwners(obj: KubeObject, uids: Iterable<string>): OwnerReference[] {
  const drop = new Set(uids);
  return (obj.metadata.ownerReferences ?? []).filter((r) => !drop.has(r.uid));
}
