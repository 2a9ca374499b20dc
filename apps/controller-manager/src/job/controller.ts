// Job controller: informers → queue → reconcile(key) → planJob → apply.
import { Job, Pod } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, isNotFound, splitObjectKey } from '@coxswain/client';
import { slowStartBatch } from '../framework/batch';
import { ControllerDeps } from '../framework/controller';
import { deepEqual, ignoreNotFound } from '../framework/objects';
import { planClaims } from '../framework/owners';
import { OwnedWorkloadController } from '../replicas/owned-controller';
import { errorText } from '../replicas/owned-controller';
import { JobPlan, planJob } from './plan';
import { jobIdentity, podForJob } from './pod-template';
import { JOB_RESOURCE } from './resources';

export const JOB_CONTROLLER = 'job-controller';

export class JobController extends OwnedWorkloadController<Job, Pod> {
  constructor(deps: ControllerDeps) {
    super(deps, {
      name: JOB_CONTROLLER,
      ownerResource: JOB_RESOURCE,
      childResource: R.Pod,
      ownerKind: 'Job',
      ownerApiVersion: 'batch/v1',
      selectorOf: (job) => job.spec?.selector,
      childNoun: 'pod',
    });
  }

  protected async reconcile(key: string): Promise<void> {
    const job = this.owners.store.get(key);
    if (!job) {
      this.expectations.forget(key);
      return;
    }
    if (job.metadata.deletionTimestamp) return;
    const now = this.deps.clock.now();
    const candidates = this.children.store.byIndex('namespace', splitObjectKey(key).namespace ?? '');
    const claims = planClaims(jobIdentity(job), job.spec.selector, candidates);
    for (const pod of claims.adopt) await this.adopt(job, pod);
    for (const pod of claims.release) await this.release(job, pod);
    const plan = planJob({ job, pods: claims.owned, now, expectationsSatisfied: this.expectations.satisfied(key) });
    for (const event of plan.events) this.recorder.event(job, event.type, event.reason, event.message);
    const failure = await this.applyPlan(key, job, plan);
    if (!deepEqual(plan.status, job.status ?? {})) await ignoreNotFound(this.deps.client.updateStatus(JOB_RESOURCE, { ...job, status: plan.status }));
    if (plan.deleteJob) {
      await ignoreNotFound(this.deps.client.delete(JOB_RESOURCE, job.metadata.name!, { namespace: job.metadata.namespace, propagationPolicy: 'Foreground', preconditions: { uid: job.metadata.uid } }));
      return;
    }
    if (plan.requeueAfterMs !== undefined) this.enqueueAfter(key, plan.requeueAfterMs);
    if (failure) throw new Error(failure);
  }

  private async applyPlan(key: string, job: Job, plan: JobPlan): Promise<string | undefined> {
    if (plan.create.length > 0) {
      this.expectations.expect(key, plan.create.length);
      const result = await slowStartBatch(plan.create.length, 1, async (i) => {
        const created = await this.deps.client.create<Pod>(R.Pod, podForJob(job, plan.create[i]));
        this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      });
      if (result.errors.length) {
        this.expectations.creationFailed(key, result.errors.length + result.skipped);
        const message = `Error creating: ${errorText(result.errors[0])}`;
        this.recorder.event(job, 'Warning', 'FailedCreate', message);
        return message;
      }
    }
    if (plan.delete.length > 0) {
      this.expectations.expect(key, 0, plan.delete.map((p) => p.metadata.name!));
      const results = await Promise.allSettled(
        plan.delete.map(async (pod) => {
          try {
            await this.deps.client.delete(R.Pod, pod.metadata.name!, { namespace: pod.metadata.namespace, preconditions: { uid: pod.metadata.uid } });
            this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
          } catch (error) {
            this.expectations.deletionObserved(key, pod.metadata.name!);
            if (!isNotFound(error)) throw error;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        const message = `Error deleting: ${errorText(failed.reason)}`;
        this.recorder.event(job, 'Warning', 'FailedDelete', message);
        return message;
      }
    }
    return undefined;
  }
}
