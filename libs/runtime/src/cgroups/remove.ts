import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { allCgroupDirs, CgroupLayout, detectCgroupLayout } from './layout';

// cgroup directories hold only virtual files; rmdir works once no tasks and no child groups remain.
async function rmdirTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
  if (!entries) return;
  for (const e of entries) if (e.isDirectory()) await rmdirTree(join(dir, e.name));
  await rmdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}

/** Removes the cgroup (and child groups) in every hierarchy; EBUSY if processes still live in it. */
export async function removeCgroup(cgroupPath: string, layout?: CgroupLayout): Promise<void> {
  if (!cgroupPath.split('/').some((s) => s && s !== '.' && s !== '..')) throw new Error(`refusing to remove cgroup ${cgroupPath}`);
  const l = layout ?? (await detectCgroupLayout());
  for (const dir of allCgroupDirs(l, cgroupPath)) await rmdirTree(dir);
}
