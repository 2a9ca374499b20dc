// The node agent's view of the world, independent of libs/runtime's types so that the
// sync plan stays pure: the adapter maps runtime state into these shapes.

/** What the plan reads of any container: enough to pull its image and start it. */
export interface ContainerView {
  name: string;
  image: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
}

/** Minimal Pod shape the plan reads (a subset of the API's Pod). */
export interface PodSpecView {
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds?: number;
  /** Killed and Failed (DeadlineExceeded) once active this long since status.startTime (see active-deadline.ts). */
  activeDeadlineSeconds?: number;
  /**
   * Run one at a time, in order, each to exit 0, before any of `containers` starts (see
   * pendingInit in plan.ts). The API refuses probes and lifecycle hooks on them.
   */
  initContainers?: ContainerView[];
  /** The pod is Ready only when each of these conditions (written by others) is True. */
  readinessGates?: Array<{ conditionType: string }>;
  containers: Array<ContainerView & {
    readinessProbe?: unknown;
    /** The liveness and startup probes' own terminationGracePeriodSeconds: the grace of a kill for their failure. */
    probeGrace?: { liveness?: number; startup?: number };
    lifecycle?: { preStop?: LifecycleHandler; postStart?: LifecycleHandler };
  }>;
}

/** A container lifecycle hook (v1 LifecycleHandler): exactly one of these is set. */
export interface LifecycleHandler {
  exec?: { command: string[] };
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: 'HTTP' | 'HTTPS'; httpHeaders?: Array<{ name: string; value: string }> };
  /** Accepted by the API for compatibility only; fails at run time, as in Kubernetes. */
  tcpSocket?: unknown;
  sleep?: { seconds: number };
}

export interface PodView {
  metadata: {
    uid: string;
    namespace: string;
    name: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
  };
  spec: PodSpecView;
  status?: {
    phase?: string;
    /** When the agent first reported the pod (RFC 3339): activeDeadlineSeconds counts from it. */
    startTime?: string;
    /** Conditions in the pod's status that others own (readiness gates read them). */
    conditions?: Array<{ type: string; status: string }>;
    /** Start failures the pod's last reported status holds (terminated StartError): a restarted agent keeps them. */
    startFailures?: Record<string /* container name */, StartFailure>;
    /**
     * Init containers the pod's last status reports completed (terminated, exit 0): they are
     * never run again, and are reported as they were when their instances are gone.
     */
    completedInit?: Record<string /* container name */, CompletedInit>;
    /** The message of an eviction the pod's last status reports (reason Evicted; see eviction.ts). */
    evicted?: string;
  };
}

/** An init container's completed run as the pod's last status reported it. */
export interface CompletedInit {
  restartCount: number;
  startedAt?: string;
  finishedAt?: string;
  containerID?: string;
}

/**
 * runc could not start the container's process and the restart policy does not restart an
 * exit of 128: the kubelet reports it terminated (128, StartError) and never starts it again.
 */
export interface StartFailure {
  message: string;
  /** When the start failed (ms). */
  at: number;
}

/** The exit code the kubelet gives a container whose process could not be started. */
export const START_ERROR_EXIT_CODE = 128;

export type ContainerRunState = 'created' | 'running' | 'exited';

export interface ObservedContainer {
  id: string;
  name: string;
  /** Which start of this container this instance is (0 for the first). */
  attempt: number;
  state: ContainerRunState;
  exitCode?: number;
  oomKilled?: boolean;
  startedAt?: number;
  finishedAt?: number;
}

export interface ObservedPod {
  uid: string;
  /** Grace recorded when the pod started, used when its API object is already gone. */
  gracePeriodSeconds?: number;
  namespace: string;
  name: string;
  sandbox?: { ready: boolean; ip?: string };
  containers: ObservedContainer[];
}

/** What the agent remembers between passes (not in the runtime, not in the API). */
export interface ContainerMemory {
  /** Consecutive quick exits (ran less than resetAfterMs); drives the crash-loop delay. */
  crashStreak?: number;
  /** Readiness as last probed; undefined until probed. */
  ready?: boolean;
  /** Set by the prober when liveness failed; cleared when the container restarts. */
  livenessFailed?: boolean;
  /** Which probe's failure set livenessFailed (a startup probe's failure also kills). */
  failedProbe?: 'liveness' | 'startup';
  pullError?: { reason: 'ErrImagePull' | 'ImagePullBackOff'; message: string; retryAt: number; backoffMs: number };
  /**
   * Start blocked: the spec cannot be honoured or a ConfigMap/Secret/key is missing
   * (CreateContainerConfigError), or a volume cannot be set up (ContainerCreating). Retried
   * with back-off like pulls.
   */
  configError?: { reason: 'CreateContainerConfigError' | 'ContainerCreating' | 'RunContainerError'; message: string; retryAt: number; backoffMs: number };
  /** Its process could not be started and it is not restarted (restartPolicy Never): terminated for good. */
  startFailed?: StartFailure;
  /** Started, its postStart hook not yet returned: the container reads ContainerCreating, not Running or Ready (the kubelet's pod worker is inside startContainer until then). */
  postStartRunning?: boolean;
  /**
   * Termination messages of exited instances, by instance id, read once after each exit (see
   * termination-message.ts); '' when there is none. Kept while the instance is listed.
   */
  terminationMessages?: Record<string /* instance id */, string>;
}

export type PodMemory = Record<string /* container name */, ContainerMemory>;

export interface NodeMemory {
  pods: Record<string /* uid */, PodMemory>;
  /** Images present locally, by the reference the pod spec uses. */
  images: Set<string>;
  /**
   * Pods whose sandbox could not be made, by uid: not before this time (ms) again. The
   * kubelet requeues a pod whose sync failed after 10 s; without it, 11 pods whose sandboxes
   * always failed were tried again every pass and kept a core busy.
   */
  sandboxRetryAt?: Map<string, number>;
  /** Pods this agent evicted (emptyDir over its sizeLimit), by uid: the message, until the status says so. */
  evictions?: Map<string, string>;
}

/** How long a pod whose sandbox could not be made waits before the next try (the kubelet's pod-worker back-off period). */
export const SANDBOX_RETRY_MS = 10_000;

export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
  /** A container that ran this long without exiting resets its back-off. */
  resetAfterMs: number;
}

/** Kubelet's crash-loop defaults: 10 s doubling to 5 min, reset after 10 min of running. */
export const DEFAULT_BACKOFF: BackoffSettings = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

export type SyncAction =
  | { type: 'createSandbox'; pod: PodView }
  | { type: 'pullImage'; pod: PodView; container: string; image: string }
  /** `crashStreak` is the value to remember for this container once it has started. */
  | { type: 'startContainer'; pod: PodView; container: string; attempt: number; crashStreak: number }
  /** `preStop` runs first and its time counts against the grace period (the kubelet's killContainer). */
  | { type: 'killContainer'; uid: string; id: string; container: string; gracePeriodSeconds: number; reason: string; preStop?: LifecycleHandler }
  | { type: 'removeContainer'; uid: string; id: string }
  | { type: 'removePod'; uid: string; gracePeriodSeconds: number; reason: string }
  /** All containers of a deleting pod have stopped: remove the API object for good. */
  | { type: 'finalizeDeletion'; pod: PodView };
