// The kubelet's pod cgroup hierarchy, pure part:
//
//   <parent>/kubepods/                   node allocatable: memory limit, cpu shares, pids
//   <parent>/kubepods/pod<uid>/          Guaranteed pods
//   <parent>/kubepods/burstable/pod<uid>/
//   <parent>/kubepods/besteffort/pod<uid>/
//
// with pod-level limits from the containers' resources and oom_score_adj by QoS class.
import { CgroupLayout, controllerDir } from './layout';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

export const KUBEPODS = 'kubepods';
const QOS_DIR: Record<QosClass, string> = { Guaranteed: '', Burstable: 'burstable', BestEffort: 'besteffort' };

/** `kubepods[/burstable|/besteffort]` */
export function qosCgroup(qos: QosClass): string {
  return QOS_DIR[qos] ? `${KUBEPODS}/${QOS_DIR[qos]}` : KUBEPODS;
}

/** The pod's cgroup relative to the node's cgroup parent, e.g. `kubepods/burstable/pod<uid>`. */
export function podCgroupName(qos: QosClass, podUid: string): string {
  return `${qosCgroup(qos)}/pod${podUid}`;
}

const GUARANTEED_OOM_SCORE_ADJ = -997;
const BESTEFFORT_OOM_SCORE_ADJ = 1000;

/**
 * The kubelet's GetContainerOOMScoreAdjust: Guaranteed -997, BestEffort 1000, Burstable
 * 1000 - 1000 × memoryRequest / memoryCapacity, kept above Guaranteed pods (≥ 3) and
 * below BestEffort ones (≤ 999).
 */
export function oomScoreAdjust(qos: QosClass, memoryRequestBytes: number, memoryCapacityBytes: number): number {
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BESTEFFORT_OOM_SCORE_ADJ;
  const adjust = memoryCapacityBytes > 0 ? 1000 - Math.floor((1000 * memoryRequestBytes) / memoryCapacityBytes) : 1000;
  if (adjust < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adjust >= BESTEFFORT_OOM_SCORE_ADJ) return BESTEFFORT_OOM_SCORE_ADJ - 1;
  return adjust;
}

/** Limits for one cgroup; absent fields are left as they are (unlimited by default). */
export interface CgroupLimits {
  cpuShares?: number;
  cpuQuotaUs?: number;
  cpuPeriodUs?: number;
  memoryLimitBytes?: number;
  pidsMax?: number;
}

export interface ContainerAmounts {
  cpuRequestMillis?: number;
  cpuLimitMillis?: number;
  memoryRequestBytes?: number;
  memoryLimitBytes?: number;
}

const MIN_SHARES = 2;
const MAX_SHARES = 262_144;
const CFS_PERIOD_US = 100_000;
const MIN_QUOTA_US = 1_000;

/** Kubelet's MilliCPUToShares. */
export const sharesFor = (millis: number): number => (millis <= 0 ? MIN_SHARES : Math.min(MAX_SHARES, Math.max(MIN_SHARES, Math.floor((millis * 1024) / 1000))));

/**
 * The kubelet's ResourceConfigForPod: shares from the summed requests; a CPU quota and a
 * memory limit only when every container declares one (always for Guaranteed pods); BestEffort
 * pods get the minimum shares. Init containers run one at a time: the pod needs the larger of
 * their maximum and the regular containers' sum.
 */
export function podCgroupLimits(qos: QosClass, containers: ContainerAmounts[], initContainers: ContainerAmounts[] = [], pidsMax?: number): CgroupLimits {
  const total = (list: ContainerAmounts[], key: keyof ContainerAmounts) => list.reduce((sum, c) => sum + (c[key] ?? 0), 0);
  const peak = (key: keyof ContainerAmounts) => Math.max(total(containers, key), ...initContainers.map((c) => c[key] ?? 0));
  const all = [...containers, ...initContainers];
  const cpuLimited = all.length > 0 && all.every((c) => (c.cpuLimitMillis ?? 0) > 0);
  const memoryLimited = all.length > 0 && all.every((c) => (c.memoryLimitBytes ?? 0) > 0);
  const out: CgroupLimits = pidsMax && pidsMax > 0 ? { pidsMax } : {};
  if (qos === 'BestEffort') return { ...out, cpuShares: MIN_SHARES };
  out.cpuShares = sharesFor(peak('cpuRequestMillis'));
  if (cpuLimited) {
    out.cpuQuotaUs = Math.max(MIN_QUOTA_US, Math.floor((peak('cpuLimitMillis') * CFS_PERIOD_US) / 1000));
    out.cpuPeriodUs = CFS_PERIOD_US;
  }
  if (memoryLimited) out.memoryLimitBytes = peak('memoryLimitBytes');
  return out;
}

/** `kubepods` holds node allocatable, so pods together cannot take the system's reserve. */
export function kubepodsLimits(allocatable: { cpuMillis: number; memoryBytes: number }, pidsMax?: number): CgroupLimits {
  return { cpuShares: sharesFor(allocatable.cpuMillis), memoryLimitBytes: allocatable.memoryBytes, ...(pidsMax && pidsMax > 0 ? { pidsMax } : {}) };
}

/** The QoS parents' shares: BestEffort the minimum, Burstable the sum of its pods' requests. */
export function qosParentLimits(burstableCpuRequestMillis: number): Record<'burstable' | 'besteffort', CgroupLimits> {
  return { burstable: { cpuShares: sharesFor(burstableCpuRequestMillis) }, besteffort: { cpuShares: MIN_SHARES } };
}

/** cgroup v2 cpu.weight for v1 shares (the conversion runc and systemd use). */
export const weightForShares = (shares: number): number => Math.floor(1 + ((shares - 2) * 9999) / 262_142);

/**
 * The directories and files that give `path` these limits: v1 writes per controller, v2 writes
 * the unified files (and lists which ancestors must delegate controllers).
 */
export function cgroupLimitPlan(layout: CgroupLayout, path: string, limits: CgroupLimits): { dirs: string[]; writes: Array<[string, string]>; delegate: string[] } {
  const dir = (controller: string) => controllerDir(layout, controller, path);
  const writes: Array<[string, string]> = [];
  const push = (controller: string, file: string, value: number | string | undefined) => {
    const d = dir(controller);
    if (d && value !== undefined) writes.push([`${d}/${file}`, String(value)]);
  };
  if (layout.mode === 'v2') {
    push('cpu', 'cpu.weight', limits.cpuShares !== undefined ? weightForShares(limits.cpuShares) : undefined);
    if (limits.cpuQuotaUs !== undefined) push('cpu', 'cpu.max', `${limits.cpuQuotaUs} ${limits.cpuPeriodUs ?? CFS_PERIOD_US}`);
    push('memory', 'memory.max', limits.memoryLimitBytes);
    push('pids', 'pids.max', limits.pidsMax);
  } else {
    push('cpu', 'cpu.shares', limits.cpuShares);
    if (limits.cpuQuotaUs !== undefined) {
      push('cpu', 'cpu.cfs_period_us', limits.cpuPeriodUs ?? CFS_PERIOD_US);
      push('cpu', 'cpu.cfs_quota_us', limits.cpuQuotaUs);
    }
    push('memory', 'memory.limit_in_bytes', limits.memoryLimitBytes);
    push('pids', 'pids.max', limits.pidsMax);
  }
  const controllers = layout.mode === 'v2' ? ['memory'] : ['cpu', 'cpuacct', 'memory', 'pids'];
  const dirs = [...new Set(controllers.map(dir).filter((d): d is string => !!d))];
  // v2: each ancestor lists the controllers in cgroup.subtree_control for its children to use.
  const parts = path.split('/').filter(Boolean);
  const delegate = layout.mode === 'v2' ? parts.map((_p, i) => controllerDir(layout, 'memory', `/${parts.slice(0, i).join('/')}`)!.replace(/\/$/, '')) : [];
  return { dirs, writes, delegate };
}
