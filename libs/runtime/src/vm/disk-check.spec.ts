import { diskImageProblems, QemuImgInfo } from './disk-check';
import { VmDisk } from './types';

const GiB = 2 ** 30;
const qcow2: VmDisk = { path: '/images/snap/disk/disk.qcow2', format: 'qcow2' };
const raw: VmDisk = { path: '/images/snap/disk/disk.img', format: 'raw' };
const info = (extra: Partial<QemuImgInfo> = {}): QemuImgInfo => ({ format: 'qcow2', 'virtual-size': 2 * GiB, ...extra });

describe('diskImageProblems', () => {
  it.each<{ name: string; disk: VmDisk; info: QemuImgInfo; max?: number; want: string[] }>([
    { name: 'self-contained qcow2', disk: qcow2, info: info(), want: [] },
    { name: 'raw', disk: raw, info: info({ format: 'raw' }), want: [] },
    {
      name: 'backing file on the host',
      disk: qcow2,
      info: info({ 'backing-filename': '/etc/hostname', 'full-backing-filename': '/etc/hostname', 'backing-filename-format': 'raw' }),
      want: ['disk.qcow2 has a backing file ("/etc/hostname"); a disk image must be self-contained'],
    },
    { name: 'relative backing file beside it', disk: qcow2, info: info({ 'backing-filename': 'base.qcow2' }), want: ['disk.qcow2 has a backing file ("base.qcow2"); a disk image must be self-contained'] },
    {
      name: 'external data file',
      disk: qcow2,
      info: info({ 'format-specific': { type: 'qcow2', data: { 'data-file': '/dev/sda' } } }),
      want: ['disk.qcow2 has an external data file ("/dev/sda"); a disk image must be self-contained'],
    },
    { name: 'qcow2 named as raw', disk: raw, info: info(), want: ['disk.img is qcow2, not raw as its name says'] },
    { name: 'too big', disk: qcow2, info: info({ 'virtual-size': 100 * GiB }), max: 64 * GiB, want: [`disk.qcow2 has a virtual size of ${100 * GiB} bytes, over the node's limit of ${64 * GiB}`] },
    { name: 'zero size', disk: raw, info: info({ format: 'raw', 'virtual-size': 0 }), want: ['disk.img has no usable virtual size'] },
  ])('$name', ({ disk, info: i, max, want }) => {
    expect(diskImageProblems(disk, i, max)).toEqual(want);
  });
});
