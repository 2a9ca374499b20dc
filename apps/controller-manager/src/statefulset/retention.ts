// spec.persistentVolumeClaimRetentionPolicy (Kubernetes' StatefulSetAutoDeletePVC, as in 1.32):
// the garbage collector deletes a claim once its controller owner is gone, so the policy is
// carried by the claims' ownerReferences —
//   whenDeleted: Delete → the StatefulSet controls its claims (deleting the set deletes them);
//   whenScaled: Delete → the claims of a pod scaled away (ordinal outside the set's range) are
//     controlled by that pod instead, so they go when it does; scaled back in range first, the
//     pod's reference comes off again.
// Retain means no reference of ours. Only claims of pods that exist are touched, each pass
// converges them to the current policy (so a policy change applies to existing claims), and a
// claim controlled by something else, or still referring to an earlier set or pod of the same
// name (the collector is about to settle it), is not given references of ours. Pure.
import { KubeObject, OwnerReference, Pod, StatefulSet } from '@coxswain/api';
import { controllerRef } from '../framework/owners';
import { claimName, ordinalOf, statefulSetIdentity } from './identity';

export type RetentionPolicyType = 'Retain' | 'Delete';

export interface RetentionPolicy {
  whenDeleted: RetentionPolicyType;
  whenScaled: RetentionPolicyType;
}

/** The set's policy with the defaults (Retain, Retain); a value other than Delete counts as Retain, as in Kubernetes. */
export function retentionPolicy(sts: StatefulSet): RetentionPolicy {
  const policy = sts.spec.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: policy?.whenDeleted === 'Delete' ? 'Delete' : 'Retain', whenScaled: policy?.whenScaled === 'Delete' ? 'Delete' : 'Retain' };
}

/** The references a claim gets when created: a new pod is in range, so the set's under whenDeleted: Delete. */
export function newClaimOwnerReferences(sts: StatefulSet): OwnerReference[] {
  return retentionPolicy(sts).whenDeleted === 'Delete' ? [controllerRef(statefulSetIdentity(sts))] : [];
}

export interface ClaimOwnerUpdate {
  claim: KubeObject;
  /** The pod the claim belongs to (for events). */
  pod: string;
  /** The claim's complete ownerReferences after the change. */
  ownerReferences: OwnerReference[];
}

interface Owner {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; uid?: string };
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/** A reference to this owner's name and kind, whatever its uid (Kubernetes' matchesRef). */
const refersTo = (ref: OwnerReference, owner: Owner) => ref.name === owner.metadata.name && ref.kind === owner.kind && groupOf(ref.apiVersion) === groupOf(owner.apiVersion);

/**
 * The ownerReferences a claim of `pod` should carry under `policy`, or undefined when it
 * already does or must be left alone. `scaledDown`: the pod's ordinal is outside the set's range.
 */
export function claimOwnerReferences(claim: KubeObject, sts: StatefulSet, pod: Pod, policy: RetentionPolicy, scaledDown: boolean): OwnerReference[] | undefined {
  const set = statefulSetIdentity(sts);
  const podOwner: Owner = { apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata };
  const refs = claim.metadata.ownerReferences ?? [];
  const ours = (r: OwnerReference) => refersTo(r, set) || refersTo(r, podOwner);
  // A reference to an earlier set or pod of the same name: the garbage collector settles it.
  if (refs.some((r) => (refersTo(r, set) && r.uid !== set.metadata.uid) || (refersTo(r, podOwner) && r.uid !== pod.metadata.uid))) return undefined;

  const want: OwnerReference[] = [];
  const retainAll = policy.whenDeleted === 'Retain' && policy.whenScaled === 'Retain';
  // Another controller keeps the claim: ours are removed and none added (one controller per object).
  const otherController = !retainAll && refs.some((r) => r.controller === true && !ours(r));
  if (!otherController) {
    if (scaledDown && policy.whenScaled === 'Delete') want.push(controllerRef(podOwner));
    else if (policy.whenDeleted === 'Delete') want.push(controllerRef(set));
  }

  const have = refs.filter(ours);
  const upToDate = have.length === want.length && want.every((w) => have.some((h) => h.uid === w.uid && h.controller === true));
  return upToDate ? undefined : [...refs.filter((r) => !ours(r)), ...want];
}

/**
 * The claim updates the policy needs for the set's pods. `claims`: the namespace's claims by
 * name. While the set is being deleted only the pods outside its range are looked at (as in
 * Kubernetes: the rest goes with the set).
 */
export function planClaimRetention(sts: StatefulSet, pods: Pod[], claims: ReadonlyMap<string, KubeObject>): ClaimOwnerUpdate[] {
  const templates = (sts.spec.volumeClaimTemplates ?? []).map((t) => t.metadata?.name).filter((n): n is string => Boolean(n));
  if (!templates.length) return [];
  const policy = retentionPolicy(sts);
  const start = sts.spec.ordinals?.start ?? 0;
  const end = start + (sts.spec.replicas ?? 1);
  const updates: ClaimOwnerUpdate[] = [];
  for (const pod of pods) {
    const ordinal = ordinalOf(sts, pod);
    if (ordinal === undefined || !pod.metadata.uid) continue;
    const scaledDown = ordinal < start || ordinal >= end;
    if (sts.metadata.deletionTimestamp && !scaledDown) continue;
    for (const template of templates) {
      const claim = claims.get(claimName(template, sts, ordinal));
      if (!claim || claim.metadata.deletionTimestamp) continue;
      const ownerReferences = claimOwnerReferences(claim, sts, pod, policy, scaledDown);
      if (ownerReferences) updates.push({ claim, pod: pod.metadata.name!, ownerReferences });
    }
  }
  return updates;
}
