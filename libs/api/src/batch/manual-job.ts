// The Job `kubectl create job NAME --from=cronjob/X` builds on the client from the CronJob's
// jobTemplate: its labels and annotations, `cronjob.kubernetes.io/instantiate: manual`, and
// the CronJob as controller. Browser-safe (coxctl and the dashboard both use it).
import { KubeObject } from '../meta/types';

export const MANUAL_INSTANTIATE = { 'cronjob.kubernetes.io/instantiate': 'manual' } as const;

interface CronJobLike extends KubeObject {
  spec?: { jobTemplate?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown } };
}

export interface ManualJob extends KubeObject {
  apiVersion: 'batch/v1';
  kind: 'Job';
  spec: Record<string, unknown>;
}

export function jobFromCronJob(name: string, cronJob: CronJobLike, namespace?: string): ManualJob {
  const template = cronJob.spec?.jobTemplate ?? {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      annotations: { ...MANUAL_INSTANTIATE, ...(template.metadata?.annotations ?? {}) },
      ...(template.metadata?.labels ? { labels: { ...template.metadata.labels } } : {}),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cronJob.metadata.name!, uid: cronJob.metadata.uid!, controller: true }],
    },
    spec: structuredClone((template.spec ?? {}) as Record<string, unknown>),
  };
}
