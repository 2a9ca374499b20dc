// A KubeVirt-style bootable disk, built offline from Debian packages: an MBR disk whose one
// ext4 partition holds the guest's root (busybox userland, the init scripts of the tiny VM,
// kernel modules) and /boot with the Debian cloud kernel, a small initramfs that mounts that
// root, and GRUB's config. GRUB (grub-pc-bin) sits in the MBR and the gap after it, as
// grub-install puts it, so SeaBIOS boots the disk with no kernel given to QEMU.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { cpioGz, downloadAndUnpack, stageGuestRoot, unpackCloudKernel } from './build';
import { guestFiles } from './guest-init';
import { MBR_TABLE_OFFSET, mbrPartitionTable } from './mbr';

const exec = promisify(execFile);

export const DEFAULT_DISK_FIXTURE_DIR = resolve(__dirname, '../../../../.fixtures/vm-disk');
/** The root filesystem's label: GRUB's kernel line names the root by it. */
export const DISK_ROOT_LABEL = 'coxroot';
const PARTITION_START_SECTOR = 2048; // 1 MiB, as fdisk aligns; GRUB's core image lives before it
const ROOT_SIZE = '128M';
/** What the initramfs needs to find the root: ext4 is built into the cloud kernel. */
const INITRAMFS_MODULES = ['virtio_pci', 'virtio_blk'];
/** GRUB modules in the core image: read an MBR partition with ext4 and boot Linux, on the serial line. */
const GRUB_MODULES = ['biosdisk', 'part_msdos', 'ext2', 'normal', 'linux', 'serial', 'terminal', 'echo', 'test'];

export interface DiskVmFiles {
  /** qcow2, compressed, to be put under /disk/ of a containerDisk image. */
  diskPath: string;
  kernelVersion: string;
}

export const GRUB_CFG = `serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
set timeout=0
menuentry 'Debian GNU/Linux, cloud kernel (Coxswain disk)' {
  linux /boot/vmlinuz root=LABEL=${DISK_ROOT_LABEL} console=ttyS0 quiet
  initrd /boot/initrd.img
}
`;

/** The initramfs's /init: load the block drivers, mount `root=`, hand PID 1 to the disk's init. */
export const DISK_INITRAMFS_INIT = `#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read -r mod; do insmod "/lib/modules/$mod.ko" 2>/dev/null; done < /etc/modules
root=
for arg in $(cat /proc/cmdline); do
  case "$arg" in root=*) root="\${arg#root=}" ;; esac
done
n=0
until dev=$(findfs "$root" 2>/dev/null) || [ $n -ge 100 ]; do sleep 0.1; n=$((n+1)); done
mkdir -p /newroot
if [ -z "$dev" ] || ! mount -t ext4 -o rw "$dev" /newroot; then
  echo "coxswain-initramfs: root $root not found"
  exec sh
fi
echo "coxswain-initramfs: root $dev"
umount /proc /sys /dev
exec switch_root /newroot /sbin/init
`;

/**
 * Returns the bootable qcow2, building it once per recipe under `cacheDir` (the Debian kernel,
 * grub-pc-bin and grub-common come from apt, unpacked, never installed).
 */
export async function buildDiskVmFiles(cacheDir: string = DEFAULT_DISK_FIXTURE_DIR): Promise<DiskVmFiles> {
  const key = recipeHash();
  const entries = await readdir(cacheDir).catch(() => [] as string[]);
  for (const entry of entries.filter((e) => e.endsWith(`-${key}`) && !e.startsWith('.'))) {
    const diskPath = join(cacheDir, entry, 'disk.qcow2');
    if (await stat(diskPath).then(() => true, () => false)) return { diskPath, kernelVersion: entry.slice(0, -key.length - 1) };
  }
  const work = join(cacheDir, `.build-${randomBytes(4).toString('hex')}`);
  await mkdir(work, { recursive: true });
  try {
    const { version } = await unpackCloudKernel(work);
    await downloadAndUnpack(work, [{ pkg: 'grub-pc-bin', into: 'grub' }, { pkg: 'grub-common', into: 'grub' }]);
    const kernelRoot = join(work, 'root');

    const rootfs = join(work, 'rootfs');
    await stageGuestRoot(kernelRoot, version, rootfs);
    await mkdir(join(rootfs, 'sbin'), { recursive: true });
    await symlink('../bin/busybox', join(rootfs, 'sbin/init'));
    await mkdir(join(rootfs, 'boot/grub'), { recursive: true });
    await copyFile(join(kernelRoot, 'boot', `vmlinuz-${version}`), join(rootfs, 'boot/vmlinuz'));
    await writeFile(join(rootfs, 'boot/grub/grub.cfg'), GRUB_CFG);
    await buildRootInitramfs(kernelRoot, version, join(work, 'initramfs'), join(rootfs, 'boot/initrd.img'));

    const part = join(work, 'root.ext4');
    await exec('mkfs.ext4', ['-q', '-F', '-L', DISK_ROOT_LABEL, '-E', 'root_owner=0:0', '-d', rootfs, part, ROOT_SIZE]);
    const raw = join(work, 'disk.raw');
    await installGrub(join(work, 'grub'), part, raw);

    const out = join(work, 'out');
    await mkdir(out);
    await exec('qemu-img', ['convert', '-c', '-O', 'qcow2', raw, join(out, 'disk.qcow2')]);
    const finalDir = join(cacheDir, `${version}-${key}`);
    await rename(out, finalDir).catch(async (error: NodeJS.ErrnoException) => {
      if (!(await stat(join(finalDir, 'disk.qcow2')).then(() => true, () => false))) throw error; // another build won: fine
    });
    for (const entry of entries.filter((e) => !e.startsWith('.') && !e.endsWith(`-${key}`))) await rm(join(cacheDir, entry), { recursive: true, force: true });
    return { diskPath: join(finalDir, 'disk.qcow2'), kernelVersion: version };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

// The same staging as the guest's root, with only the block drivers (listed in /etc/modules in
// load order); its /init mounts the disk instead of running the guest's init scripts.
async function buildRootInitramfs(kernelRoot: string, version: string, stage: string, output: string): Promise<void> {
  await stageGuestRoot(kernelRoot, version, stage, INITRAMFS_MODULES);
  await writeFile(join(stage, 'init'), DISK_INITRAMFS_INIT, { mode: 0o755 });
  await cpioGz(stage, output);
}

/**
 * `raw` = GRUB's boot.img code in the MBR, the partition table, GRUB's core image from
 * sector 1 (boot.img reads sector 1 by default; the core image's own block list starts at
 * sector 2 and grub-mkimage sets its length), then the root partition at 1 MiB.
 */
async function installGrub(grubRoot: string, partition: string, raw: string): Promise<void> {
  const modulesDir = join(grubRoot, 'usr/lib/grub/i386-pc');
  const core = join(grubRoot, 'core.img');
  await exec(join(grubRoot, 'usr/bin/grub-mkimage'), ['-O', 'i386-pc', '-d', modulesDir, '-o', core, '-p', '(hd0,msdos1)/boot/grub', ...GRUB_MODULES]);
  const coreImage = await readFile(core);
  if (coreImage.length > (PARTITION_START_SECTOR - 1) * 512) throw new Error(`GRUB core image of ${coreImage.length} bytes does not fit before the partition`);
  const bootCode = (await readFile(join(modulesDir, 'boot.img'))).subarray(0, 440);
  const partSize = (await stat(partition)).size;

  const mbr = Buffer.alloc(512);
  bootCode.copy(mbr, 0);
  mbrPartitionTable(PARTITION_START_SECTOR, partSize / 512).copy(mbr, MBR_TABLE_OFFSET);
  const file = await open(raw, 'w');
  try {
    await file.write(mbr, 0, 512, 0);
    await file.write(coreImage, 0, coreImage.length, 512);
    await file.truncate(PARTITION_START_SECTOR * 512);
  } finally {
    await file.close();
  }
  await exec('sh', ['-c', 'cat "$1" >> "$2"', 'sh', partition, raw]);
}

/** Changes to the guest scripts, the boot chain or the layout produce a new fixture. */
function recipeHash(): string {
  return createHash('sha256')
    .update(JSON.stringify({ files: guestFiles([]), grub: GRUB_CFG, init: DISK_INITRAMFS_INIT, grubModules: GRUB_MODULES, modules: INITRAMFS_MODULES, size: ROOT_SIZE, v: 1 }))
    .digest('hex')
    .slice(0, 10);
}
