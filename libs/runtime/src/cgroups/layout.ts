// Where the cgroup hierarchies are mounted, read from /proc/self/mountinfo. v1 controllers
// may be co-mounted (cpu,cpuacct) or separate; hybrid hosts add an (often empty) cgroup2
// mount such as /sys/fs/cgroup/unified next to the v1 ones.
import { readFile } from 'node:fs/promises';

export type CgroupMode = 'v1' | 'v2' | 'hybrid';

export interface CgroupLayout {
  mode: CgroupMode;
  /** v1 controller (and `name=` hierarchy) → mount point. */
  v1: Record<string, string>;
  /** The cgroup2 mount point, if any. */
  unified?: string;
}

const V1_CONTROLLERS = new Set([
  'cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'freezer', 'blkio', 'pids', 'hugetlb',
  'net_cls', 'net_prio', 'perf_event', 'rdma', 'misc',
]);

/** Pure: mountinfo text → layout. */
export function parseCgroupLayout(mountinfo: string): CgroupLayout {
  const v1: Record<string, string> = {};
  let unified: string | undefined;
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const mountPoint = line.slice(0, sep).split(' ')[4]?.replace(/\\040/g, ' ');
    const [fsType, , superOptions = ''] = line.slice(sep + 3).split(' ');
    if (!mountPoint) continue;
    if (fsType === 'cgroup2') {
      // Prefer the canonical location when several cgroup2 mounts exist.
      if (!unified || mountPoint === '/sys/fs/cgroup') unified = mountPoint;
    } else if (fsType === 'cgroup') {
      for (const opt of superOptions.split(',')) {
        if (V1_CONTROLLERS.has(opt) || opt.startsWith('name=')) v1[opt] ??= mountPoint;
      }
    }
  }
  const hasV1 = Object.keys(v1).some((k) => !k.startsWith('name='));
  const mode: CgroupMode = hasV1 ? (unified ? 'hybrid' : 'v1') : 'v2';
  return { mode, v1, ...(unified ? { unified } : {}) };
}

let cached: Promise<CgroupLayout> | undefined;

/** The host's layout, read once per process. */
export function detectCgroupLayout(mountinfoPath = '/proc/self/mountinfo'): Promise<CgroupLayout> {
  if (mountinfoPath !== '/proc/self/mountinfo') return readFile(mountinfoPath, 'utf8').then(parseCgroupLayout);
  cached ??= readFile(mountinfoPath, 'utf8').then(parseCgroupLayout);
  return cached;
}

/**
 * Directory of `cgroupPath` for `controller`: the v1 mount of that controller, or the cgroup2
 * mount on a pure v2 host. Undefined when the controller is not available.
 */
export function controllerDir(layout: CgroupLayout, controller: string, cgroupPath: string): string | undefined {
  const rel = cgroupPath.startsWith('/') ? cgroupPath : `/${cgroupPath}`;
  if (layout.mode === 'v2') return layout.unified ? `${layout.unified.replace(/\/$/, '')}${rel}` : undefined;
  const mount = layout.v1[controller];
  return mount ? `${mount}${rel}` : undefined;
}

/** The file whose `oom_kill` counter says whether the OOM killer hit this cgroup. */
export function oomCounterFile(layout: CgroupLayout, cgroupPath: string): string | undefined {
  const dir = controllerDir(layout, 'memory', cgroupPath);
  if (!dir) return undefined;
  return layout.mode === 'v2' ? `${dir}/memory.events` : `${dir}/memory.oom_control`;
}

/** Every directory that holds `cgroupPath` (one per distinct v1 mount, or the v2 one). */
export function allCgroupDirs(layout: CgroupLayout, cgroupPath: string): string[] {
  const rel = cgroupPath.startsWith('/') ? cgroupPath : `/${cgroupPath}`;
  const mounts = layout.mode === 'v2' ? [layout.unified!] : [...new Set(Object.values(layout.v1))];
  if (layout.mode === 'hybrid' && layout.unified) mounts.push(layout.unified);
  return mounts.filter(Boolean).map((m) => `${m.replace(/\/$/, '')}${rel}`);
}
