import { ImagePullError, PodRuntime, VmRuntime } from '../runtime-port';
import { shouldRestart } from './backoff';
import { ContainerMemory, LifecycleHandler, NodeMemory, SANDBOX_RETRY_MS, START_ERROR_EXIT_CODE, SyncAction } from './model';
import { gracePeriodOf, restartPolicyOf } from './plan';
import { VmiAction } from './vmi-plan';
import { startBlock } from '../volumes/start-block';

export interface PullBackoff {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_PULL_BACKOFF: PullBackoff = { initialMs: 10_000, maxMs: 300_000 };

export interface ApplyHooks {
  /** The pod object may be removed for good (all its containers have stopped). */
  finalizePod(action: Extract<SyncAction, { type: 'finalizeDeletion' }>): Promise<void>;
  finalizeVmi(action: Extract<VmiAction, { type: 'finalizeDeletion' }>): Promise<void>;
  /** Records an Event for the workload; failures here never stop the sync. */
  event(uid: string, type: 'Normal' | 'Warning', reason: string, message: string): void;
  now(): number;
  /**
   * Runs a container's preStop hook, giving up after `timeoutMs`; resolves to why it failed,
   * or undefined. Without it, hooks are not run (unit tests of other steps).
   */
  preStop?(action: KillAction, timeoutMs: number): Promise<string | undefined>;
  /**
   * Runs a container's postStart hook right after it started (container `id`); resolves to why
   * it failed, or undefined. Without it, hooks are not run.
   */
  postStart?(action: StartAction, id: string, handler: LifecycleHandler, timeoutMs: number): Promise<string | undefined>;
  /** Told as each action begins (the agent names the step a stuck worker is on). */
  onStep?(uid: string, step: SyncAction['type']): void;
}

type KillAction = Extract<SyncAction, { type: 'killContainer' }>;
type StartAction = Extract<SyncAction, { type: 'startContainer' }>;

/**
 * How long a postStart hook may run. The kubelet sets no limit (a hung hook holds the pod worker
 * for good); here it is bounded so a deletion is never stuck behind it, and counts as a failure.
 */
export const POST_START_TIMEOUT_MS = 120_000;

/** What the kubelet leaves a container after its preStop hook used up the grace period. */
export const MIN_GRACE_AFTER_PRESTOP_SECONDS = 2;

/**
 * The kubelet's order: the preStop hook first, within the grace period; then SIGTERM with what
 * is left of it (at least 2 s); a failing hook is reported and does not stop the kill.
 */
async function killWithPreStop(action: KillAction, runtime: PodRuntime, hooks: ApplyHooks): Promise<void> {
  let grace = action.gracePeriodSeconds;
  if (action.preStop && hooks.preStop && grace > 0) {
    const started = hooks.now();
    const failure = await hooks.preStop(action, grace * 1000);
    if (failure) hooks.event(action.uid, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${failure}`);
    const spent = Math.floor((hooks.now() - started) / 1000);
    grace = Math.max(MIN_GRACE_AFTER_PRESTOP_SECONDS, grace - spent);
  }
  await runtime.killContainer(action.id, grace);
}

const postStartOf = (action: StartAction) => action.pod.spec.containers.find((c) => c.name === action.container)?.lifecycle?.postStart;

/**
 * The kubelet's startContainer step 4: the postStart hook runs right after the start, the
 * container not Running until it returns; a failing hook is reported (without its output, which
 * may hold secrets) and the container is killed as the kubelet kills it (preStop, grace period),
 * then restarted by its restart policy. False stops the pod's pass.
 */
async function runPostStart(action: StartAction, id: string, runtime: PodRuntime, memory: NodeMemory, hooks: ApplyHooks): Promise<boolean> {
  const spec = action.pod.spec.containers.find((c) => c.name === action.container);
  const handler = postStartOf(action);
  if (!handler || !hooks.postStart) return true;
  const uid = action.pod.metadata.uid;
  try {
    const failure = await hooks.postStart(action, id, handler, POST_START_TIMEOUT_MS).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
    if (!failure) return true;
    hooks.event(uid, 'Warning', 'FailedPostStartHook', 'PostStartHook failed');
    const grace = gracePeriodOf(action.pod);
    const preStop = spec?.lifecycle?.preStop;
    await killWithPreStop({ type: 'killContainer', uid, id, container: action.container, gracePeriodSeconds: grace, reason: 'FailedPostStartHook', ...(preStop && grace > 0 ? { preStop } : {}) }, runtime, hooks);
    return false;
  } finally {
    const mem: ContainerMemory | undefined = memory.pods[uid]?.[action.container];
    if (mem) delete mem.postStartRunning;
  }
}

function podMem(memory: NodeMemory, uid: string) {
  return (memory.pods[uid] ??= {});
}

/**
 * Performs pod actions in order, one pod's actions strictly sequential (sandbox before
 * containers, pull before start) and pods independent of each other. A failed step skips the
 * rest of that pod's actions for this pass; the next pass plans again.
 */
export async function applyPodActions(actions: SyncAction[], runtime: PodRuntime, memory: NodeMemory, hooks: ApplyHooks, pullBackoff = DEFAULT_PULL_BACKOFF): Promise<void> {
  const byPod = new Map<string, SyncAction[]>();
  for (const a of actions) {
    const uid = 'pod' in a ? a.pod.metadata.uid : a.uid;
    byPod.set(uid, [...(byPod.get(uid) ?? []), a]);
  }
  await Promise.all([...byPod.values()].map(async (list) => {
    for (const action of list) {
      if (!(await applyOne(action, runtime, memory, hooks, pullBackoff))) return;
    }
  }));
}

async function applyOne(action: SyncAction, runtime: PodRuntime, memory: NodeMemory, hooks: ApplyHooks, pullBackoff: PullBackoff): Promise<boolean> {
  const uidOf = 'pod' in action ? action.pod.metadata.uid : action.uid;
  hooks.onStep?.(uidOf, action.type);
  try {
    switch (action.type) {
      case 'createSandbox':
        try {
          await runtime.createSandbox(action.pod);
        } catch (error) {
          (memory.sandboxRetryAt ??= new Map()).set(uidOf, hooks.now() + SANDBOX_RETRY_MS);
          throw error;
        }
        memory.sandboxRetryAt?.delete(uidOf);
        return true;
      case 'pullImage': {
        const mem = podMem(memory, uidOf);
        try {
          await runtime.pullImage(action.image, action.pod);
        } catch (error) {
          const previous = mem[action.container]?.pullError;
          const backoffMs = previous ? Math.min(previous.backoffMs * 2, pullBackoff.maxMs) : pullBackoff.initialMs;
          const message = error instanceof Error ? error.message : String(error);
          // The first failure reads ErrImagePull; while waiting to retry it reads ImagePullBackOff.
          mem[action.container] = {
            ...mem[action.container],
            pullError: { reason: previous ? 'ImagePullBackOff' : 'ErrImagePull', message: `Back-off pulling image "${action.image}": ${message}`, retryAt: hooks.now() + backoffMs, backoffMs },
          };
          hooks.event(uidOf, 'Warning', 'Failed', `Failed to pull image "${action.image}": ${message}`);
          return false;
        }
        memory.images.add(action.image);
        if (mem[action.container]?.pullError) delete mem[action.container].pullError;
        hooks.event(uidOf, 'Normal', 'Pulled', `Container image "${action.image}" is present`);
        return true;
      }
      case 'startContainer': {
        const mem = podMem(memory, uidOf);
        // Marked before the start: a status pass between the start and the hook must not see it Running.
        const hooked = Boolean(hooks.postStart && postStartOf(action));
        if (hooked) mem[action.container] = { ...mem[action.container], postStartRunning: true };
        let id: string;
        try {
          id = await runtime.startContainer(action.pod, action.container, action.attempt);
        } catch (error) {
          if (hooked) delete mem[action.container].postStartRunning;
          // CreateContainerConfigError (spec, missing ConfigMap/Secret/key) or a volume that cannot be
          // set up: the container waits and is retried with back-off; one Event per distinct cause.
          const block = startBlock(error);
          if (!block) throw error;
          if (block.state.reason === 'RunContainerError' && !shouldRestart(restartPolicyOf(action.pod, action.container), START_ERROR_EXIT_CODE)) {
            // The process could not be started and the policy (Never) does not restart it: the kubelet
            // reports it terminated (128, StartError) and the pod fails (an init container's too). Not retried.
            mem[action.container] = { ...mem[action.container], startFailed: { message: block.state.message, at: hooks.now() } };
            delete mem[action.container].configError;
            hooks.event(uidOf, 'Warning', block.event.reason, block.event.message);
            return false;
          }
          const previous = mem[action.container]?.configError;
          const backoffMs = previous ? Math.min(previous.backoffMs * 2, pullBackoff.maxMs) : pullBackoff.initialMs;
          mem[action.container] = { ...mem[action.container], configError: { ...block.state, retryAt: hooks.now() + backoffMs, backoffMs } };
          if (previous?.message !== block.state.message) hooks.event(uidOf, 'Warning', block.event.reason, block.event.message);
          return false;
        }
        mem[action.container] = { ...mem[action.container], crashStreak: action.crashStreak, livenessFailed: false, failedProbe: undefined, ready: undefined };
        delete mem[action.container].configError;
        hooks.event(uidOf, 'Normal', 'Started', `Started container ${action.container}`);
        return runPostStart(action, id, runtime, memory, hooks);
      }
      case 'killContainer':
        hooks.event(uidOf, 'Normal', 'Killing', `Stopping container ${action.container}${action.reason === 'LivenessProbeFailed' ? ', failed liveness probe, will be restarted' : ''}`);
        await killWithPreStop(action, runtime, hooks);
        return true;
      case 'removeContainer':
        await runtime.removeContainer(action.id);
        return true;
      case 'removePod':
        await runtime.removePod(action.uid, action.gracePeriodSeconds);
        delete memory.pods[action.uid];
        memory.sandboxRetryAt?.delete(action.uid);
        return true;
      case 'finalizeDeletion':
        await hooks.finalizePod(action);
        memory.sandboxRetryAt?.delete(uidOf);
        return true;
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    hooks.event(uidOf, 'Warning', action.type === 'startContainer' ? 'Failed' : 'FailedSync', `${action.type} failed: ${message}`);
    return false;
  }
}

/** VM actions are independent of each other; one failing does not hold back the rest. */
export async function applyVmiActions(actions: VmiAction[], runtime: VmRuntime, hooks: ApplyHooks, startErrors: Map<string, string>): Promise<void> {
  await Promise.all(actions.map(async (action) => {
    const uid = 'vmi' in action ? action.vmi.metadata.uid : action.uid;
    try {
      switch (action.type) {
        case 'startVm':
          await runtime.startVm(action.vmi);
          startErrors.delete(uid);
          hooks.event(uid, 'Normal', 'Started', 'VirtualMachineInstance started');
          break;
        case 'stopVm':
          hooks.event(uid, 'Normal', 'ShuttingDown', `Signaled graceful shutdown (${action.reason})`);
          await runtime.stopVm(action.uid, action.gracePeriodSeconds);
          break;
        case 'removeVm':
          await runtime.removeVm(action.uid);
          break;
        case 'finalizeDeletion':
          await hooks.finalizeVmi(action);
          break;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (action.type === 'startVm') startErrors.set(uid, message);
      hooks.event(uid, 'Warning', 'SyncFailed', `${action.type} failed: ${message}`);
    }
  }));
}

export { ImagePullError };
