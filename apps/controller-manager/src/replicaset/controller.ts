// ReplicaSet controller: informers → queue → reconcile(key) → planReplicaSet → apply.
import { Pod, ReplicaSet } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, splitObjectKey } from '@coxswain/client';
import { ControllerDeps } from '../framework/controller';
import { deepEqual, ignoreNotFound } from '../framework/objects';
import { OwnedWorkloadController } from '../replicas/owned-controller';
import { planReplicaSet, podFromTemplate, replicaSetStatus } from './plan';

export const REPLICASET_CONTROLLER = 'replicaset-controller';

export class ReplicaSetController extends OwnedWorkloadController<ReplicaSet, Pod> {
  constructor(deps: ControllerDeps) {
    super(deps, {
      name: REPLICASET_CONTROLLER,
      ownerResource: R.ReplicaSet,
      childResource: R.Pod,
      ownerKind: 'ReplicaSet',
      ownerApiVersion: 'apps/v1',
      selectorOf: (rs) => rs.spec?.selector,
      childNoun: 'pod',
    });
  }

  protected async reconcile(key: string): Promise<void> {
    const rs = this.owners.store.get(key);
    if (!rs) {
      this.expectations.forget(key);
      return;
    }
    const now = this.deps.clock.now();
    const pods = this.children.store.byIndex('namespace', splitObjectKey(key).namespace ?? '');
    const plan = planReplicaSet({ rs, pods, now, expectationsSatisfied: this.expectations.satisfied(key) });
    for (const pod of plan.adopt) await this.adopt(rs, pod);
    for (const pod of plan.release) await this.release(rs, pod);
    const failure = await this.manage(key, rs, plan, () => podFromTemplate(rs));
    const status = replicaSetStatus(rs, plan.owned, now, failure);
    if (!deepEqual(status, rs.status ?? {})) await ignoreNotFound(this.deps.client.updateStatus(R.ReplicaSet, { ...rs, status }));
    if (plan.requeueAfterMs !== undefined) this.enqueueAfter(key, plan.requeueAfterMs);
    if (failure) throw new Error(failure.message);
  }
}
