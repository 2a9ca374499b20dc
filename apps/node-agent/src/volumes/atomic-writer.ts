// The kubelet's AtomicWriter: a volume's files live in a timestamped directory; `..data` is a
// symlink to it and every top-level name is a symlink through `..data`. An update writes a new
// directory and renames a fresh `..data` symlink over the old one, so a reader sees either the
// old set of files or the new one, never a mix. Bind mounts of single files (subPath) keep the
// old inode and so do not update — as in Kubernetes.
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Payload } from './payload';

const DATA_LINK = '..data';
const TMP_LINK = '..data_tmp';

/** Relative, no `..` element, not starting with `..` (Kubernetes' validateLocalDescendingPath). */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/')) return false;
  const parts = path.split('/');
  return !parts.includes('..') && !path.startsWith('..');
}

const stamp = (now: Date) => `..${now.toISOString().replace(/[-:]/g, '_').replace('T', '_').replace(/\..*$/, '')}.${randomBytes(4).toString('hex')}`;

async function currentTarget(dir: string): Promise<string | undefined> {
  try {
    return await readlink(join(dir, DATA_LINK));
  } catch {
    return undefined;
  }
}

/** True when the directory already holds exactly this payload (content and mode). */
async function samePayload(dir: string, payload: Payload): Promise<boolean> {
  const files: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path);
      else files.push(path);
    }
  };
  await walk('');
  if (files.length !== payload.size) return false;
  for (const [path, file] of payload) {
    try {
      const [content, info] = await Promise.all([readFile(join(dir, path)), stat(join(dir, path))]);
      if (!content.equals(file.data) || (info.mode & 0o7777) !== file.mode) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** Writes the payload into `dir` atomically; returns false when nothing changed. */
export async function writeAtomically(dir: string, payload: Payload, now = new Date()): Promise<boolean> {
  for (const path of payload.keys()) if (!isSafeRelativePath(path)) throw new Error(`invalid path in volume: ${path}`);
  await mkdir(dir, { recursive: true });
  const old = await currentTarget(dir);
  if (old && (await samePayload(join(dir, old), payload))) return false;

  const target = stamp(now);
  const fresh = join(dir, target);
  await mkdir(fresh, { mode: 0o755 });
  for (const [path, file] of payload) {
    await mkdir(dirname(join(fresh, path)), { recursive: true });
    await writeFile(join(fresh, path), file.data);
    await chmod(join(fresh, path), file.mode);
  }
  await rm(join(dir, TMP_LINK), { force: true });
  await symlink(target, join(dir, TMP_LINK));
  await rename(join(dir, TMP_LINK), join(dir, DATA_LINK));

  // User-visible names: one symlink per top-level entry, through ..data.
  const top = new Set([...payload.keys()].map((p) => p.split('/')[0]));
  for (const name of top) {
    const link = join(dir, name);
    const existing = await lstat(link).catch(() => undefined);
    if (existing?.isSymbolicLink()) continue;
    if (existing) await rm(link, { recursive: true, force: true });
    await symlink(join(DATA_LINK, name), link);
  }
  for (const entry of await readdir(dir)) {
    if (entry.startsWith('..') || top.has(entry)) continue;
    await rm(join(dir, entry), { recursive: true, force: true });
  }
  if (old && old !== target) await rm(join(dir, old), { recursive: true, force: true });
  return true;
}
