// The local provisioner's volumes on disk: one directory per PersistentVolume holding a
// sparse ext4 image of the claim's size and its mount point. The image, loop-mounted, is
// what enforces the size — a full volume gives the application ENOSPC, never the node's
// filesystem — and it works on any host filesystem (project quotas need XFS, or ext4 mounted
// with prjquota, which a node's data directory usually is not). Every step is idempotent,
// so an agent restarted at any point finishes the job without mounting anything twice.
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, rename, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const IMAGE_FILE = 'disk.ext4';
export const MOUNT_DIR = 'mnt';

/** Mount points in /proc/self/mountinfo (field 5), with octal escapes undone. */
export function mountPoints(mountinfo: string): Set<string> {
  const points = new Set<string>();
  for (const line of mountinfo.split('\n')) {
    const fields = line.split(' ');
    if (fields.length > 4) points.add(fields[4].replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8))));
  }
  return points;
}

export async function isMounted(path: string): Promise<boolean> {
  return mountPoints(await readFile('/proc/self/mountinfo', 'utf8')).has(path);
}

const exists = (path: string) => stat(path).then(() => true, () => false);

export class LocalDisks {
  /** One operation per volume at a time: two racing mounts would attach the image twice. */
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(readonly root: string) {}

  private serial<T>(volumeName: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(volumeName) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.locks.set(volumeName, next);
    void next.catch(() => undefined).finally(() => {
      if (this.locks.get(volumeName) === next) this.locks.delete(volumeName);
    });
    return next;
  }

  dirOf(volumeName: string): string {
    return join(this.root, volumeName);
  }

  /** The directory pods bind-mount (the PV's spec.local.path). */
  mountPathOf(volumeName: string): string {
    return join(this.dirOf(volumeName), MOUNT_DIR);
  }

  /** Makes the image (if not made yet) and mounts it. The filesystem is built on a temporary name, so a crash never leaves a half-made image under the final one. */
  create(volumeName: string, bytes: number): Promise<string> {
    return this.serial(volumeName, () => this.createNow(volumeName, bytes));
  }

  private async createNow(volumeName: string, bytes: number): Promise<string> {
    const dir = this.dirOf(volumeName);
    const image = join(dir, IMAGE_FILE);
    if (!(await exists(image))) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const partial = `${image}.partial`;
      await rm(partial, { force: true });
      await run('touch', [partial]);
      await truncate(partial, bytes);
      // -m 0: no blocks reserved for root, the application gets the whole size.
      await run('mkfs.ext4', ['-q', '-F', '-m', '0', '-E', 'nodiscard,lazy_itable_init=1', partial]);
      await rename(partial, image);
    }
    return this.mountNow(volumeName, true);
  }

  /** Mounts the volume unless it already is (checked in the mount table). */
  ensureMounted(volumeName: string): Promise<string> {
    return this.serial(volumeName, () => this.mountNow(volumeName, false));
  }

  private async mountNow(volumeName: string, fresh: boolean): Promise<string> {
    const image = join(this.dirOf(volumeName), IMAGE_FILE);
    const mnt = this.mountPathOf(volumeName);
    if (await isMounted(mnt)) return mnt;
    if (!(await exists(image))) throw new Error(`the backing image of volume ${volumeName} is missing (${image})`);
    await mkdir(mnt, { recursive: true });
    await run('mount', ['-t', 'ext4', '-o', 'loop', image, mnt]);
    // A fresh filesystem is writable by any pod user, like local-path-provisioner's directories.
    if (fresh) await chmod(mnt, 0o777);
    return mnt;
  }

  /** Unmounts (the loop device is freed with it) and deletes the image. */
  remove(volumeName: string): Promise<void> {
    return this.serial(volumeName, () => this.removeNow(volumeName));
  }

  private async removeNow(volumeName: string): Promise<void> {
    const mnt = this.mountPathOf(volumeName);
    if (await isMounted(mnt)) await run('umount', [mnt]).catch(() => run('umount', ['-l', mnt]));
    await rm(this.dirOf(volumeName), { recursive: true, force: true });
  }

  /** Bytes the filesystem under `root` holds (the default local-storage capacity). */
  static async capacityOf(root: string): Promise<number> {
    await mkdir(root, { recursive: true });
    const { statfs } = await import('node:fs/promises');
    const fs = await statfs(root);
    return fs.blocks * fs.bsize;
  }
}
