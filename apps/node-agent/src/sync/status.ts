import { DEADLINE_EXCEEDED_MESSAGE, DEADLINE_EXCEEDED_REASON, deadlineExceeded } from './active-deadline';
import { EVICTED_REASON } from './eviction';
import { restartTiming, shouldRestart } from './backoff';
import { BackoffSettings, CompletedInit, ContainerView, DEFAULT_BACKOFF, ObservedContainer, ObservedPod, PodMemory, PodView, START_ERROR_EXIT_CODE, StartFailure } from './model';
import { instancesOf, pendingInit, restartPolicyOf, startFailureOf } from './plan';

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
  /** Why the pod is in this phase, when the node decided it (DeadlineExceeded). */
  reason?: string;
  message?: string;
  conditions: Array<{ type: string; status: 'True' | 'False'; reason?: string; message?: string }>;
  /** Only for pods with init containers. */
  initContainerStatuses?: ContainerStatusView[];
  containerStatuses: ContainerStatusView[];
  podIP?: string;
  podIPs?: Array<{ ip: string }>;
  hostIP: string;
  hostIPs: Array<{ ip: string }>;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const containerID = (c: ObservedContainer) => `runc://${c.id}`;

/** `message`: what the container left at its terminationMessagePath (or its log tail), when any. */
function terminated(c: ObservedContainer, message?: string): ContainerStateView {
  const exitCode = c.exitCode ?? -1;
  const reason = c.oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
  return { terminated: { exitCode, reason, ...(message ? { message } : {}), startedAt: iso(c.startedAt), finishedAt: iso(c.finishedAt), containerID: containerID(c) } };
}

/**
 * A process that was never started, as the kubelet reports it: exit 128, StartError, the runtime's
 * message; startedAt is the zero time (the runtime never started it), finishedAt when it failed.
 */
function startError(failure: StartFailure): ContainerStateView {
  return { terminated: { exitCode: START_ERROR_EXIT_CODE, reason: 'StartError', message: failure.message, startedAt: '1970-01-01T00:00:00Z', finishedAt: iso(failure.at) } };
}

/** How a container's status counts towards the pod's phase. */
type Standing = 'waitingToStart' | 'active' | 'failed' | 'finished';

/**
 * One container's status from its instances and what the agent remembers of it. `notYet` is
 * the reason it waits with before its first start: ContainerCreating, or PodInitializing in a
 * pod with init containers (the kubelet's default waiting state for such pods).
 */
function reportContainer(
  pod: PodView,
  spec: ContainerView & { readinessProbe?: unknown },
  seen: ObservedPod | undefined,
  memory: PodMemory,
  now: number,
  backoff: BackoffSettings,
  notYet: string,
): { status: ContainerStatusView; standing: Standing } {
  const instances = instancesOf(seen, spec.name);
  const latest = instances.at(-1);
  const previous = instances.at(-2);
  const mem = memory[spec.name] ?? {};
  const base = { name: spec.name, image: spec.image, imageID: '', restartCount: latest?.attempt ?? 0 };

  const startFailure = latest ? undefined : startFailureOf(pod, memory, spec.name);
  if (startFailure) return { standing: 'failed', status: { ...base, ready: false, started: false, state: startError(startFailure), lastState: {} } };
  if (!latest) {
    const reason = mem.pullError?.reason ?? mem.configError?.reason ?? notYet;
    const message = mem.pullError?.message ?? (mem.configError && mem.configError.reason !== 'ContainerCreating' ? mem.configError.message : undefined);
    return { standing: 'waitingToStart', status: { ...base, ready: false, started: false, state: { waiting: { reason, message } }, lastState: {} } };
  }
  const messageOf = (c: ObservedContainer) => mem.terminationMessages?.[c.id];
  const lastState = previous ? terminated(previous, messageOf(previous)) : {};
  if (latest.state === 'created' && !previous) {
    // Created, not yet started for the first time: the pod is still Pending, as in Kubernetes.
    return { standing: 'waitingToStart', status: { ...base, containerID: containerID(latest), ready: false, started: false, state: { waiting: { reason: 'ContainerCreating' } }, lastState } };
  }
  if (latest.state === 'running' && mem.postStartRunning) {
    // Started, its postStart hook still running: not Running (nor Ready) until the hook returns.
    return {
      standing: previous ? 'active' : 'waitingToStart',
      status: { ...base, containerID: containerID(latest), ready: false, started: false, state: { waiting: { reason: 'ContainerCreating' } }, lastState },
    };
  }
  if (latest.state !== 'exited') {
    const isRunning = latest.state === 'running';
    const ready = isRunning && (spec.readinessProbe ? mem.ready === true : true);
    return {
      standing: 'active',
      status: {
        ...base, containerID: containerID(latest), ready, started: isRunning, lastState,
        state: isRunning ? { running: { startedAt: iso(latest.startedAt) ?? new Date(now).toISOString() } } : { waiting: { reason: 'ContainerCreating' } },
      },
    };
  }
  // A pod past its active deadline, or already terminal, restarts nothing (see planSync): its exits read terminated.
  const final = deadlineExceeded(pod, now) || pod.status?.evicted !== undefined || pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';
  if (!final && shouldRestart(restartPolicyOf(pod, spec.name), latest.exitCode)) {
    const timing = restartTiming(latest, mem.crashStreak ?? 0, backoff);
    const waiting = now < timing.notBefore
      ? { reason: 'CrashLoopBackOff', message: `back-off ${Math.round(timing.delayMs / 1000)}s restarting failed container=${spec.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` }
      : { reason: 'ContainerCreating' };
    return { standing: 'active', status: { ...base, containerID: containerID(latest), ready: false, started: false, state: { waiting }, lastState: terminated(latest, messageOf(latest)) } };
  }
  return {
    standing: (latest.exitCode ?? -1) !== 0 ? 'failed' : 'finished',
    status: { ...base, containerID: containerID(latest), ready: false, started: false, state: terminated(latest, messageOf(latest)), lastState },
  };
}

/** A completed init container whose instances are gone, as the pod's last status reported it. */
function completedInitStatus(spec: ContainerView, carried: CompletedInit): ContainerStatusView {
  const id = carried.containerID ? { containerID: carried.containerID } : {};
  return {
    name: spec.name, image: spec.image, imageID: '', ...id, ready: true, started: false, restartCount: carried.restartCount,
    state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: carried.startedAt, finishedAt: carried.finishedAt, ...id } }, lastState: {},
  };
}

/**
 * An init container's status: as any container's, except that it is ready once it completed
 * (exit 0) and never while it runs, as the kubelet reports it. One with no instance left after
 * init was done reads completed.
 */
function initContainerStatus(pod: PodView, spec: ContainerView, seen: ObservedPod | undefined, memory: PodMemory, now: number, backoff: BackoffSettings, initDone: boolean): ContainerStatusView {
  if (instancesOf(seen, spec.name).length === 0) {
    const carried = pod.status?.completedInit?.[spec.name] ?? (initDone ? { restartCount: 0 } : undefined);
    if (carried) return completedInitStatus(spec, carried);
  }
  const { status } = reportContainer(pod, spec, seen, memory, now, backoff, 'PodInitializing');
  return { ...status, ready: status.state.terminated?.exitCode === 0 };
}

/** The Initialized condition: False, naming the init containers not yet completed, until init is done. */
function initializedCondition(initDone: boolean, initStatuses: ContainerStatusView[]): PodStatusView['conditions'][number] {
  if (initDone) return { type: 'Initialized', status: 'True' };
  const incomplete = initStatuses.filter((s) => !s.ready).map((s) => s.name);
  return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${incomplete.join(' ')}]` };
}

type Condition = PodStatusView['conditions'][number];

/**
 * Ready: as ContainersReady while that is not True, then False while any readiness gate's
 * condition is missing or not True (the kubelet's GeneratePodReadyCondition).
 */
export function podReadyCondition(pod: PodView, containersReady: Condition): Condition {
  if (containersReady.status !== 'True') return { ...containersReady, type: 'Ready' };
  const unready = (pod.spec.readinessGates ?? []).flatMap(({ conditionType }) => {
    const found = pod.status?.conditions?.find((c) => c.type === conditionType);
    if (!found) return [`corresponding condition of pod readiness gate "${conditionType}" does not exist.`];
    return found.status === 'True' ? [] : [`the status of pod readiness gate "${conditionType}" is not "True", but ${found.status}`];
  });
  if (unready.length) return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: unready.join(', ') };
  return { type: 'Ready', status: 'True' };
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
  const initSpecs = pod.spec.initContainers ?? [];
  const initDone = pendingInit(pod, seen) === undefined;
  const initStatuses = initSpecs.map((spec) => initContainerStatus(pod, spec, seen, memory, now, backoff, initDone));
  const notYet = initSpecs.length > 0 ? 'PodInitializing' : 'ContainerCreating';
  const reported = pod.spec.containers.map((spec) => reportContainer(pod, spec, seen, memory, now, backoff, notYet));
  const statuses = reported.map((r) => r.status);
  const count = (standing: Standing) => reported.filter((r) => r.standing === standing).length;
  const waitingToStart = count('waitingToStart');
  const active = count('active');
  const failed = count('failed');

  // An init container terminated with a failure is one its policy (Never) does not restart: the
  // pod fails without any app container having run. Otherwise it stays Pending until init is done.
  const initFailed = initStatuses.some((s) => (s.state.terminated?.exitCode ?? 0) !== 0);
  const allReady = statuses.length > 0 && statuses.every((s) => s.ready);
  // Past activeDeadlineSeconds the pod is Failed whatever its containers do (the kubelet's ShouldEvict).
  const overdue = deadlineExceeded(pod, now);
  // Evicted (eviction.ts; the caller puts this agent's decision in pod.status.evicted): Failed too.
  const evicted = pod.status?.evicted;
  const phase: PodStatusView['phase'] = overdue || evicted !== undefined ? 'Failed' :
    !initDone ? (initFailed ? 'Failed' : 'Pending')
      : waitingToStart > 0 && active === 0 && failed === 0 ? 'Pending'
        : active > 0 ? (waitingToStart > 0 && !statuses.some((s) => s.started || s.lastState.terminated) ? 'Pending' : 'Running')
          : failed > 0 ? 'Failed' : 'Succeeded';
  const notReady = statuses.filter((s) => !s.ready).map((s) => s.name);
  const readyCondition = (type: string) => allReady
    ? { type, status: 'True' as const }
    : { type, status: 'False' as const, reason: phase === 'Succeeded' || phase === 'Failed' ? 'PodCompleted' : 'ContainersNotReady',
      message: `containers with unready status: [${notReady.join(' ')}]` };

  const containersReady = readyCondition('ContainersReady');
  const podIP = seen?.sandbox?.ip;
  return {
    phase,
    ...(overdue ? { reason: DEADLINE_EXCEEDED_REASON, message: DEADLINE_EXCEEDED_MESSAGE } : evicted !== undefined ? { reason: EVICTED_REASON, message: evicted } : {}),
    conditions: [
      { type: 'PodReadyToStartContainers', status: seen?.sandbox?.ready ? 'True' : 'False' },
      initializedCondition(initDone, initStatuses),
      containersReady,
      podReadyCondition(pod, containersReady),
      { type: 'PodScheduled', status: 'True' },
    ],
    ...(initSpecs.length > 0 ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    hostIP,
    hostIPs: [{ ip: hostIP }],
  };
}
