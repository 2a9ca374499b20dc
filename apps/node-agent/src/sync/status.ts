import { restartTiming, shouldRestart } from './backoff';
import { BackoffSettings, DEFAULT_BACKOFF, ObservedContainer, ObservedPod, PodMemory, PodView, START_ERROR_EXIT_CODE, StartFailure } from './model';
import { instancesOf, startFailureOf } from './plan';

export interface ContainerStateView {
  waiting?: { reason: string; message?: string };
  running?: { startedAt: string };
  terminated?: { exitCode: number; reason: string; message?: string; startedAt?: string; finishedAt?: string; containerID?: string };
}

export interface ContainerStatusView {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: ContainerStateView;
  lastState: ContainerStateView;
}

export interface PodStatusView {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  conditions: Array<{ type: string; status: 'True' | 'False'; reason?: string; message?: string }>;
  containerStatuses: ContainerStatusView[];
  podIP?: string;
  podIPs?: Array<{ ip: string }>;
  hostIP: string;
  hostIPs: Array<{ ip: string }>;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const containerID = (c: ObservedContainer) => `runc://${c.id}`;

function terminated(c: ObservedContainer): ContainerStateView {
  const exitCode = c.exitCode ?? -1;
  const reason = c.oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
  return { terminated: { exitCode, reason, startedAt: iso(c.startedAt), finishedAt: iso(c.finishedAt), containerID: containerID(c) } };
}

/**
 * A process that was never started, as the kubelet reports it: exit 128, StartError, the runtime's
 * message; startedAt is the zero time (the runtime never started it), finishedAt when it failed.
 */
function startError(failure: StartFailure): ContainerStateView {
  return { terminated: { exitCode: START_ERROR_EXIT_CODE, reason: 'StartError', message: failure.message, startedAt: '1970-01-01T00:00:00Z', finishedAt: iso(failure.at) } };
}

/**
 * The status the kubelet would report for a pod, from what runs and what the agent remembers.
 * Pure; the caller keeps lastTransitionTime/startTime from the previous status.
 */
export function computePodStatus(
  pod: PodView,
  seen: ObservedPod | undefined,
  memory: PodMemory,
  hostIP: string,
  now: number,
  backoff: BackoffSettings = DEFAULT_BACKOFF,
): PodStatusView {
  const statuses: ContainerStatusView[] = [];
  let waitingToStart = 0;
  let active = 0;
  let failed = 0;

  for (const spec of pod.spec.containers) {
    const instances = instancesOf(seen, spec.name);
    const latest = instances.at(-1);
    const previous = instances.at(-2);
    const mem = memory[spec.name] ?? {};
    const base = { name: spec.name, image: spec.image, imageID: '', restartCount: latest?.attempt ?? 0 };

    const startFailure = latest ? undefined : startFailureOf(pod, memory, spec.name);
    if (startFailure) {
      failed++;
      statuses.push({ ...base, ready: false, started: false, state: startError(startFailure), lastState: {} });
      continue;
    }
    if (!latest) {
      waitingToStart++;
      const reason = mem.pullError?.reason ?? mem.configError?.reason ?? 'ContainerCreating';
      const message = mem.pullError?.message ?? (mem.configError && mem.configError.reason !== 'ContainerCreating' ? mem.configError.message : undefined);
      statuses.push({ ...base, ready: false, started: false, state: { waiting: { reason, message } }, lastState: {} });
      continue;
    }
    const lastState = previous ? terminated(previous) : {};
    if (latest.state === 'created' && !previous) {
      // Created, not yet started for the first time: the pod is still Pending, as in Kubernetes.
      waitingToStart++;
      statuses.push({ ...base, containerID: containerID(latest), ready: false, started: false, state: { waiting: { reason: 'ContainerCreating' } }, lastState });
      continue;
    }
    if (latest.state === 'running' && mem.postStartRunning) {
      // Started, its postStart hook still running: not Running (nor Ready) until the hook returns.
      if (previous) active++;
      else waitingToStart++;
      statuses.push({ ...base, containerID: containerID(latest), ready: false, started: false, state: { waiting: { reason: 'ContainerCreating' } }, lastState });
      continue;
    }
    if (latest.state !== 'exited') {
      active++;
      const isRunning = latest.state === 'running';
      const ready = isRunning && (spec.readinessProbe ? mem.ready === true : true);
      statuses.push({
        ...base, containerID: containerID(latest), ready, started: isRunning, lastState,
        state: isRunning ? { running: { startedAt: iso(latest.startedAt) ?? new Date(now).toISOString() } } : { waiting: { reason: 'ContainerCreating' } },
      });
      continue;
    }
    if (shouldRestart(pod.spec.restartPolicy, latest.exitCode)) {
      active++;
      const timing = restartTiming(latest, mem.crashStreak ?? 0, backoff);
      const waiting = now < timing.notBefore
        ? { reason: 'CrashLoopBackOff', message: `back-off ${Math.round(timing.delayMs / 1000)}s restarting failed container=${spec.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` }
        : { reason: 'ContainerCreating' };
      statuses.push({ ...base, containerID: containerID(latest), ready: false, started: false, state: { waiting }, lastState: terminated(latest) });
      continue;
    }
    if ((latest.exitCode ?? -1) !== 0) failed++;
    statuses.push({ ...base, containerID: containerID(latest), ready: false, started: false, state: terminated(latest), lastState });
  }

  const allReady = statuses.length > 0 && statuses.every((s) => s.ready);
  const phase: PodStatusView['phase'] =
    waitingToStart > 0 && active === 0 && failed === 0 ? 'Pending'
      : active > 0 ? (waitingToStart > 0 && !statuses.some((s) => s.started || s.lastState.terminated) ? 'Pending' : 'Running')
        : failed > 0 ? 'Failed' : 'Succeeded';
  const notReady = statuses.filter((s) => !s.ready).map((s) => s.name);
  const readyCondition = (type: string) => allReady
    ? { type, status: 'True' as const }
    : { type, status: 'False' as const, reason: phase === 'Succeeded' || phase === 'Failed' ? 'PodCompleted' : 'ContainersNotReady',
      message: `containers with unready status: [${notReady.join(' ')}]` };

  const podIP = seen?.sandbox?.ip;
  return {
    phase,
    conditions: [
      { type: 'PodReadyToStartContainers', status: seen?.sandbox?.ready ? 'True' : 'False' },
      { type: 'Initialized', status: 'True' },
      readyCondition('ContainersReady'),
      readyCondition('Ready'),
      { type: 'PodScheduled', status: 'True' },
    ],
    containerStatuses: statuses,
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    hostIP,
    hostIPs: [{ ip: hostIP }],
  };
}
