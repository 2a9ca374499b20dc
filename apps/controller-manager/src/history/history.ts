// Carries out planHistory for one owner: creates the revision of the current template (or
// renumbers the existing one), deletes pruned ones. A name taken by a revision with other
// data is a hash collision: the caller bumps status.collisionCount and tries again.
import { ControllerRevision } from '@coxswain/api';
import { Informer, isAlreadyExists, isNotFound, KubeClient, ResourceDescriptor } from '@coxswain/client';
import { CONTROLLER_UID_INDEX } from '../framework/informers';
import { isControlledBy, withControllerRef, withoutOwners } from '../framework/owners';
import { HistoryOwner, planHistory, planRevisionClaims, sameData } from './plan';

export const CONTROLLER_REVISION_RESOURCE: ResourceDescriptor = { group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions', namespaced: true };

export type HistorySync = { update: ControllerRevision; revisions: ControllerRevision[] } | { collision: true };

export class RevisionHistory {
  constructor(
    private readonly client: KubeClient,
    readonly informer: Informer<ControllerRevision>,
  ) {}

  /** The revisions the owner controls, as the cache has them. */
  owned(owner: HistoryOwner): ControllerRevision[] {
    return this.informer.store.byIndex(CONTROLLER_UID_INDEX, owner.metadata.uid!).filter((r) => isControlledBy(r, owner.metadata.uid));
  }

  /**
   * Adopts the namespace's orphan revisions the owner's selector matches and releases the
   * ones it controls that no longer match (the pinned resourceVersion makes a stale view
   * fail with 409 and a retry); returns what the owner controls afterwards.
   */
  async claim(owner: HistoryOwner): Promise<ControllerRevision[]> {
    const claims = planRevisionClaims(owner, this.informer.store.byIndex('namespace', owner.metadata.namespace ?? ''));
    const patch = (r: ControllerRevision, ownerReferences: unknown) =>
      this.client.patch<ControllerRevision>(CONTROLLER_REVISION_RESOURCE, r.metadata.name!, { metadata: { ownerReferences, resourceVersion: r.metadata.resourceVersion } }, { namespace: r.metadata.namespace });
    for (const r of claims.adopt) await patch(r, withControllerRef(r, owner));
    for (const r of claims.release) {
      const rest = withoutOwners(r, [owner.metadata.uid!]);
      await patch(r, rest.length ? rest : null).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    }
    return claims.revisions;
  }

  async sync(owner: HistoryOwner, inUse: (r: ControllerRevision) => boolean): Promise<HistorySync> {
    const revisions = await this.claim(owner);
    const plan = planHistory({ owner, revisions, inUse });
    let update = plan.update;
    if (plan.create) {
      try {
        update = await this.client.create<ControllerRevision>(CONTROLLER_REVISION_RESOURCE, plan.create);
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
        // Ours already (a cache that has not seen our create yet), or a collision.
        const existing = await this.client.get<ControllerRevision>(CONTROLLER_REVISION_RESOURCE, plan.create.metadata.name!, { namespace: owner.metadata.namespace });
        if (!isControlledBy(existing, owner.metadata.uid) || !sameData(existing, plan.create)) return { collision: true };
        update = existing;
      }
    }
    if (plan.renumber) {
      const { revision, to } = plan.renumber;
      update = await this.client.patch<ControllerRevision>(CONTROLLER_REVISION_RESOURCE, revision.metadata.name!, { revision: to }, { namespace: revision.metadata.namespace });
    }
    for (const revision of plan.delete) {
      try {
        await this.client.delete(CONTROLLER_REVISION_RESOURCE, revision.metadata.name!, { namespace: revision.metadata.namespace, preconditions: { uid: revision.metadata.uid } });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    const dropped = new Set(plan.delete.map((r) => r.metadata.name));
    const kept = revisions.filter((r) => !dropped.has(r.metadata.name) && r.metadata.name !== update.metadata.name);
    return { update, revisions: [...kept, update] };
  }
}
