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

export async function isMountPoint(path: string): Promise<boolean> {
  return parseMountPoints(await readFile('/proc/self/mountinfo', 'utf8')).includes(path);
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
