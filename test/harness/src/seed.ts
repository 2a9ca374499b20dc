// Seeds a registry with what an offline cluster needs: `busybox` (library/busybox:latest) and
// the tiny VM containerDisk `coxswain/tiny-vm:latest` (/boot/vmlinuz + /boot/initrd.img), and
// on request the Debian-based debian:bookworm-slim, nginx and redis images.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildImageFromDir, fixturesDir, pushImage, seedDebianImages, seedRegistry } from './images';
import { buildTinyVmFiles } from './vm-image';

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

export async function seedClusterImages(registryUrl: string, options: { vm?: boolean; debian?: boolean } = {}): Promise<void> {
  await seedRegistry(registryUrl);
  if (options.debian) await seedDebianImages(registryUrl);
  if (options.vm === false) return;
  const layout = await buildTinyVmImage();
  try {
    await pushImage(registryUrl, layout, TINY_VM_IMAGE);
  } finally {
    await rm(layout, { recursive: true, force: true });
  }
}
