// The reconcile loop the ReplicaSet and VMI replica set controllers share: plan over the
// owner's namespace, adopt and release, manage() (deletions, slow-start creations), then the
// status, a requeue when the plan asks for one, and a failure re-queued with back-off. Each
// controller brings only its pure plan, its template and its status.
import { KubeObject } from '@coxswain/api';
import { splitObjectKey } from '@coxswain/client';
import { ControllerDeps } from '../framework/controller';
import { deepEqual, ignoreNotFound } from '../framework/objects';
import { ManagePlan, OwnedWorkloadController, OwnedWorkloadOptions } from './owned-controller';
import { ManageFailure } from './plan';

/** What a replica set plan returns: claims, the manage() part, what it owns, when to look again. */
export interface ReplicaPlan<C> extends ManagePlan<C> {
  adopt: C[];
  release: C[];
  owned: C[];
  requeueAfterMs?: number;
}

export interface ReplicaSetLikeOptions<O, C, S> extends OwnedWorkloadOptions<O> {
  /** The pure plan over the owner and every child of its namespace. */
  plan(owner: O, children: C[], now: number, expectationsSatisfied: boolean): ReplicaPlan<C>;
  /** A new child from the owner's template. */
  fromTemplate(owner: O): C;
  /** The status from the children the owner controls (as observed before this pass's changes). */
  status(owner: O, owned: C[], now: number, failure?: ManageFailure): S;
}

export class ReplicaSetLikeController<O extends KubeObject & { status?: S }, C extends KubeObject, S> extends OwnedWorkloadController<O, C> {
  constructor(
    deps: ControllerDeps,
    private readonly replicas: ReplicaSetLikeOptions<O, C, S>,
  ) {
    super(deps, replicas);
  }

  protected async reconcile(key: string): Promise<void> {
    const owner = this.owners.store.get(key);
    if (!owner) {
      this.expectations.forget(key);
      return;
    }
    const now = this.deps.clock.now();
    const children = this.children.store.byIndex('namespace', splitObjectKey(key).namespace ?? '');
    const plan = this.replicas.plan(owner, children, now, this.expectations.satisfied(key));
    for (const child of plan.adopt) await this.adopt(owner, child);
    for (const child of plan.release) await this.release(owner, child);
    const failure = await this.manage(key, owner, plan, () => this.replicas.fromTemplate(owner));
    const status = this.replicas.status(owner, plan.owned, now, failure);
    if (!deepEqual(status, owner.status ?? {})) await ignoreNotFound(this.deps.client.updateStatus(this.replicas.ownerResource, { ...owner, status }));
    if (plan.requeueAfterMs !== undefined) this.enqueueAfter(key, plan.requeueAfterMs);
    if (failure) throw new Error(failure.message);
  }
}
