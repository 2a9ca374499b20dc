// StatefulSet: pods `<set>-<ordinal>` with stable names and claims; OrderedReady starts (and
// removes) one pod at a time once the others are Running and Ready, Parallel does all at
// once; RollingUpdate replaces pods from the highest ordinal down to the partition, maxUnavailable
// at a time (default 1); OnDelete waits for the user. Claims follow the retention policy (retention.ts). Pure:
// the controller feeds in pods and claims.
import { CONTROLLER_REVISION_HASH_LABEL, KubeObject, Pod, StatefulSet, StatefulSetStatus } from '@coxswain/api';
import { scaledValue } from '../deployment/util';
import { isAvailable, msUntilAvailable, podView } from '../framework/workloads';
import { claimsFor, ordinalOf, PersistentVolumeClaim } from './identity';
import { ClaimOwnerUpdate, newClaimOwnerReferences, planClaimRetention } from './retention';

export interface StatefulSetInput {
  sts: StatefulSet;
  /** Pods the StatefulSet controls. */
  pods: Pod[];
  /** The namespace's claims by name; undefined when the server does not serve PVCs. */
  claims: ReadonlyMap<string, KubeObject> | undefined;
  /** `<set>-<template hash>` of the current template. */
  updateRevision: string;
  now: number;
  expectationsSatisfied: boolean;
}

export interface StatefulSetPlan {
  /** Ordinals to create a pod for (claims first). */
  create: number[];
  /** Claims to create before those pods. */
  createClaims: PersistentVolumeClaim[];
  /** ownerReferences the retention policy wants changed; applied before any pod is deleted. */
  updateClaims: ClaimOwnerUpdate[];
  /** Claims a missing pod needs that are still being deleted: the pod waits for them to go. */
  claimsTerminating: string[];
  delete: Pod[];
  status: StatefulSetStatus;
  /** Set when pods need claims but the server does not serve PersistentVolumeClaims. */
  storageUnavailable?: string;
  /** Look again then (a ready pod becomes available after minReadySeconds: status and the rollout wait for it). */
  requeueAfterMs?: number;
}

const revisionOf = (pod: Pod) => pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
const healthy = (pod: Pod) => !pod.metadata.deletionTimestamp && pod.status?.phase === 'Running' && podView(pod).ready;

export function planStatefulSet(input: StatefulSetInput): StatefulSetPlan {
  const { sts, now, updateRevision } = input;
  const replicas = sts.spec.replicas ?? 1;
  const start = sts.spec.ordinals?.start ?? 0;
  const ordered = (sts.spec.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
  const minReady = sts.spec.minReadySeconds ?? 0;
  const plan: StatefulSetPlan = { create: [], createClaims: [], updateClaims: [], claimsTerminating: [], delete: [], status: { replicas: 0 } };

  const slots = new Map<number, Pod>();
  const condemned: Pod[] = [];
  for (const pod of input.pods) {
    const ordinal = ordinalOf(sts, pod);
    if (ordinal !== undefined && ordinal >= start && ordinal < start + replicas && !slots.has(ordinal)) slots.set(ordinal, pod);
    else condemned.push(pod);
  }
  condemned.sort((a, b) => (ordinalOf(sts, b) ?? -1) - (ordinalOf(sts, a) ?? -1));

  const currentRevision = sts.status?.currentRevision ?? updateRevision;
  const all = input.pods;
  const status = plan.status;
  status.observedGeneration = sts.metadata.generation;
  status.replicas = all.length;
  status.readyReplicas = all.filter((p) => podView(p).ready).length;
  status.availableReplicas = all.filter((p) => isAvailable(podView(p), minReady, now)).length;
  const waits = all.map((p) => msUntilAvailable(podView(p), minReady, now)).filter((ms): ms is number => ms !== undefined);
  if (waits.length) plan.requeueAfterMs = Math.min(...waits) + 1;
  status.updatedReplicas = all.filter((p) => revisionOf(p) === updateRevision).length;
  status.currentReplicas = all.filter((p) => revisionOf(p) === currentRevision).length;
  status.updateRevision = updateRevision;
  // The rollout is done when every wanted pod runs the update revision.
  const done = slots.size === replicas && condemned.length === 0 && [...slots.values()].every((p) => revisionOf(p) === updateRevision);
  status.currentRevision = done ? updateRevision : currentRevision;
  if (done) status.currentReplicas = status.updatedReplicas;
  if (sts.status?.collisionCount !== undefined) status.collisionCount = sts.status.collisionCount;

  // Before any deletion below: a condemned pod's claims must name it before it goes.
  if (input.claims) plan.updateClaims = planClaimRetention(sts, input.pods, input.claims);

  if (!input.expectationsSatisfied || sts.metadata.deletionTimestamp) return plan;

  // Failed pods are deleted and come back under the same name on a later pass.
  for (const [, pod] of slots) if (pod.status?.phase === 'Failed' && !pod.metadata.deletionTimestamp) plan.delete.push(pod);

  const needsClaims = (sts.spec.volumeClaimTemplates ?? []).length > 0;
  let blocked = plan.delete.length > 0 && ordered;
  for (let ordinal = start; ordinal < start + replicas && !blocked; ordinal++) {
    const pod = slots.get(ordinal);
    if (!pod) {
      if (needsClaims && input.claims === undefined) {
        plan.storageUnavailable = 'the API server does not serve persistentvolumeclaims (v1) yet, so the claims of spec.volumeClaimTemplates cannot be created';
        break;
      }
      const claims = claimsFor(sts, ordinal, newClaimOwnerReferences(sts));
      // A claim still going away (say, a scaled-down pod's under whenScaled: Delete) is not reused.
      const terminating = claims.filter((c) => input.claims?.get(c.metadata.name)?.metadata.deletionTimestamp).map((c) => c.metadata.name);
      if (terminating.length) {
        plan.claimsTerminating.push(...terminating);
        if (ordered) blocked = true;
        continue;
      }
      for (const claim of claims) if (!input.claims?.has(claim.metadata.name)) plan.createClaims.push(claim);
      plan.create.push(ordinal);
      if (ordered) blocked = true;
    } else if (ordered && !healthy(pod)) {
      blocked = true;
    }
  }
  if (blocked || plan.create.length || plan.claimsTerminating.length || plan.storageUnavailable) return plan;

  // Scale down: highest ordinal first; OrderedReady one at a time with every other pod healthy.
  if (condemned.length) {
    const live = condemned.filter((p) => !p.metadata.deletionTimestamp);
    if (!ordered) plan.delete.push(...live);
    else if (live.length === condemned.length && [...slots.values()].every(healthy)) plan.delete.push(live[0]);
    return plan;
  }

  // Rolling update: from the highest ordinal down to the partition, at most maxUnavailable pods
  // unavailable at once (Kubernetes' MaxUnavailableStatefulSet, on by default since 1.35): pods
  // that are not running, ready and available (minReadySeconds) count against it, and old
  // pods make up the rest. Rounded down, at least 1; the default 1 is one pod at a time.
  if ((sts.spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return plan;
  const rollingUpdate = sts.spec.updateStrategy?.rollingUpdate;
  const partition = rollingUpdate?.partition ?? 0;
  const maxUnavailable = Math.max(1, scaledValue(rollingUpdate?.maxUnavailable, replicas, false, '1'));
  const unavailable = [...slots.values()].filter((p) => !healthy(p) || !isAvailable(podView(p), minReady, now)).length;
  let room = maxUnavailable - unavailable;
  for (let ordinal = start + replicas - 1; ordinal >= start + partition && room > 0; ordinal--) {
    const pod = slots.get(ordinal);
    if (pod && revisionOf(pod) !== updateRevision && !pod.metadata.deletionTimestamp) {
      plan.delete.push(pod);
      room--;
    }
  }
  return plan;
}
