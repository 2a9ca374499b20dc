// Job controller: informers → queue → reconcile(key) → planJob → apply. Finished pods are
// counted with the job-tracking finalizer (tracking.ts): the status recording them is
// written first, then their finalizers come off, then the counts move.
import { controllerOf, Job, JobStatus, Pod } from '@coxswain/api';
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
import { isTracked, JOB_TRACKING_FINALIZER } from './tracking';

export const JOB_CONTROLLER = 'job-controller';

const newer = (a: Job, b: Job): boolean => Number(a.metadata.resourceVersion ?? 0) > Number(b.metadata.resourceVersion ?? 0);

export class JobController extends OwnedWorkloadController<Job, Pod> {
  /** The Job as this controller last wrote it, until the cache catches up (counts must never go back). */
  private readonly written = new Map<string, Job>();
  /**
   * Uids of pods whose job-tracking finalizer this controller took off, until the pod cache
   * shows it gone (Kubernetes' finalizer expectations): a stale cached pod still carrying the
   * finalizer would otherwise be recorded as newly finished and counted a second time.
   */
  private readonly finalizerRemoved = new Set<string>();
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

  override register(): void {
    super.register();
    // A tracked pod whose Job is gone (deleted while we were away) must not keep its finalizer.
    const orphan = (pod: Pod) => {
      const ref = controllerOf(pod);
      if (!isTracked(pod) || ref?.kind !== 'Job' || ref.apiVersion.split('/')[0] !== 'batch') return;
      const job = this.owners.store.getByName(pod.metadata.namespace, ref.name);
      if (!job || job.metadata.uid !== ref.uid) this.enqueue(`${pod.metadata.namespace}/${ref.name}`);
    };
    this.children.addEventHandler({ onAdd: orphan, onUpdate: (_old, pod) => orphan(pod) });
    const observed = (pod: Pod) => {
      if (!isTracked(pod)) this.finalizerRemoved.delete(pod.metadata.uid!);
    };
    this.children.addEventHandler({ onAdd: observed, onUpdate: (_old, pod) => observed(pod), onDelete: (pod) => this.finalizerRemoved.delete(pod.metadata.uid!) });
  }

  /** The pod as it is after this controller's own finalizer removal, even if the cache lags. */
  private withRemovalsApplied(pod: Pod): Pod {
    if (!this.finalizerRemoved.has(pod.metadata.uid!) || !isTracked(pod)) return pod;
    return { ...pod, metadata: { ...pod.metadata, finalizers: (pod.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER) } };
  }

  protected async reconcile(key: string): Promise<void> {
    const cached = this.owners.store.get(key);
    if (!cached) {
      this.expectations.forget(key);
      this.written.delete(key);
      await this.releaseOrphans(key);
      return;
    }
    const last = this.written.get(key);
    let job = last && newer(last, cached) ? last : cached;
    if (job === cached) this.written.delete(key);
    const candidates = this.children.store.byIndex('namespace', splitObjectKey(key).namespace ?? '');
    if (job.metadata.deletionTimestamp) {
      // Its pods are going with it; nothing is left to count.
      await this.removeFinalizers(candidates.filter((p) => isTracked(p) && controllerOf(p)?.uid === job.metadata.uid));
      return;
    }
    const now = this.deps.clock.now();
    const claims = planClaims(jobIdentity(job), job.spec.selector, candidates);
    for (const pod of claims.adopt) await this.adopt(job, pod);
    for (const pod of claims.release) await this.release(job, pod);
    const pods = claims.owned.map((pod) => this.withRemovalsApplied(pod));
    const plan = planJob({ job, pods, now, expectationsSatisfied: this.expectations.satisfied(key) });
    for (const event of plan.events) this.recorder.event(job, event.type, event.reason, event.message);
    if (plan.removeFinalizers.length) {
      // Phase 1: record; phase 2: release the pods; only then (below) the counts move.
      if (plan.recorded && !deepEqual(plan.recorded, job.status ?? {})) job = await this.writeStatus(key, job, plan.recorded);
      await this.removeFinalizers(plan.removeFinalizers);
    }
    const failure = await this.applyPlan(key, job, plan);
    if (!deepEqual(plan.status, job.status ?? {})) await this.writeStatus(key, job, plan.status);
    if (plan.deleteJob) {
      await ignoreNotFound(this.deps.client.delete(JOB_RESOURCE, job.metadata.name!, { namespace: job.metadata.namespace, propagationPolicy: 'Foreground', preconditions: { uid: job.metadata.uid } }));
      return;
    }
    if (plan.requeueAfterMs !== undefined) this.enqueueAfter(key, plan.requeueAfterMs);
    if (failure) throw new Error(failure);
  }

  /** Writes the status (optimistically: a stale Job gets a conflict and a retry). */
  private async writeStatus(key: string, job: Job, status: JobStatus): Promise<Job> {
    try {
      const updated = await this.deps.client.updateStatus<Job>(JOB_RESOURCE, { ...job, status });
      this.written.set(key, updated);
      return updated;
    } catch (error) {
      if (isNotFound(error)) return job;
      throw error;
    }
  }

  /** Takes the job-tracking finalizer off each pod; all must succeed before counts move. */
  private async removeFinalizers(pods: Pod[]): Promise<void> {
    const results = await Promise.allSettled(
      pods.map(async (pod) => {
        // Idempotent (Kubernetes sends the same patch): a cache still showing a finalizer
        // already removed costs nothing.
        const patch = { metadata: { '$deleteFromPrimitiveList/finalizers': [JOB_TRACKING_FINALIZER] } };
        try {
          const updated = await this.deps.client.patch<Pod>(R.Pod, pod.metadata.name!, patch, { namespace: pod.metadata.namespace, type: 'strategic' });
          if (isTracked(this.children.store.getByName(pod.metadata.namespace, pod.metadata.name!) ?? updated)) this.finalizerRemoved.add(pod.metadata.uid!);
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw new Error(`Error removing the job-tracking finalizer: ${errorText(failed.reason)}`);
  }

  /** The Job named by `key` is gone: its pods lose their finalizers (checked against the API, not the cache). */
  private async releaseOrphans(key: string): Promise<void> {
    const { namespace, name } = splitObjectKey(key);
    const pods = this.children.store.byIndex('namespace', namespace ?? '').filter((p) => isTracked(p) && controllerOf(p)?.kind === 'Job' && controllerOf(p)?.name === name);
    if (!pods.length) return;
    const live = await this.deps.client.get<Job>(JOB_RESOURCE, name, { namespace }).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    await this.removeFinalizers(pods.filter((p) => !live || controllerOf(p)?.uid !== live.metadata.uid));
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
