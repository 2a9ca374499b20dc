import { diskFormatFromHeader } from './container-disk';

describe('diskFormatFromHeader', () => {
  it.each([
    { name: 'qcow2 magic', header: Buffer.from([0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3]), want: 'qcow2' },
    { name: 'an MBR (raw disk)', header: Buffer.from([0xeb, 0x63, 0x90, 0x10]), want: 'raw' },
    { name: 'zeros', header: Buffer.alloc(4), want: 'raw' },
    { name: 'a file shorter than the magic', header: Buffer.from([0x51, 0x46]), want: 'raw' },
    { name: '"QFI" followed by another byte', header: Buffer.from('QFI\x00'), want: 'raw' },
  ])('$name → $want', ({ header, want }) => expect(diskFormatFromHeader(header)).toBe(want));
});
