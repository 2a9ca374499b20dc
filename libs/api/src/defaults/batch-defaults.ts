// Defaults of batch/v1 Job and CronJob (Kubernetes' SetDefaults_Job / SetDefaults_CronJob).
import { defaultPodSpec } from './defaults';
import { type Obj, isObj, setDefault } from './set-default';

export function defaultJobSpec(spec: unknown): void {
  if (!isObj(spec)) return;
  // Neither set: one pod to one completion. Only parallelism set: a work queue (completions stays unset).
  if (spec.completions == null && spec.parallelism == null) spec.completions = 1;
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', 6);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'podReplacementPolicy', isObj(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed');
  if (isObj(spec.podFailurePolicy) && Array.isArray(spec.podFailurePolicy.rules)) {
    for (const rule of spec.podFailurePolicy.rules) {
      if (isObj(rule) && Array.isArray(rule.onPodConditions)) for (const pattern of rule.onPodConditions) if (isObj(pattern)) setDefault(pattern, 'status', 'True');
    }
  }
  if (isObj(spec.template)) defaultPodSpec(spec.template.spec);
}

export function defaultJob(job: Obj): void {
  defaultJobSpec(job.spec);
}

export function defaultCronJob(cronJob: Obj): void {
  const spec = cronJob.spec;
  if (!isObj(spec)) return;
  setDefault(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  if (isObj(spec.jobTemplate) && isObj(spec.jobTemplate.spec) && isObj(spec.jobTemplate.spec.template)) defaultPodSpec(spec.jobTemplate.spec.template.spec);
}
