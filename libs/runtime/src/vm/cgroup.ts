/** The QEMU process's own cgroup: created before launch so the guest is limited from its first page. */
import { mkdir, writeFile } from 'node:fs/promises';
import { CgroupLayout, controllerDir, readCgroupStats, removeCgroup } from '../cgroups';
import { VmStats } from './types';

const CONTROLLERS = ['cpu', 'cpuacct', 'memory', 'pids'];

export const vmCgroupPath = (parent: string, uid: string): string => `/${parent.replace(/^\/+|\/+$/g, '')}/${uid}`;

/** Pure: the distinct directories of `path` (v1: one per mount; v2: one) and the limit files to write. */
export function vmCgroupPlan(layout: CgroupLayout, path: string, memoryLimit: number, cpus: number) {
  const dirs = [...new Set(CONTROLLERS.map((c) => controllerDir(layout, c, path)).filter((d): d is string => !!d))];
  const memory = controllerDir(layout, 'memory', path);
  const cpu = controllerDir(layout, 'cpu', path);
  const writes: Array<[string, string]> = [];
  if (layout.mode === 'v2') {
    if (memory) writes.push([`${memory}/memory.max`, String(memoryLimit)], [`${memory}/memory.swap.max`, '0']);
    if (cpu) writes.push([`${cpu}/cpu.weight`, String(Math.min(10000, 100 * cpus))]);
  } else {
    if (memory) writes.push([`${memory}/memory.limit_in_bytes`, String(memoryLimit)]);
    if (cpu) writes.push([`${cpu}/cpu.shares`, String(1024 * cpus)]);
  }
  return { dirs, procsFiles: dirs.map((d) => `${d}/cgroup.procs`), writes };
}

/** Creates the cgroup and sets its limits; returns the cgroup.procs files QEMU's wrapper joins. */
export async function createVmCgroup(layout: CgroupLayout, path: string, memoryLimit: number, cpus: number): Promise<string[]> {
  const plan = vmCgroupPlan(layout, path, memoryLimit, cpus);
  if (layout.mode === 'v2') await enableV2Controllers(layout, path);
  for (const dir of plan.dirs) await mkdir(dir, { recursive: true });
  for (const [file, value] of plan.writes) await writeFile(file, value);
  return plan.procsFiles;
}

// v2 only hands controllers to children whose parent lists them in cgroup.subtree_control.
async function enableV2Controllers(layout: CgroupLayout, path: string): Promise<void> {
  const parts = path.split('/').filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const dir = controllerDir(layout, 'memory', `/${parts.slice(0, i).join('/')}`)!.replace(/\/$/, '');
    await mkdir(dir, { recursive: true });
    await writeFile(`${dir}/cgroup.subtree_control`, '+cpu +memory +pids').catch(() => undefined);
  }
}

export async function removeVmCgroup(layout: CgroupLayout, path: string): Promise<void> {
  await removeCgroup(path, layout);
}

export async function readVmCgroupStats(layout: CgroupLayout, path: string): Promise<VmStats> {
  const s = await readCgroupStats(path, layout);
  return { cpuUsageSeconds: s.cpuUsageSeconds, memoryUsageBytes: s.memoryUsageBytes, memoryWorkingSetBytes: s.memoryWorkingSetBytes };
}
