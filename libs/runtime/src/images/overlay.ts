import { readFile } from 'node:fs/promises';
import { runCommand } from '../proc/run-command';

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

/** Mount points from /proc/self/mountinfo (field 5, octal escapes decoded). */
export function parseMountPoints(mountinfo: string): string[] {
  return mountinfo
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ')[4].replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))));
}

const noop = () => undefined;

/**
 * The host's mount points, from /proc/self/mountinfo, read once at a time for every caller. A
 * caller gets a read that began after its call (a mount it has just made is in it); callers that
 * come while a read runs share the next one. Why: the file has a line for every pod's rootfs and
 * namespaces, and a node removing 500 pods released 500 rootfs at once, each reading it whole
 * (hundreds of KB, in 64 KB chunks, then split) — N reads of an N-sized file took the agent past
 * its 128 MB heap. Now at most two reads are held at once, whatever the number of callers.
 */
export class MountTable {
  private current?: Promise<Set<string>>;
  /** The read callers wait for while `current` runs; it starts when `current` ends. */
  private queued?: Promise<Set<string>>;

  constructor(private readonly read: () => Promise<string> = () => readFile('/proc/self/mountinfo', 'utf8')) {}

  /** Mount points as of a read that began after this call. */
  points(): Promise<Set<string>> {
    if (this.queued) return this.queued;
    if (!this.current) return this.start();
    const queued = this.current.then(noop, noop).then(() => {
      this.queued = undefined;
      return this.start();
    });
    this.queued = queued;
    return queued;
  }

  private start(): Promise<Set<string>> {
    const read = this.read().then((text) => new Set(parseMountPoints(text)));
    this.current = read;
    read.then(noop, noop).then(() => {
      if (this.current === read) this.current = undefined;
    });
    return read;
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
