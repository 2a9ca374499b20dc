import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { allCgroupDirs, CgroupLayout, detectCgroupLayout } from './layout';

// cgroup directories hold only virtual files; rmdir works once no tasks and no child groups
// remain, and fails with EBUSY otherwise. The rmdir comes first: a leaf (the usual case) goes
// without a readdir, which lists dozens of control files per hierarchy (a node removing 110
// pods spent a tenth of its agent's CPU listing them).
async function rmdirTree(dir: string): Promise<void> {
  try {
    await rmdir(dir);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code !== 'EBUSY' && code !== 'ENOTEMPTY') throw err;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const children = entries.filter((e) => e.isDirectory());
    // No child group: processes still live in it.
    if (children.length === 0) throw err;
    for (const child of children) await rmdirTree(join(dir, child.name));
  }
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
