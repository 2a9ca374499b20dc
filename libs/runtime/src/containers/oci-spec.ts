// Turns a ContainerSpec into the config.json runc 1.1 reads. Pure: the driver writes the
// result into the bundle. Defaults follow runc's `runc spec` and Docker/containerd.
import { HostDevice, ociSecurity } from './security/oci-security';
import { BindMount, ContainerResources, ContainerSpec, NamespaceJoin } from './types';

/** Docker's default capability set. */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

export const MASKED_PATHS = [
  '/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
  '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi',
  '/sys/firmware', '/sys/devices/virtual/powercap',
];

export const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export const DEFAULT_ENV_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';


export const CFS_PERIOD_US = 100_000;
const MIN_SHARES = 2;
const MAX_SHARES = 262_144;
const MIN_QUOTA_US = 1_000;

/** Kubelet's MilliCPUToShares: the request (or the limit when no request) × 1024 / 1000, at least 2. */
export function cpuShares(requestMillis?: number, limitMillis?: number): number {
  const millis = requestMillis ?? limitMillis ?? 0;
  if (millis <= 0) return MIN_SHARES;
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, Math.floor((millis * 1024) / 1000)));
}

/** CFS quota in µs per 100 ms period for a CPU limit; undefined means unlimited. */
export function cpuQuota(limitMillis?: number): number | undefined {
  if (limitMillis === undefined || limitMillis <= 0) return undefined;
  return Math.max(MIN_QUOTA_US, Math.floor((limitMillis * CFS_PERIOD_US) / 1000));
}

/** `<parent>/<podUid>/<id>`: one cgroup per pod so pod-level stats and cleanup are one directory. */
export function cgroupsPathFor(parent: string, id: string, podUid?: string): string {
  const base = `/${parent.replace(/^\/+|\/+$/g, '')}`;
  return podUid ? `${base}/${podUid}/${id}` : `${base}/${id}`;
}

export interface OciResources {
  devices: Array<{ allow: boolean; type?: string; major?: number; minor?: number; access: string }>;
  cpu: { shares: number; quota?: number; period?: number };
  memory?: { limit: number };
  pids?: { limit: number };
}

// Standard character devices a container may use (runc creates the nodes itself).
const ALLOWED_DEVICES: Array<[number, number, string]> = [
  [1, 3, 'rwm'], [1, 5, 'rwm'], [1, 7, 'rwm'], [1, 8, 'rwm'], [1, 9, 'rwm'], // null zero full random urandom
  [5, 0, 'rwm'], [5, 1, 'rwm'], [5, 2, 'rwm'], // tty console ptmx
  [136, -1, 'rwm'], // /dev/pts/*
];

export function ociResources(r: ContainerResources = {}): OciResources {
  const quota = cpuQuota(r.cpuLimitMillis);
  const out: OciResources = {
    devices: [
      { allow: false, access: 'rwm' },
      ...ALLOWED_DEVICES.map(([major, minor, access]) => ({
        allow: true, type: 'c', major, ...(minor >= 0 ? { minor } : {}), access,
      })),
    ],
    cpu: { shares: cpuShares(r.cpuRequestMillis, r.cpuLimitMillis), ...(quota ? { quota, period: CFS_PERIOD_US } : {}) },
  };
  if (r.memoryLimitBytes && r.memoryLimitBytes > 0) out.memory = { limit: r.memoryLimitBytes };
  if (r.pidsLimit && r.pidsLimit > 0) out.pids = { limit: r.pidsLimit };
  return out;
}

/** Privileged containers get /sys and /sys/fs/cgroup read-write, as with containerd. */
function baseMounts(privileged = false): object[] {
  const sysMode = privileged ? 'rw' : 'ro';
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', sysMode] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', sysMode] },
  ];
}

function bindMount(m: BindMount): object {
  return { destination: m.destination, type: 'bind', source: m.source, options: ['rbind', m.propagation ?? 'rprivate', m.readonly ? 'ro' : 'rw'] };
}

/**
 * The container's root propagation (containerd's rule): `rshared` when a mount is Bidirectional
 * (its mounts must reach the host through the root), `rslave` when one is HostToContainer (what
 * runc does by default anyway), else runc's default.
 */
export function rootfsPropagation(mounts: BindMount[]): 'rshared' | 'rslave' | undefined {
  if (mounts.some((m) => m.propagation === 'rshared')) return 'rshared';
  if (mounts.some((m) => m.propagation === 'rslave')) return 'rslave';
  return undefined;
}

function namespaces(spec: ContainerSpec): Array<{ type: string; path?: string }> {
  const join = spec.namespaces ?? {};
  const entry = (type: string, j: NamespaceJoin | 'host' | undefined) => (j === 'host' ? [] : [j ? { type, path: j.path } : { type }]);
  const ns: Array<{ type: string; path?: string }> = [
    { type: 'pid' },
    { type: 'mount' },
    ...entry('network', join.network),
    ...entry('ipc', join.ipc),
    ...entry('uts', join.uts),
  ];
  if (spec.userNamespace) ns.push({ type: 'user' });
  return ns;
}

function withPath(env: string[]): string[] {
  return env.some((e) => e.startsWith('PATH=')) ? env : [DEFAULT_ENV_PATH, ...env];
}

export interface OciConfigOptions {
  cgroupsPath: string;
  /** Host device nodes for a privileged container (read by the driver). */
  hostDevices?: HostDevice[];
  /** The runtime's own bounding set (from /proc/self/status); default: every capability. */
  hostCapabilities?: string[];
  /** Mounts the driver adds (e.g. /etc/hostname), placed after the spec's own. */
  extraMounts?: BindMount[];
  annotations?: Record<string, string>;
}

/** The OCI runtime config (config.json) for runc 1.1. */
export function buildOciConfig(spec: ContainerSpec, opts: OciConfigOptions): Record<string, unknown> {
  if (spec.args.length === 0) throw new Error(`container ${spec.id}: args must not be empty`);
  const security = ociSecurity(spec.security, opts.hostDevices, opts.hostCapabilities);
  const resources = ociResources(spec.resources);
  if (security.allDevices) resources.devices = [{ allow: true, access: 'rwm' }];
  // Joining a sandbox's (or the host's) UTS namespace means it owns the hostname; runc refuses to set it.
  const hostname = spec.namespaces?.uts ? undefined : (spec.hostname ?? spec.id.slice(0, 63));
  const propagation = rootfsPropagation(spec.mounts ?? []);
  const linux: Record<string, unknown> = {
    cgroupsPath: opts.cgroupsPath,
    ...(propagation ? { rootfsPropagation: propagation } : {}),
    resources,
    namespaces: namespaces(spec),
    maskedPaths: security.maskedPaths,
    readonlyPaths: security.readonlyPaths,
    ...(security.seccomp ? { seccomp: security.seccomp } : {}),
    ...(security.sysctl ? { sysctl: security.sysctl } : {}),
    ...(security.devices ? { devices: security.devices } : {}),
  };
  if (spec.userNamespace) {
    linux.uidMappings = spec.userNamespace.uidMappings;
    linux.gidMappings = spec.userNamespace.gidMappings;
  }
  return {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: false,
      user: spec.user ?? { uid: 0, gid: 0 },
      args: spec.args,
      env: withPath(spec.env ?? []),
      cwd: spec.cwd ?? '/',
      capabilities: security.capabilities,
      // No default rlimits: the container inherits the agent's, as with containerd (raising a hard
      // limit above the agent's needs CAP_SYS_RESOURCE, which sandboxed hosts may lack).
      ...(spec.rlimits?.length ? { rlimits: spec.rlimits } : {}),
      noNewPrivileges: security.noNewPrivileges,
      ...(spec.oomScoreAdj !== undefined ? { oomScoreAdj: spec.oomScoreAdj } : {}),
    },
    root: { path: spec.rootfs, readonly: spec.readonlyRootfs ?? false },
    ...(hostname ? { hostname } : {}),
    mounts: [...baseMounts(security.allDevices), ...(spec.mounts ?? []).map(bindMount), ...(opts.extraMounts ?? []).map(bindMount)],
    ...(opts.annotations && Object.keys(opts.annotations).length ? { annotations: opts.annotations } : {}),
    linux,
  };
}
