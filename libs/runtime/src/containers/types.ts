// Shapes the container driver accepts and reports. Kept free of runc/OCI details so the
// node agent's adapter maps pods onto them without knowing how containers are made.
import type { SeccompProfile } from './security/seccomp';

/** A namespace the container joins instead of creating its own. */
export interface NamespaceJoin {
  /** `/proc/<pid>/ns/<type>` of a sandbox process, or a bind-mounted one like `/var/run/netns/<name>`. */
  path: string;
}

export interface IdMapping {
  containerID: number;
  hostID: number;
  size: number;
}

export interface Rlimit {
  /** e.g. `RLIMIT_NOFILE`. */
  type: string;
  soft: number;
  hard: number;
}

/** Kubernetes-style resources, already converted from quantities. */
export interface ContainerResources {
  cpuRequestMillis?: number;
  cpuLimitMillis?: number;
  memoryLimitBytes?: number;
  pidsLimit?: number;
}

/**
 * How mounts under a bind mount's source reach the container: `rprivate` (default, Kubernetes'
 * None), `rslave` (HostToContainer: host → container) or `rshared` (Bidirectional: both ways).
 * The source must be on a shared mount for the last two (see mount-propagation.ts).
 */
export type MountPropagation = 'rprivate' | 'rslave' | 'rshared';

export interface BindMount {
  source: string;
  destination: string;
  readonly?: boolean;
  propagation?: MountPropagation;
}

/** How the container is confined (see security/); the agent derives it from securityContext. */
export interface ContainerSecurity {
  /** Bounding = effective = permitted set; default: containerd's default set. */
  capabilities?: string[];
  /** All capabilities and devices, no seccomp, no masked paths, writable /sys. */
  privileged?: boolean;
  /** Default true for direct driver users; the agent passes Kubernetes' rule. */
  noNewPrivileges?: boolean;
  /** `unconfined`, an OCI seccomp profile, or (undefined) the RuntimeDefault profile. */
  seccomp?: 'unconfined' | SeccompProfile;
  /** Namespaced sysctls set in the container's namespaces. */
  sysctls?: Record<string, string>;
}

export interface ContainerSpec {
  /** Unique on this node; safe for file names (`[a-zA-Z0-9][a-zA-Z0-9_.-]*`). */
  id: string;
  /** Absolute path of the unpacked root filesystem (from the image store). */
  rootfs: string;
  args: string[];
  env?: string[];
  cwd?: string;
  hostname?: string;
  user?: { uid: number; gid: number; additionalGids?: number[] };
  readonlyRootfs?: boolean;
  resources?: ContainerResources;
  rlimits?: Rlimit[];
  /**
   * Join these namespaces; any not given is created fresh. `'host'`: the runtime's own (no
   * namespace of that type: a hostNetwork pod's network and UTS namespaces).
   */
  namespaces?: { network?: NamespaceJoin | 'host'; ipc?: NamespaceJoin; uts?: NamespaceJoin | 'host' };
  /** Run in a new user namespace with these mappings (optional, needs an idmapped-friendly rootfs). */
  userNamespace?: { uidMappings: IdMapping[]; gidMappings: IdMapping[] };
  mounts?: BindMount[];
  /** Pod this container belongs to; groups the cgroups as `<cgroupParent>/<podUid>/<id>`. */
  podUid?: string;
  /** Persisted and reported back by state()/list(): pod uid, namespace, name, container, attempt. */
  labels?: Record<string, string>;
  oomScoreAdj?: number;
  security?: ContainerSecurity;
  /** The pod's cgroup below the driver's parent (e.g. `kubepods/burstable/pod<uid>`); default `<podUid>`. */
  podCgroup?: string;
}

export type ContainerStatus = 'created' | 'running' | 'exited' | 'unknown';

export interface ContainerState {
  id: string;
  status: ContainerStatus;
  /** Host pid of the container's init while it exists. */
  pid?: number;
  exitCode?: number;
  /** Signal that ended the init process, if it was one. */
  signal?: number;
  oomKilled?: boolean;
  /** Epoch milliseconds. */
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  labels: Record<string, string>;
}

/** Written by the shim when the container's init has exited (`exit.json`). */
export interface ExitRecord {
  exitCode: number;
  signal?: number;
  /** RFC 3339 with nanoseconds, UTC. */
  finishedAt: string;
  oomKilled?: boolean;
}

/** Label keys the node agent stores on containers (the CRI's names) to map them back to pods. */
export const CONTAINER_LABELS = {
  podUid: 'io.kubernetes.pod.uid',
  podNamespace: 'io.kubernetes.pod.namespace',
  podName: 'io.kubernetes.pod.name',
  containerName: 'io.kubernetes.container.name',
  attempt: 'io.kubernetes.container.attempt',
} as const;
