// The selector the API server generates for a Job (unless spec.manualSelector is true):
// the Job's uid and name as labels on the pod template, the uid label as the selector.
import { JOB_LABELS } from '../types/batch';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Adds the generated selector and template labels in place (create, after the uid is set). */
export function generateJobSelector(job: Obj): void {
  const spec = job.spec;
  if (typeof spec !== 'object' || spec === null || spec.manualSelector === true) return;
  const uid: string = job.metadata.uid;
  const name: string = job.metadata.name;
  spec.template = spec.template ?? {};
  spec.template.metadata = spec.template.metadata ?? {};
  spec.template.metadata.labels = {
    ...(spec.template.metadata.labels ?? {}),
    [JOB_LABELS.controllerUid]: uid,
    [JOB_LABELS.jobName]: name,
    [JOB_LABELS.legacyControllerUid]: uid,
    [JOB_LABELS.legacyJobName]: name,
  };
  spec.selector = { matchLabels: { [JOB_LABELS.controllerUid]: uid } };
}
