// A containerDisk's image format, read from its first bytes rather than its name: KubeVirt's
// containerdisks ship qcow2 as /disk/disk.img as often as /disk/disk.qcow2. QEMU is then told
// this format (it never probes), and libs/runtime's disk check still refuses backing files.
import { open } from 'node:fs/promises';

/** qcow2 images begin with "QFI\xfb" (QEMU's qcow2 spec); everything else is taken as raw. */
const QCOW2_MAGIC = Buffer.from([0x51, 0x46, 0x49, 0xfb]);

export const diskFormatFromHeader = (header: Buffer): 'qcow2' | 'raw' => (header.subarray(0, 4).equals(QCOW2_MAGIC) ? 'qcow2' : 'raw');

export async function containerDiskFormat(path: string): Promise<'qcow2' | 'raw'> {
  const file = await open(path, 'r');
  try {
    const header = Buffer.alloc(4);
    const { bytesRead } = await file.read(header, 0, 4, 0);
    return diskFormatFromHeader(header.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
}
