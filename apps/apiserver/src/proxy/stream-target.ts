// Checks a streaming request's target before anything is upgraded or proxied, so a pod that
// cannot serve the stream gets a Status at once instead of a hanging connection. Pure: the
// answers come from the stored object alone. Wording follows Kubernetes where clients and
// people match on it: the apiserver's pod strategy (validateContainer, streamLocation), the
// kubelet's container log status check, kubectl's completed-pod checks and KubeVirt's
// virt-api for the console.
import { badRequest, conflict, KubeObject } from '@coxswain/api';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type PodStream = 'exec' | 'attach' | 'log' | 'portforward';

export interface PodStreamRequest {
  stream: PodStream;
  /** `?container=`; empty means "the only container". */
  container?: string;
  /** `?previous=true` on logs. */
  previous?: boolean;
}

/** The container a pods/exec|attach|log request is for, as the apiserver's validateContainer picks it. */
export function pickContainer(pod: KubeObject, requested: string | undefined): string {
  const p = pod as Obj;
  const name = p.metadata.name;
  const containers: Obj[] = p.spec?.containers ?? [];
  const all: string[] = [...(p.spec?.initContainers ?? []), ...containers, ...(p.spec?.ephemeralContainers ?? [])].map((c: Obj) => c.name);
  if (!requested) {
    if (containers.length === 1) return containers[0].name;
    if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`);
  }
  if (!all.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

function statusOf(pod: KubeObject, container: string): Obj | undefined {
  const s = (pod as Obj).status ?? {};
  return [...(s.initContainerStatuses ?? []), ...(s.containerStatuses ?? []), ...(s.ephemeralContainerStatuses ?? [])].find((c: Obj) => c.name === container);
}

/** The kubelet's log precondition (validateContainerLogStatus), as a 400 when logs cannot be served. */
export function logProblem(pod: KubeObject, container: string, previous: boolean): string | undefined {
  const name = pod.metadata.name;
  const status = statusOf(pod, container);
  if (!status) return `container "${container}" in pod "${name}" is not available`;
  const last: Obj | undefined = status.lastState?.terminated;
  const { waiting, running, terminated } = (status.state ?? {}) as Obj;
  if (previous) return last ? undefined : `previous terminated container "${container}" in pod "${name}" not found`;
  if (running || terminated || last) return undefined;
  if (waiting) {
    if (waiting.reason === 'ErrImagePull') return `container "${container}" in pod "${name}" is waiting to start: image can't be pulled`;
    if (waiting.reason === 'ImagePullBackOff') return `container "${container}" in pod "${name}" is waiting to start: trying and failing to pull image`;
    return `container "${container}" in pod "${name}" is waiting to start: ${waiting.reason ?? ''}`;
  }
  return `container "${container}" in pod "${name}" is waiting to start - no logs yet`;
}

/**
 * Validates a pod stream request; returns the container it targets (undefined for
 * port-forward) or throws the Status Kubernetes gives.
 */
export function checkPodStream(pod: KubeObject, req: PodStreamRequest): string | undefined {
  const p = pod as Obj;
  const name = p.metadata.name;
  const container = req.stream === 'portforward' ? undefined : pickContainer(pod, req.container);
  if (!p.spec?.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  const phase: string = p.status?.phase ?? 'Pending';
  if (req.stream === 'log') {
    const problem = logProblem(pod, container!, Boolean(req.previous));
    if (problem) throw badRequest(problem);
    return container;
  }
  if (req.stream === 'portforward') {
    if (phase !== 'Running') throw badRequest(`unable to forward port because pod is not running. Current status=${phase}`);
    return undefined;
  }
  if (phase === 'Succeeded' || phase === 'Failed') {
    throw badRequest(req.stream === 'exec' ? `cannot exec into a container in a completed pod; current phase is ${phase}` : `cannot attach a container in a completed pod; current phase is ${phase}`);
  }
  if (!statusOf(pod, container!)?.state?.running) throw badRequest(`container not found ("${container}")`);
  return container;
}

/** virt-api's check before a console/VNC connection: only a Running VMI has one. */
export function checkConsole(vmi: KubeObject): void {
  const v = vmi as Obj;
  if (v.status?.phase !== 'Running') throw conflict({ resource: 'virtualmachineinstance.kubevirt.io', name: v.metadata.name, kind: 'VirtualMachineInstance', group: 'kubevirt.io' }, 'VMI is not running');
}
