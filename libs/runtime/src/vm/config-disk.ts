/**
 * Read-only ISO 9660 disks built from files: KubeVirt's configMap / secret / serviceAccount
 * disks. Pure: validation and QEMU arguments; the image itself is written by `host.ts`.
 */
import type { VmPaths } from './qemu-args';
import { qemuEscape } from './qemu-escape';
import { VmConfigDisk } from './types';

/** ISO 9660 volume identifiers are at most 32 characters (KubeVirt's default is `cfgdata`). */
const MAX_LABEL = 32;
/** virtio-blk reports at most 20 bytes of serial. */
export const MAX_DISK_SERIAL = 20;

export function configDiskProblems(disks: VmConfigDisk[] | undefined): string[] {
  const errors: string[] = [];
  const names = new Set<string>();
  for (const disk of disks ?? []) {
    const at = `config disk ${JSON.stringify(disk.name)}`;
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(disk.name)) errors.push(`${at}: name must be a DNS label`);
    if (names.has(disk.name)) errors.push(`${at}: duplicate name`);
    names.add(disk.name);
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(disk.label) || disk.label.length > MAX_LABEL) errors.push(`${at}: volume label ${JSON.stringify(disk.label)} must be 1-${MAX_LABEL} of A-Z a-z 0-9 _ -`);
    if (disk.serial !== undefined && !/^[A-Za-z0-9_.+-]{1,20}$/.test(disk.serial)) errors.push(`${at}: serial ${JSON.stringify(disk.serial)} must be 1-${MAX_DISK_SERIAL} of A-Z a-z 0-9 _ . + -`);
    for (const file of disk.files) {
      if (!/^[-._a-zA-Z0-9]+(\/[-._a-zA-Z0-9]+)*$/.test(file.path) || file.path.split('/').some((p) => p === '.' || p === '..')) {
        errors.push(`${at}: file path ${JSON.stringify(file.path)} is not a relative path of safe names`);
      }
    }
  }
  return errors;
}

/** QEMU drives for the config disks: raw, read-only virtio-blk, each with its serial if any. */
export function configDiskArgs(disks: VmConfigDisk[] | undefined, paths: VmPaths): string[] {
  return (disks ?? []).flatMap((disk, i) => [
    '-drive', `file=${qemuEscape(paths.configDisk(i))},if=none,id=cfg${i},format=raw,readonly=on`,
    '-device', `virtio-blk-pci,drive=cfg${i}${disk.serial ? `,serial=${disk.serial}` : ''}`,
  ]);
}
