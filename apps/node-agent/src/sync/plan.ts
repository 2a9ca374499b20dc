import { restartTiming, shouldRestart } from './backoff';
import {
  BackoffSettings, DEFAULT_BACKOFF, LifecycleHandler, NodeMemory, ObservedContainer, ObservedPod, PodMemory, PodView, StartFailure, SyncAction,
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
    else if (!seen?.sandbox?.ready && now < (memory.sandboxRetryAt?.get(pod.metadata.uid) ?? 0)) continue; // nothing runs without it
    else actions.push(...planRunning(pod, seen, podMemory, memory.images, now, backoff));
  }
  return actions;
}

function running(seen: ObservedPod | undefined): ObservedContainer[] {
  return (seen?.containers ?? []).filter((c) => c.state !== 'exited');
}

/** The container's preStop hook, when it has one and there is a grace period to run it in. */
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

function planRunning(
  pod: PodView,
  seen: ObservedPod | undefined,
  podMemory: PodMemory,
  images: Set<string>,
  now: number,
  backoff: BackoffSettings,
): SyncAction[] {
  const actions: SyncAction[] = [];
  const uid = pod.metadata.uid;
  if (!seen?.sandbox?.ready) actions.push({ type: 'createSandbox', pod });

  for (const spec of pod.spec.containers) {
    const instances = instancesOf(seen, spec.name);
    const latest = instances.at(-1);
    const mem = podMemory[spec.name] ?? {};

    // Keep the latest instance and the one before it (for `logs --previous`).
    for (const old of instances.slice(0, -2)) {
      if (old.state === 'exited') actions.push({ type: 'removeContainer', uid, id: old.id });
    }

    // Created but never started, and no worker of ours is starting it (the plan is only
    // applied to pods without one): an agent died between runc create and start. Replace it,
    // keeping the attempt number, since it never ran.
    // runc could not start its process and the restart policy does not restart it: never again.
    const startFailed = startFailureOf(pod, podMemory, spec.name) !== undefined;

    if (latest?.state === 'created') {
      actions.push({ type: 'removeContainer', uid, id: latest.id });
      if (startFailed) continue;
      if (mem.pullError && now < mem.pullError.retryAt) continue;
      if (mem.configError && now < mem.configError.retryAt) continue;
      actions.push({ type: 'startContainer', pod, container: spec.name, attempt: latest.attempt, crashStreak: mem.crashStreak ?? 0 });
      continue;
    }

    if (latest && latest.state !== 'exited') {
      if (latest.state === 'running' && mem.livenessFailed) {
        actions.push({ type: 'killContainer', uid, id: latest.id, container: spec.name, gracePeriodSeconds: gracePeriodOf(pod), reason: 'LivenessProbeFailed', ...preStopOf(pod, spec.name, gracePeriodOf(pod)) });
      }
      continue;
    }

    if (startFailed) continue;
    let attempt = 0;
    let crashStreak = 0;
    if (latest) {
      if (!shouldRestart(pod.spec.restartPolicy, latest.exitCode)) continue;
      const timing = restartTiming(latest, mem.crashStreak ?? 0, backoff);
      if (now < timing.notBefore) continue;
      attempt = latest.attempt + 1;
      crashStreak = timing.crashStreak;
    }

    if (mem.pullError && now < mem.pullError.retryAt) continue;
    if (mem.configError && now < mem.configError.retryAt) continue;
    const policy = spec.imagePullPolicy ?? 'IfNotPresent';
    const present = images.has(spec.image);
    if (policy === 'Never' && !present) continue;
    if (policy === 'Always' || !present) actions.push({ type: 'pullImage', pod, container: spec.name, image: spec.image });
    actions.push({ type: 'startContainer', pod, container: spec.name, attempt, crashStreak });
  }
  return actions;
}
