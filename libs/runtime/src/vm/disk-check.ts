/** Pure: is a disk image safe to hand to QEMU as the base of a VM's overlay? */
import { VmDisk } from './types';

/** The fields of `qemu-img info --output=json` the checks read. */
export interface QemuImgInfo {
  format: string;
  'virtual-size': number;
  'backing-filename'?: string;
  'full-backing-filename'?: string;
  'backing-filename-format'?: string;
  'format-specific'?: { type?: string; data?: { 'data-file'?: string; 'data-file-raw'?: boolean } };
}

/** Default bound on a disk's virtual size, and so on how far its overlay can grow. */
export const DEFAULT_MAX_DISK_BYTES = 64 * 2 ** 30;

/**
 * Everything wrong with using `info` (the image at `disk.path`) as a VM's base disk, as
 * messages; empty when it is safe. A qcow2 may name other files QEMU would open with the
 * VM's rights (a backing file such as /etc/shadow, an external data file): an image from a
 * registry must be self-contained, so any such reference is refused. The format found must
 * be the one QEMU is told (it never probes). The virtual size bounds the overlay the VM writes.
 */
export function diskImageProblems(disk: VmDisk, info: QemuImgInfo, maxBytes = DEFAULT_MAX_DISK_BYTES): string[] {
  const problems: string[] = [];
  const name = disk.path.split('/').pop();
  if (info.format !== disk.format) problems.push(`${name} is ${info.format}, not ${disk.format} as its name says`);
  const backing = info['backing-filename'] ?? info['full-backing-filename'];
  if (backing !== undefined) problems.push(`${name} has a backing file (${JSON.stringify(backing)}); a disk image must be self-contained`);
  const dataFile = info['format-specific']?.data?.['data-file'];
  if (dataFile !== undefined) problems.push(`${name} has an external data file (${JSON.stringify(dataFile)}); a disk image must be self-contained`);
  if (!(info['virtual-size'] > 0)) problems.push(`${name} has no usable virtual size`);
  else if (info['virtual-size'] > maxBytes) problems.push(`${name} has a virtual size of ${info['virtual-size']} bytes, over the node's limit of ${maxBytes}`);
  return problems;
}
