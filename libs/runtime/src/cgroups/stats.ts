// Container/pod resource usage from cgroup files, in the units cAdvisor reports.
import { readFile } from 'node:fs/promises';
import { CgroupLayout, controllerDir, detectCgroupLayout } from './layout';

export interface CgroupStats {
  cpuUsageSeconds: number;
  /** Usage minus inactive file cache: what the kubelet evicts and the OOM killer looks at. */
  memoryWorkingSetBytes: number;
  memoryUsageBytes: number;
  cpuThrottledPeriods: number;
  cpuThrottledSeconds: number;
}

/** `key value` lines (cpu.stat, memory.stat, memory.events) → map. */
export function parseFlatKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^-?\d+$/.test(value)) out.set(key, Number(value));
  }
  return out;
}

function single(text: string): number {
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : 0;
}

export interface V1Files {
  cpuacctUsage: string;
  cpuStat: string;
  memoryUsage: string;
  memoryStat: string;
}

export function statsFromV1(f: V1Files): CgroupStats {
  const cpu = parseFlatKeyed(f.cpuStat);
  const mem = parseFlatKeyed(f.memoryStat);
  const usage = single(f.memoryUsage);
  const inactive = mem.get('total_inactive_file') ?? mem.get('inactive_file') ?? 0;
  return {
    cpuUsageSeconds: single(f.cpuacctUsage) / 1e9,
    memoryUsageBytes: usage,
    memoryWorkingSetBytes: Math.max(0, usage - inactive),
    cpuThrottledPeriods: cpu.get('nr_throttled') ?? 0,
    cpuThrottledSeconds: (cpu.get('throttled_time') ?? 0) / 1e9,
  };
}

export interface V2Files {
  cpuStat: string;
  memoryCurrent: string;
  memoryStat: string;
}

export function statsFromV2(f: V2Files): CgroupStats {
  const cpu = parseFlatKeyed(f.cpuStat);
  const mem = parseFlatKeyed(f.memoryStat);
  const usage = single(f.memoryCurrent);
  return {
    cpuUsageSeconds: (cpu.get('usage_usec') ?? 0) / 1e6,
    memoryUsageBytes: usage,
    memoryWorkingSetBytes: Math.max(0, usage - (mem.get('inactive_file') ?? 0)),
    cpuThrottledPeriods: cpu.get('nr_throttled') ?? 0,
    cpuThrottledSeconds: (cpu.get('throttled_usec') ?? 0) / 1e6,
  };
}

// A missing file (controller not mounted, cgroup gone mid-read) reads as empty, i.e. zero.
async function text(dir: string | undefined, file: string): Promise<string> {
  if (!dir) return '';
  return readFile(`${dir}/${file}`, 'utf8').catch(() => '');
}

/**
 * Usage of the cgroup at `cgroupPath` (as given to runc, e.g. `/coxswain/<pod>/<id>`).
 * Hybrid hosts are read through their v1 controllers. Throws if the cgroup does not exist.
 */
export async function readCgroupStats(cgroupPath: string, layout?: CgroupLayout): Promise<CgroupStats> {
  const l = layout ?? (await detectCgroupLayout());
  if (l.mode === 'v2') {
    const dir = controllerDir(l, 'memory', cgroupPath)!;
    const [cpuStat, memoryCurrent, memoryStat] = await Promise.all([
      readFile(`${dir}/cpu.stat`, 'utf8'), text(dir, 'memory.current'), text(dir, 'memory.stat'),
    ]);
    return statsFromV2({ cpuStat, memoryCurrent, memoryStat });
  }
  const [cpuacctUsage, cpuStat, memoryUsage, memoryStat] = await Promise.all([
    readFile(`${controllerDir(l, 'cpuacct', cgroupPath)}/cpuacct.usage`, 'utf8'),
    text(controllerDir(l, 'cpu', cgroupPath), 'cpu.stat'),
    text(controllerDir(l, 'memory', cgroupPath), 'memory.usage_in_bytes'),
    text(controllerDir(l, 'memory', cgroupPath), 'memory.stat'),
  ]);
  return statsFromV1({ cpuacctUsage, cpuStat, memoryUsage, memoryStat });
}
