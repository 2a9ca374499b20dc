// CronJob controller: CronJob and Job informers → queue → reconcile(key) → planCronJob → apply.
// Job names are deterministic per schedule time, so a restart never creates a second Job
// for the same time (the create answers AlreadyExists).
import { controllerOf, CronJob, Job } from '@coxswain/api';
import { Informer, isAlreadyExists, isNotFound, objectKey } from '@coxswain/client';
import { Controller, ControllerDeps } from '../framework/controller';
import { CONTROLLER_UID_INDEX } from '../framework/informers';
import { deepEqual, ignoreNotFound } from '../framework/objects';
import { errorText } from '../replicas/owned-controller';
import { CRONJOB_RESOURCE, JOB_RESOURCE } from '../job/resources';
import { planCronJob } from './plan';

export const CRONJOB_CONTROLLER = 'cronjob-controller';

export class CronJobController extends Controller {
  private readonly cronJobs: Informer<CronJob>;
  private readonly jobs: Informer<Job>;

  constructor(deps: ControllerDeps) {
    super(CRONJOB_CONTROLLER, deps, 2);
    this.cronJobs = deps.informers.for<CronJob>(CRONJOB_RESOURCE);
    this.jobs = deps.informers.for<Job>(JOB_RESOURCE);
  }

  register(): void {
    this.cronJobs.addEventHandler({ onAdd: (cj) => this.enqueue(cj), onUpdate: (_o, cj) => this.enqueue(cj), onDelete: (cj) => this.enqueue(cj) });
    const jobChanged = (job: Job) => {
      const ref = controllerOf(job);
      if (ref?.kind !== 'CronJob') return;
      const owner = this.cronJobs.store.getByName(job.metadata.namespace, ref.name);
      if (owner?.metadata.uid === ref.uid) this.enqueue(owner);
    };
    this.jobs.addEventHandler({ onAdd: jobChanged, onUpdate: (_o, job) => jobChanged(job), onDelete: jobChanged });
  }

  protected async reconcile(key: string): Promise<void> {
    const cronJob = this.cronJobs.store.get(key);
    if (!cronJob) return;
    const jobs = this.jobs.store.byIndex(CONTROLLER_UID_INDEX, cronJob.metadata.uid!);
    const plan = planCronJob({ cronJob, jobs, now: this.deps.clock.now() });
    for (const event of plan.events) this.recorder.event(cronJob, event.type, event.reason, event.message);
    const { client } = this.deps;
    for (const job of plan.replace) {
      await ignoreNotFound(client.delete(JOB_RESOURCE, job.metadata.name!, { namespace: job.metadata.namespace, propagationPolicy: 'Background', preconditions: { uid: job.metadata.uid } }));
      this.recorder.event(cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    }
    const status = plan.status;
    if (plan.create) {
      try {
        const created = await client.create<Job>(JOB_RESOURCE, plan.create);
        this.recorder.event(cronJob, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
        status.active = [...(status.active ?? []), { apiVersion: 'batch/v1', kind: 'Job', name: created.metadata.name, namespace: created.metadata.namespace, uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion }];
      } catch (error) {
        if (!isAlreadyExists(error)) {
          this.recorder.event(cronJob, 'Warning', 'FailedCreate', `Error creating job: ${errorText(error)}`);
          throw error;
        }
      }
    }
    if (!deepEqual(status, cronJob.status ?? {})) await ignoreNotFound(client.updateStatus(CRONJOB_RESOURCE, { ...cronJob, status }));
    for (const job of plan.cleanup) {
      try {
        await client.delete(JOB_RESOURCE, job.metadata.name!, { namespace: job.metadata.namespace, propagationPolicy: 'Background', preconditions: { uid: job.metadata.uid } });
        this.recorder.event(cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    if (plan.requeueAfterMs !== undefined) this.enqueueAfter(objectKey(cronJob), plan.requeueAfterMs);
  }
}
