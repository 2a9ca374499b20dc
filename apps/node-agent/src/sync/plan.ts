import { DEADLINE_EXCEEDED_REASON, deadlineExceeded } from './active-deadline';
import { EVICTED_REASON, evictionOf } from './eviction';
import { RestartPolicy, restartTiming, shouldRestart } from './backoff';
import {
  BackoffSettings, ContainerView, DEFAULT_BACKOFF, LifecycleHandler, NodeMemory, ObservedContainer, ObservedPod, PodMemory, PodView, StartFailure, SyncAction,
} from './model';

const DEFAULT_GRACE_SECONDS = 30;
const TERMINAL_PHASES = new Set(['Succeeded', 'Failed']);

/** Instances of one container, oldest first. */
export function instancesOf(observed: ObservedPod | undefined, name: string): ObservedContainer[] {
  return (observed?.containers ?? []).filter((c) => c.name === name).sort((a, b) => a.attempt - b.attempt);
}

/** A start that failed for good: remembered by the agent, else read back from the pod's last status. */
export function startFailureOf(pod: PodView, memory: PodMemory, name: string): StartFailure | undefined {
  return memory[name]?.startFailed ?? pod.status?.startFailures?.[name];
}

/**
 * The policy a container's exits are judged by. An init container is restarted on failure unless
 * the pod's policy is Never, and never run again once it exited 0: Always reads as OnFailure for
 * init containers (the kubelet's rule).
 */
export function restartPolicyOf(pod: PodView, container: string): RestartPolicy | undefined {
  if (!pod.spec.initContainers?.some((c) => c.name === container)) return pod.spec.restartPolicy;
  return pod.spec.restartPolicy === 'Never' ? 'Never' : 'OnFailure';
}

/**
 * Whether an init container has completed: its latest instance exited 0, or, no instance of it
 * left (removed, or a sandbox made again), the pod's last status says it did.
 */
export function initCompleted(pod: PodView, seen: ObservedPod | undefined, name: string): boolean {
  const latest = instancesOf(seen, name).at(-1);
  if (!latest) return pod.status?.completedInit?.[name] !== undefined;
  return latest.state === 'exited' && latest.exitCode === 0;
}

/** Some app container has an instance: init ran before it, and is not run again (the kubelet's HasAnyRegularContainerStarted). */
export function appStarted(pod: PodView, seen: ObservedPod | undefined): boolean {
  return pod.spec.containers.some((c) => instancesOf(seen, c.name).length > 0);
}

/**
 * The init container the pod waits on: the first, in spec order, that has not completed.
 * Undefined once init is done, and for a pod without init containers.
 */
export function pendingInit(pod: PodView, seen: ObservedPod | undefined): ContainerView | undefined {
  const init = pod.spec.initContainers ?? [];
  if (init.length === 0 || appStarted(pod, seen)) return undefined;
  return init.find((c) => !initCompleted(pod, seen, c.name));
}

export function gracePeriodOf(pod: PodView): number {
  return pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
}

/**
 * Decides what the node must do so that what runs matches the pods bound to it. Pure: the
 * applier performs the actions in order and records their effects for the next pass.
 */
export function planSync(
  desired: PodView[],
  observed: ObservedPod[],
  memory: NodeMemory,
  now: number,
  backoff: BackoffSettings = DEFAULT_BACKOFF,
): SyncAction[] {
  const actions: SyncAction[] = [];
  const desiredByUid = new Map(desired.map((p) => [p.metadata.uid, p]));
  const observedByUid = new Map(observed.map((p) => [p.uid, p]));

  // Whatever runs here without a pod object bound to this node must go: deleted while the
  // agent was away, or evicted and rebound elsewhere.
  for (const pod of observed) {
    if (!desiredByUid.has(pod.uid)) {
      actions.push({ type: 'removePod', uid: pod.uid, gracePeriodSeconds: pod.gracePeriodSeconds ?? DEFAULT_GRACE_SECONDS, reason: 'PodNotBoundHere' });
    }
  }

  for (const pod of desired) {
    const seen = observedByUid.get(pod.metadata.uid);
    const podMemory = memory.pods[pod.metadata.uid] ?? {};
    if (pod.metadata.deletionTimestamp) actions.push(...planDeletion(pod, seen));
    else if (TERMINAL_PHASES.has(pod.status?.phase ?? '')) actions.push(...planStopAll(pod, seen, 'PodTerminated'));
    // Past its activeDeadlineSeconds: everything stops and nothing starts again (the status says Failed).
    else if (deadlineExceeded(pod, now)) actions.push(...planStopAll(pod, seen, DEADLINE_EXCEEDED_REASON));
    else if (evictionOf(pod, memory) !== undefined) actions.push(...planStopAll(pod, seen, EVICTED_REASON));
    else if (!seen?.sandbox?.ready && now < (memory.sandboxRetryAt?.get(pod.metadata.uid) ?? 0)) continue; // nothing runs without it
    else actions.push(...planRunning({ pod, seen, podMemory, images: memory.images, now, backoff }));
  }
  return actions;
}

function running(seen: ObservedPod | undefined): ObservedContainer[] {
  return (seen?.containers ?? []).filter((c) => c.state !== 'exited');
}

/** The container's preStop hook, when it has one and there is a grace period to run it in. */
/**
 * The grace of a kill for a failed liveness or startup probe (the kubelet's
 * setTerminationGracePeriod): the probe's own terminationGracePeriodSeconds when set, else the
 * pod's. (A pod being deleted is stopped by planDeletion, with its deletion grace.)
 */
function probeKillGrace(pod: PodView, container: string, probe: 'liveness' | 'startup'): number {
  return pod.spec.containers.find((c) => c.name === container)?.probeGrace?.[probe] ?? gracePeriodOf(pod);
}

function preStopOf(pod: PodView, container: string, grace: number): { preStop?: LifecycleHandler } {
  const hook = pod.spec.containers.find((c) => c.name === container)?.lifecycle?.preStop;
  return hook && grace > 0 ? { preStop: hook } : {};
}

function planStopAll(pod: PodView, seen: ObservedPod | undefined, reason: string): SyncAction[] {
  const grace = gracePeriodOf(pod);
  return running(seen).map((c) => ({
    type: 'killContainer' as const, uid: pod.metadata.uid, id: c.id, container: c.name, gracePeriodSeconds: grace, reason, ...preStopOf(pod, c.name, grace),
  }));
}

function planDeletion(pod: PodView, seen: ObservedPod | undefined): SyncAction[] {
  const stops = planStopAll(pod, seen, 'Killing');
  if (stops.length > 0) return stops;
  const actions: SyncAction[] = [];
  if (seen) actions.push({ type: 'removePod', uid: pod.metadata.uid, gracePeriodSeconds: 0, reason: 'PodDeleted' });
  actions.push({ type: 'finalizeDeletion', pod });
  return actions;
}

/** What planning a running pod's containers reads. */
interface RunningPod {
  pod: PodView;
  seen: ObservedPod | undefined;
  podMemory: PodMemory;
  images: Set<string>;
  now: number;
  backoff: BackoffSettings;
}

function planRunning(ctx: RunningPod): SyncAction[] {
  const { pod, seen } = ctx;
  const actions: SyncAction[] = [];
  const uid = pod.metadata.uid;
  if (!seen?.sandbox?.ready) actions.push({ type: 'createSandbox', pod });

  // Keep the latest instance and the one before it (for `logs --previous`).
  for (const spec of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const old of instancesOf(seen, spec.name).slice(0, -2)) {
      if (old.state === 'exited') actions.push({ type: 'removeContainer', uid, id: old.id });
    }
  }

  // Init containers run one at a time, in order, each to exit 0; no app container starts
  // before all have. A failed one under Never stays failed, and so does the pod.
  const init = pendingInit(pod, seen);
  for (const spec of init ? [init] : pod.spec.containers) {
    actions.push(...planContainer(ctx, spec));
  }
  return actions;
}

/** Starts, restarts or kills one container (init or app), by its instances and what the agent remembers of it. */
function planContainer({ pod, seen, podMemory, images, now, backoff }: RunningPod, spec: ContainerView): SyncAction[] {
  const uid = pod.metadata.uid;
  const latest = instancesOf(seen, spec.name).at(-1);
  const mem = podMemory[spec.name] ?? {};
  // runc could not start its process and the restart policy does not restart it: never again.
  const startFailed = startFailureOf(pod, podMemory, spec.name) !== undefined;

  // Created but never started, and no worker of ours is starting it (the plan is only
  // applied to pods without one): an agent died between runc create and start. Replace it,
  // keeping the attempt number, since it never ran.
  if (latest?.state === 'created') {
    const actions: SyncAction[] = [{ type: 'removeContainer', uid, id: latest.id }];
    if (startFailed) return actions;
    if (mem.pullError && now < mem.pullError.retryAt) return actions;
    if (mem.configError && now < mem.configError.retryAt) return actions;
    actions.push({ type: 'startContainer', pod, container: spec.name, attempt: latest.attempt, crashStreak: mem.crashStreak ?? 0 });
    return actions;
  }

  if (latest && latest.state !== 'exited') {
    if (latest.state === 'running' && mem.livenessFailed) {
      const grace = probeKillGrace(pod, spec.name, mem.failedProbe ?? 'liveness');
      return [{ type: 'killContainer', uid, id: latest.id, container: spec.name, gracePeriodSeconds: grace, reason: 'LivenessProbeFailed', ...preStopOf(pod, spec.name, grace) }];
    }
    return [];
  }

  if (startFailed) return [];
  let attempt = 0;
  let crashStreak = 0;
  if (latest) {
    if (!shouldRestart(restartPolicyOf(pod, spec.name), latest.exitCode)) return [];
    const timing = restartTiming(latest, mem.crashStreak ?? 0, backoff);
    if (now < timing.notBefore) return [];
    attempt = latest.attempt + 1;
    crashStreak = timing.crashStreak;
  }

  if (mem.pullError && now < mem.pullError.retryAt) return [];
  if (mem.configError && now < mem.configError.retryAt) return [];
  const policy = spec.imagePullPolicy ?? 'IfNotPresent';
  const present = images.has(spec.image);
  if (policy === 'Never' && !present) return [];
  const actions: SyncAction[] = [];
  if (policy === 'Always' || !present) actions.push({ type: 'pullImage', pod, container: spec.name, image: spec.image });
  actions.push({ type: 'startContainer', pod, container: spec.name, attempt, crashStreak });
  return actions;
}
