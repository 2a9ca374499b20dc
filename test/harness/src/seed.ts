// Seeds a registry with what an offline cluster needs: `busybox` (library/busybox:latest) and
// the tiny VM containerDisk `coxswain/tiny-vm:latest` (/boot/vmlinuz + /boot/initrd.img), and
// on request the Debian-based debian:bookworm-slim, nginx and redis images and the bootable
// KubeVirt-style containerDisk `coxswain/debian-disk:latest` (/disk/disk.qcow2).
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildImageFromDir, fixturesDir, pushImage, seedDebianImages, seedRegistry } from './images';
import { buildDiskVmFiles, buildTinyVmFiles } from './vm-image';

export const TINY_VM_IMAGE = 'coxswain/tiny-vm:latest';

export async function buildTinyVmImage(): Promise<string> {
  const files = await buildTinyVmFiles();
  const root = join(fixturesDir(), 'tiny-vm-root');
  await rm(root, { recursive: true, force: true });
  await mkdir(join(root, 'boot'), { recursive: true });
  await copyFile(files.kernelPath, join(root, 'boot', 'vmlinuz'));
  await copyFile(files.initrdPath, join(root, 'boot', 'initrd.img'));
  const out = join(fixturesDir(), `tiny-vm-oci-${process.pid}`);
  await rm(out, { recursive: true, force: true });
  await buildImageFromDir(root, out, {});
  return out;
}

export const DISK_VM_IMAGE = 'coxswain/debian-disk:latest';

/** A containerDisk as KubeVirt's are made: one qcow2 under /disk/ of an otherwise empty image. */
export async function buildDiskVmImage(): Promise<string> {
  const files = await buildDiskVmFiles();
  const root = join(fixturesDir(), `disk-vm-root-${process.pid}`);
  await rm(root, { recursive: true, force: true });
  await mkdir(join(root, 'disk'), { recursive: true });
  await copyFile(files.diskPath, join(root, 'disk', 'disk.qcow2'));
  const out = join(fixturesDir(), `disk-vm-oci-${process.pid}`);
  await rm(out, { recursive: true, force: true });
  try {
    await buildImageFromDir(root, out, {});
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return out;
}

async function pushBuilt(registryUrl: string, build: () => Promise<string>, ref: string): Promise<void> {
  const layout = await build();
  try {
    await pushImage(registryUrl, layout, ref);
  } finally {
    await rm(layout, { recursive: true, force: true });
  }
}

export async function seedClusterImages(registryUrl: string, options: { vm?: boolean; debian?: boolean; diskVm?: boolean } = {}): Promise<void> {
  await seedRegistry(registryUrl);
  if (options.debian) await seedDebianImages(registryUrl);
  if (options.vm === false) return;
  await pushBuilt(registryUrl, buildTinyVmImage, TINY_VM_IMAGE);
  if (options.diskVm) await pushBuilt(registryUrl, buildDiskVmImage, DISK_VM_IMAGE);
}
