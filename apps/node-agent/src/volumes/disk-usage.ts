// What a directory takes on disk, as `du -s` counts it (allocated blocks, not file sizes, so a
// sparse file counts what it uses; hard links once). Symlinks are not followed, other
// filesystems mounted below are not entered. Undefined when the directory does not exist.
import { Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

export async function diskUsageBytes(dir: string): Promise<number | undefined> {
  const root = await lstat(dir).catch(() => undefined);
  if (!root) return undefined;
  const seen = new Set<number>();
  let total = 0;
  const walk = async (path: string, stat: Stats): Promise<void> => {
    if (stat.nlink > 1 && !stat.isDirectory()) {
      if (seen.has(stat.ino)) return;
      seen.add(stat.ino);
    }
    total += stat.blocks * 512;
    if (!stat.isDirectory()) return;
    const names = await readdir(path).catch(() => [] as string[]);
    for (const name of names) {
      const child = join(path, name);
      const s = await lstat(child).catch(() => undefined); // removed meanwhile
      if (s && s.dev === root.dev) await walk(child, s);
    }
  };
  await walk(dir, root);
  return total;
}
