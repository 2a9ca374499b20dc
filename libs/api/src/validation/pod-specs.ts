// Where each kind keeps its pod spec: a Pod, the templates of workload controllers and
// PodTemplate, and a CronJob's job template. Validation and the API server's admission checks
// (privileged, hostNetwork, hostPath, free-form fields) walk the same list.

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** The pod specs an object of this kind carries, with their field paths (none for other kinds). */
export function podSpecsOf(kind: string, obj: unknown): Array<{ spec: Obj; path: string }> {
  const path = POD_SPEC_PATHS[kind];
  if (!path) return [];
  const spec = path.reduce<unknown>((v, key) => (isObj(v) ? v[key] : undefined), obj);
  return isObj(spec) ? [{ spec, path: path.join('.') }] : [];
}
