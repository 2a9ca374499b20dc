/** Thin edges for VM safety: disk inspection, QEMU's sandbox support, its user, console rotation. */
import { open, rename, stat, truncate, writeFile } from 'node:fs/promises';
import { runCommand } from '../proc/run-command';
import { QemuImgInfo } from './disk-check';

const exec = async (file: string, args: string[]) => ({ stdout: await runCommand(file, args, { timeoutMs: 60_000 }) });

/**
 * `qemu-img info` of a disk image. qemu-img opens only the image itself here (no backing
 * chain, no I/O), so a hostile image's references are read, never followed.
 */
export async function qemuImgInfo(path: string): Promise<QemuImgInfo> {
  const { stdout } = await exec('qemu-img', ['info', '--output=json', path]);
  return JSON.parse(stdout) as QemuImgInfo;
}

/** True when this QEMU accepts `-sandbox <option>` (built with seccomp). */
export async function qemuSupportsSandbox(qemu: string, option: string): Promise<boolean> {
  return exec(qemu, ['-sandbox', option, '-version']).then(
    () => true,
    () => false,
  );
}

/** Makes sure a system user exists (no home, no login shell); false when it cannot be created. */
export async function ensureSystemUser(name: string): Promise<boolean> {
  const exists = () => exec('getent', ['passwd', name]).then(() => true, () => false);
  if (await exists()) return true;
  await exec('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', '--user-group', name]).catch(() => undefined);
  return exists();
}

/**
 * Keeps a console log bounded: once it is over `maxBytes`, its last `maxBytes` become the
 * previous file and it is truncated. QEMU appends (logappend=on opens O_APPEND), so it goes on
 * writing at the new end. `onRotate` sees the head first (markers there must not be lost).
 * Output written between the copy and the truncate is lost; that window is one copy long.
 */
export async function rotateConsoleLog(log: string, previous: string, maxBytes: number, onHead?: (head: string) => Promise<void>): Promise<boolean> {
  const size = await stat(log).then((s) => s.size, () => 0);
  if (size <= maxBytes) return false;
  const file = await open(log, 'r');
  try {
    if (onHead) {
      const head = Buffer.alloc(Math.min(size, 256 * 1024));
      await file.read(head, 0, head.length, 0);
      await onHead(head.toString());
    }
    const last = Buffer.alloc(maxBytes);
    const { bytesRead } = await file.read(last, 0, maxBytes, size - maxBytes);
    await writeFile(`${previous}.tmp`, last.subarray(0, bytesRead));
    await rename(`${previous}.tmp`, previous);
  } finally {
    await file.close();
  }
  await truncate(log, 0);
  return true;
}
