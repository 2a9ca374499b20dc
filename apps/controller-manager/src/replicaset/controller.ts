// ReplicaSet controller: informers → queue → reconcile(key) → planReplicaSet → apply.
import { Pod, ReplicaSet } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, isNotFound, splitObjectKey } from '@coxswain/client';
import { slowStartBatch } from '../framework/batch';
import { ControllerDeps } from '../framework/controller';
import { deepEqual, ignoreNotFound } from '../framework/objects';
import { OwnedWorkloadController } from '../replicas/owned-controller';
import { ManageFailure, planReplicaSet, podFromTemplate, ReplicaSetPlan, replicaSetStatus } from './plan';

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
    const failure = await this.manage(key, rs, plan);
    const status = replicaSetStatus(rs, plan.owned, now, failure);
    if (!deepEqual(status, rs.status ?? {})) await ignoreNotFound(this.deps.client.updateStatus(R.ReplicaSet, { ...rs, status }));
    if (plan.requeueAfterMs !== undefined) this.enqueueAfter(key, plan.requeueAfterMs);
    if (failure) throw new Error(failure.message);
  }

  private async manage(key: string, rs: ReplicaSet, plan: ReplicaSetPlan): Promise<ManageFailure | undefined> {
    if (plan.create > 0) {
      this.expectations.expect(key, plan.create);
      const template = podFromTemplate(rs);
      const result = await slowStartBatch(plan.create, 1, async () => {
        const created = await this.deps.client.create<Pod>(R.Pod, template);
        this.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      });
      if (result.errors.length) {
        this.expectations.creationFailed(key, result.errors.length + result.skipped);
        const message = `Error creating: ${errorText(result.errors[0])}`;
        this.recorder.event(rs, 'Warning', 'FailedCreate', message);
        return { reason: 'FailedCreate', message };
      }
    }
    if (plan.delete.length > 0) {
      this.expectations.expect(key, 0, plan.delete.map((p) => p.metadata.name!));
      const results = await Promise.allSettled(
        plan.delete.map(async (pod) => {
          try {
            await this.deps.client.delete(R.Pod, pod.metadata.name!, { namespace: pod.metadata.namespace, preconditions: { uid: pod.metadata.uid } });
            this.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
          } catch (error) {
            this.expectations.deletionObserved(key, pod.metadata.name!);
            if (!isNotFound(error)) throw error;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        const message = `Error deleting: ${errorText(failed.reason)}`;
        this.recorder.event(rs, 'Warning', 'FailedDelete', message);
        return { reason: 'FailedDelete', message };
      }
    }
    return undefined;
  }
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
