// A VMI `persistentVolumeClaim` volume as a disk, KubeVirt's convention: a raw `disk.img` at
// the root of the claim's filesystem, created (sparse) on first use and written in place by
// the VM, so its data survives stop/start. Sized like KubeVirt's: the filesystem's free space
// less an overhead reserve, whole MiB.
import { execFile } from 'node:child_process';
import { stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { VmDisk } from '@coxswain/runtime';

const run = promisify(execFile);
const MI = 1024 * 1024;
export const CLAIM_DISK_FILE = 'disk.img';
/** KubeVirt's default filesystem overhead for disk.img on a Filesystem PVC (5.5%). */
export const FILESYSTEM_OVERHEAD = 0.055;

/** disk.img's size for a claim with `capacityBytes` of which `freeBytes` are free. */
export function claimDiskBytes(capacityBytes: number, freeBytes: number): number {
  const wanted = Math.floor((capacityBytes * (1 - FILESYSTEM_OVERHEAD)) / MI) * MI;
  return Math.max(0, Math.min(wanted, Math.floor(freeBytes / MI) * MI));
}

/** The claim's disk at `mountPath` (created if missing), for the QEMU driver. */
export async function claimDisk(mountPath: string, capacityBytes: number): Promise<VmDisk> {
  const path = join(mountPath, CLAIM_DISK_FILE);
  const existing = await stat(path).catch(() => undefined);
  if (!existing) {
    const fs = await statfs(mountPath);
    const bytes = claimDiskBytes(capacityBytes, fs.bavail * fs.bsize);
    if (bytes < MI) throw new Error(`claim too small for a disk image (${bytes} bytes free after overhead)`);
    await run('qemu-img', ['create', '-q', '-f', 'raw', `${path}.partial`, String(bytes)]);
    await run('mv', ['-f', `${path}.partial`, path]);
  } else if (!existing.isFile()) throw new Error(`${path} is not a regular file`);
  return { path, format: 'raw', persistent: true };
}
