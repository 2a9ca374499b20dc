// The pod a Job creates from its template: owned by the Job; for Indexed Jobs named
// `<job>-<index>-<random>`, with the index as annotation, label, JOB_COMPLETION_INDEX and hostname;
// every pod carries the job-tracking finalizer until its outcome is counted.
import { Container, Job, JOB_COMPLETION_INDEX_ENV, JOB_LABELS, Pod } from '@coxswain/api';
import { controllerRef } from '../framework/owners';
import { JOB_TRACKING_FINALIZER } from './tracking';

export const jobIdentity = (job: Job) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: job.metadata });

function withIndexEnv(containers: Container[] | undefined, index: number): Container[] | undefined {
  return containers?.map((c) => ({ ...c, env: [...(c.env ?? []).filter((e) => e.name !== JOB_COMPLETION_INDEX_ENV), { name: JOB_COMPLETION_INDEX_ENV, value: String(index) }] }));
}

export function podForJob(job: Job, index?: number): Pod {
  const meta = job.spec.template.metadata ?? {};
  const spec = structuredClone(job.spec.template.spec);
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${job.metadata.name}-` : `${job.metadata.name}-${index}-`,
      namespace: job.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      finalizers: [...(meta.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER), JOB_TRACKING_FINALIZER],
      ownerReferences: [controllerRef(jobIdentity(job))],
    },
    spec,
  };
  if (index !== undefined) {
    pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [JOB_LABELS.completionIndex]: String(index) };
    pod.metadata.labels = { ...pod.metadata.labels, [JOB_LABELS.completionIndex]: String(index) };
    pod.spec.containers = withIndexEnv(pod.spec.containers, index)!;
    if (pod.spec.initContainers) pod.spec.initContainers = withIndexEnv(pod.spec.initContainers, index);
    // Kubernetes gives Indexed pods a stable hostname for their index.
    if (`${job.metadata.name}-${index}`.length <= 63) pod.spec.hostname ??= `${job.metadata.name}-${index}`;
  }
  return pod;
}
