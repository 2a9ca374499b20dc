// What the node agent needs from the node's execution layer. The real adapter wraps
// libs/runtime; unit tests use an in-memory fake with the same interface.
import { ObservedPod, PodView } from './sync/model';
import { ObservedVm, VmiView } from './sync/vmi-plan';

/** Thrown by pullImage; `notFound` marks errors that retrying won't fix soon. */
export class ImagePullError extends Error {
  constructor(message: string, readonly notFound = false) {
    super(message);
    this.name = 'ImagePullError';
  }
}

/** Thrown by startContainer when the spec cannot be honoured (the kubelet's CreateContainerConfigError). */
export class ContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

export interface PodRuntime {
  /** Pods (sandboxes with their containers) this node runs, from the runtime's own records. */
  listPods(): Promise<ObservedPod[]>;
  createSandbox(pod: PodView): Promise<void>;
  /** `pod`: whose imagePullSecrets apply (absent in callers that pull for no pod). */
  pullImage(image: string, pod?: PodView): Promise<void>;
  /** Creates and starts the container; resolves to its id. */
  startContainer(pod: PodView, container: string, attempt: number): Promise<string>;
  killContainer(id: string, gracePeriodSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  /** Stops what still runs (with grace), then removes containers, sandbox and IP. */
  removePod(uid: string, gracePeriodSeconds: number): Promise<void>;
  /**
   * Event-driven relist: `listener` runs when a container exits on its own. While
   * `changesWatched()` is true every such exit is reported, so the agent need not relist each
   * second to find one; it still relists at its resync interval for what no event tells (a
   * shim killed outright, files removed by hand).
   */
  onChange(listener: () => void): void;
  /** False when an exit could go unreported (inotify's limit): then the agent relists every tick. */
  changesWatched(): boolean;
  /** What a pod's emptyDir volume takes on disk (bytes); undefined when it has none (sizeLimit eviction reads it). */
  volumeUsageBytes(uid: string, volume: string): Promise<number | undefined>;
  /** What a container instance's writable layer and log take on disk (bytes); undefined when it has none. */
  containerStorageBytes(uid: string, instance: { id: string; name: string; attempt: number }): Promise<number | undefined>;
}

export interface VmRuntime {
  listVms(): Promise<ObservedVm[]>;
  startVm(vmi: VmiView): Promise<void>;
  stopVm(uid: string, gracePeriodSeconds: number): Promise<void>;
  removeVm(uid: string): Promise<void>;
  /** `listener` runs when a booting guest's init speaks (it turns Running), so the agent need not poll for it. */
  onGuestInit?(listener: () => void): void;
}
