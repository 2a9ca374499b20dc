import { readFile } from 'node:fs/promises';
import { runCommand } from '../proc/run-command';
import { SharedRead } from '../proc/shared-read';

const run = (file: string, args: string[], options: { cwd?: string } = {}) => runCommand(file, args, { ...options, timeoutMs: 60_000 });

/**
 * overlayfs mount options. `lowers` are top-most first (overlay's order; a manifest lists
 * layers bottom first). Paths may be relative to the mounting process's cwd.
 */
export function overlayOptions(lowers: string[], upper: string, work: string): string {
  if (lowers.length === 0) throw new Error('overlay needs at least one lower layer');
  for (const p of [...lowers, upper, work]) {
    if (/[,:\\]/.test(p)) throw new Error(`overlay path "${p}" contains a character mount options cannot carry`);
  }
  return `lowerdir=${lowers.join(':')},upperdir=${upper},workdir=${work}`;
}

/** The host's mount table, whole. */
export const readHostMountInfo = () => readFile('/proc/self/mountinfo', 'utf8');

/** A mountinfo path field with its octal escapes (`\040` for a space) decoded. */
export const unescapeMountPath = (field: string) => field.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Mount points from /proc/self/mountinfo (field 5, octal escapes decoded). */
export function parseMountPoints(mountinfo: string): string[] {
  return mountinfo
    .split('\n')
    .filter(Boolean)
    .map((line) => unescapeMountPath(line.split(' ')[4]));
}

/**
 * The host's mount points, from /proc/self/mountinfo, read once at a time for every caller (see
 * SharedRead; a mount a caller has just made is in what it gets). Why: the file has a line for
 * every pod's rootfs and namespaces, and a node removing 500 pods released 500 rootfs at once,
 * each reading it whole (hundreds of KB, in 64 KB chunks, then split) — N reads of an N-sized
 * file took the agent past its 128 MB heap.
 */
export class MountTable {
  private readonly shared: SharedRead<Set<string>>;

  constructor(read: () => Promise<string> = readHostMountInfo) {
    this.shared = new SharedRead(async () => new Set(parseMountPoints(await read())));
  }

  /** Mount points as of a read that began after this call. */
  points(): Promise<Set<string>> {
    return this.shared.get();
  }
}

const hostMounts = new MountTable();

export async function isMountPoint(path: string, mounts: MountTable = hostMounts): Promise<boolean> {
  return (await mounts.points()).has(path);
}

/** mount -t overlay, run from `cwd` so relative lower dirs keep the option string short. */
export async function mountOverlay(target: string, options: string, cwd: string): Promise<void> {
  await run('mount', ['-t', 'overlay', 'overlay', '-o', options, target], { cwd });
}

/** Unmounts; falls back to a lazy unmount when something still holds the mount busy. */
export async function unmount(target: string): Promise<void> {
  try {
    await run('umount', [target]);
  } catch (error) {
    if (!(await isMountPoint(target))) return;
    if (!/busy/i.test(String((error as { stderr?: string }).stderr ?? error))) throw error;
    await run('umount', ['-l', target]);
  }
}
