// StatefulSet controller: informers → queue → planStatefulSet → apply. Claims are read and
// created through the v1 PersistentVolumeClaim API directly (no informer: a server without
// that API must not keep the caches from syncing); without it the set records why it waits.
// Each template is kept as a ControllerRevision named in status.currentRevision/updateRevision
// and in the pods' controller-revision-hash label. Claims' ownerReferences follow
// spec.persistentVolumeClaimRetentionPolicy (retention.ts) and are patched before pods are deleted.
import { CONTROLLER_REVISION_HASH_LABEL, controllerOf, ControllerRevision, KubeObject, Pod, selectorMatches, StatefulSet } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, isAlreadyExists, isConflict, isNotFound, ResourceDescriptor, splitObjectKey } from '@coxswain/client';
import { STATEFULSET_RESOURCE } from '../daemonset/resources';
import { ControllerDeps } from '../framework/controller';
import { deepEqual, ignoreNotFound } from '../framework/objects';
import { planClaims } from '../framework/owners';
import { OwnedWorkloadController } from '../replicas/owned-controller';
import { errorText } from '../replicas/owned-controller';
import { CONTROLLER_REVISION_RESOURCE, RevisionHistory } from '../history/history';
import { newRevision, templateOfRevision } from '../history/plan';
import { claimPod, newPod, statefulSetIdentity } from './identity';
import { planStatefulSet } from './plan';
import { ClaimOwnerUpdate } from './retention';

export const STATEFULSET_CONTROLLER = 'statefulset-controller';
export const PVC_RESOURCE: ResourceDescriptor = { group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', namespaced: true };

export class StatefulSetController extends OwnedWorkloadController<StatefulSet, Pod> {
  private readonly history: RevisionHistory;

  constructor(deps: ControllerDeps) {
    super(deps, { name: STATEFULSET_CONTROLLER, ownerResource: STATEFULSET_RESOURCE, childResource: R.Pod, ownerKind: 'StatefulSet', ownerApiVersion: 'apps/v1', selectorOf: (sts) => sts.spec?.selector, childNoun: 'pod' });
    this.history = new RevisionHistory(deps.client, deps.informers.for<ControllerRevision>(CONTROLLER_REVISION_RESOURCE));
  }

  override register(): void {
    super.register();
    const owner = (r: ControllerRevision) => {
      const sts = this.ownerOf(r);
      if (sts) this.enqueue(sts);
      // An orphan: every set whose selector matches may adopt it (Kubernetes' addRevision).
      else if (!controllerOf(r)) this.owners.store.byIndex('namespace', r.metadata.namespace ?? '').filter((o) => selectorMatches(o.spec.selector, r.metadata.labels)).forEach((o) => this.enqueue(o));
    };
    this.history.informer.addEventHandler({ onAdd: owner, onUpdate: (_old, r) => owner(r), onDelete: owner });
  }

  /**
   * The pod for an ordinal: below a rolling update's partition it keeps the current
   * revision's template (as Kubernetes' newVersionedStatefulSetPod), otherwise the update's.
   */
  private podFor(sts: StatefulSet, ordinal: number, updateRevision: string, revisions: ControllerRevision[]): Pod {
    const current = sts.status?.currentRevision;
    const partition = sts.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
    const rolling = (sts.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    if (rolling && current && current !== updateRevision && ordinal < (sts.spec.ordinals?.start ?? 0) + partition) {
      const template = revisions.find((r) => r.metadata.name === current);
      const restored = template && templateOfRevision(template);
      if (restored) return newPod({ ...sts, spec: { ...sts.spec, template: restored } }, ordinal, current);
    }
    return newPod(sts, ordinal, updateRevision);
  }

  /** The namespace's claims by name, or undefined when the server does not serve PVCs. */
  private async existingClaims(sts: StatefulSet): Promise<Map<string, KubeObject> | undefined> {
    if (!sts.spec.volumeClaimTemplates?.length) return new Map();
    try {
      const list = await this.deps.client.list<KubeObject>(PVC_RESOURCE, { namespace: sts.metadata.namespace });
      return new Map(list.items.map((c) => [c.metadata.name ?? '', c]));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  protected async reconcile(key: string): Promise<void> {
    const sts = this.owners.store.get(key);
    if (!sts) {
      this.expectations.forget(key);
      return;
    }
    const candidates = this.children.store.byIndex('namespace', splitObjectKey(key).namespace ?? '');
    const claims = planClaims(statefulSetIdentity(sts), sts.spec.selector, candidates);
    for (const pod of claims.adopt) await this.adopt(sts, pod);
    for (const pod of claims.release) await this.release(sts, pod);
    const running = new Set([sts.status?.currentRevision, ...claims.owned.map((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL])]);
    const owner = { ...statefulSetIdentity(sts), spec: sts.spec, status: sts.status };
    // A set being deleted records no new revision (its history is about to be collected).
    const synced = sts.metadata.deletionTimestamp ? { update: newRevision(owner, 0), revisions: this.history.owned(owner) } : await this.history.sync(owner, (r) => running.has(r.metadata.name));
    if ('collision' in synced) {
      // Another object holds the revision's name: salt the hash and come back on the update.
      await ignoreNotFound(this.deps.client.updateStatus(STATEFULSET_RESOURCE, { ...sts, status: { ...sts.status, replicas: sts.status?.replicas ?? 0, collisionCount: (sts.status?.collisionCount ?? 0) + 1 } }));
      return;
    }
    const updateRevision = synced.update.metadata.name!;
    const plan = planStatefulSet({ sts, pods: claims.owned, claims: await this.existingClaims(sts), updateRevision, now: this.deps.clock.now(), expectationsSatisfied: this.expectations.satisfied(key) });
    // Claims' owners first: a pod is deleted only once every claim the policy hands to it names it.
    const ownersFailure = await this.updateClaimOwners(sts, plan.updateClaims);
    const deletions = ownersFailure ? [] : plan.delete;
    let failure: string | undefined;
    if (plan.storageUnavailable) this.recorder.event(sts, 'Warning', 'FailedCreate', `create Claim failed for StatefulSet ${sts.metadata.name}: ${plan.storageUnavailable}`);
    for (const claim of plan.createClaims) {
      try {
        await this.deps.client.create(PVC_RESOURCE, claim as never);
        this.recorder.event(sts, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${claimPod(claim.metadata.name!, sts.metadata.name!)} in StatefulSet ${sts.metadata.name} success`);
      } catch (error) {
        if (!isAlreadyExists(error)) failure ??= `create Claim ${claim.metadata.name} for StatefulSet ${sts.metadata.name} failed error: ${errorText(error)}`;
      }
    }
    if (failure) this.recorder.event(sts, 'Warning', 'FailedCreate', failure);
    this.expectations.expect(key, failure ? 0 : plan.create.length, deletions.map((p) => p.metadata.name!));
    if (!failure) {
      for (const ordinal of plan.create) {
        const pod = this.podFor(sts, ordinal, updateRevision, synced.revisions);
        try {
          await this.deps.client.create<Pod>(R.Pod, pod);
          this.recorder.event(sts, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`);
        } catch (error) {
          this.expectations.creationFailed(key);
          if (!isAlreadyExists(error)) {
            failure ??= `create Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} failed error: ${errorText(error)}`;
            this.recorder.event(sts, 'Warning', 'FailedCreate', failure);
          }
        }
      }
    }
    for (const pod of deletions) {
      try {
        await this.deps.client.delete(R.Pod, pod.metadata.name!, { namespace: pod.metadata.namespace, preconditions: { uid: pod.metadata.uid } });
        this.recorder.event(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`);
      } catch (error) {
        this.expectations.deletionObserved(key, pod.metadata.name!);
        if (!isNotFound(error)) failure ??= `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} failed error: ${errorText(error)}`;
      }
    }
    if (!deepEqual(plan.status, sts.status ?? {})) await ignoreNotFound(this.deps.client.updateStatus(STATEFULSET_RESOURCE, { ...sts, status: plan.status }));
    failure ??= ownersFailure;
    if (failure) throw new Error(failure);
    if (plan.storageUnavailable) this.enqueueAfter(key, 30_000);
    // No claim informer: look again shortly for the claims being deleted to be gone.
    else if (plan.claimsTerminating.length) this.enqueueAfter(key, 1_000);
    else if (plan.requeueAfterMs !== undefined) this.enqueueAfter(key, plan.requeueAfterMs);
  }

  /** Patches claims' ownerReferences (resourceVersion-guarded); answers the first failure. */
  private async updateClaimOwners(sts: StatefulSet, updates: ClaimOwnerUpdate[]): Promise<string | undefined> {
    let failure: string | undefined;
    for (const { claim, pod, ownerReferences } of updates) {
      try {
        const patch = { metadata: { ownerReferences: ownerReferences.length ? ownerReferences : null, resourceVersion: claim.metadata.resourceVersion } };
        await this.deps.client.patch(PVC_RESOURCE, claim.metadata.name!, patch, { namespace: claim.metadata.namespace });
      } catch (error) {
        if (isNotFound(error)) continue;
        if (isConflict(error)) throw error;
        const message = `update Claim ${claim.metadata.name} for Pod ${pod} in StatefulSet ${sts.metadata.name} failed error: ${errorText(error)}`;
        this.recorder.event(sts, 'Warning', 'FailedUpdate', message);
        failure ??= message;
      }
    }
    return failure;
  }
}
