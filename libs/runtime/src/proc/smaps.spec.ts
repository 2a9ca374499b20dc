import { guestRamResident, parseRollup, parseSmaps, vmMemory } from './smaps';

const MiB = 1024 * 1024;
const mapping = (start: number, sizeKb: number, rssKb: number, perms = 'rw-p', path = '') =>
  [
    `${start.toString(16)}-${(start + sizeKb * 1024).toString(16)} ${perms} 00000000 00:00 0${path ? `                          ${path}` : ''}`,
    `Size:           ${sizeKb} kB`,
    'KernelPageSize:        4 kB',
    `Rss:            ${rssKb} kB`,
    `Pss:            ${Math.round(rssKb / 2)} kB`,
    'VmFlags: rd wr mr mw me ac sd',
  ].join('\n');

// Shaped like a real `qemu-system-x86_64 -machine q35 -m 128 -accel tcg`: heap, TCG's 1 GiB
// code buffer (rwx), the 128 MiB guest RAM and a few small anonymous areas.
const QEMU = [
  mapping(0x55a4245f4000, 17892, 5044, 'rw-p', '[heap]'),
  mapping(0x7f1cdc021000, 65404, 0, '---p'),
  mapping(0x7f1ce3e00000, 131072, 40960),
  mapping(0x7f1cec000000, 1048572, 2048, 'rwxp'),
  mapping(0x7f1d30200000, 16384, 12),
  mapping(0x7f1d3174a000, 2048, 900, 'r-xp', '/usr/bin/qemu-system-x86_64'),
].join('\n');

describe('smaps', () => {
  it('parses mappings with their fields in bytes', () => {
    const m = parseSmaps(QEMU);
    expect(m).toHaveLength(6);
    expect(m[0]).toMatchObject({ perms: 'rw-p', path: '[heap]', fields: { Size: 17892 * 1024, Rss: 5044 * 1024 } });
    expect(m[2]).toMatchObject({ start: 0x7f1ce3e00000, end: 0x7f1ce3e00000 + 128 * MiB, path: '' });
    expect(m[5].path).toBe('/usr/bin/qemu-system-x86_64');
  });

  it('reads smaps_rollup totals', () => {
    expect(parseRollup('55a4245f4000-7ffd1 ---p 00000000 00:00 0    [rollup]\nRss:    39412 kB\nPss:   37311 kB\n')).toEqual({ Rss: 39412 * 1024, Pss: 37311 * 1024 });
  });

  it.each([
    ['the mapping of the guest size', QEMU, 128 * MiB, 40960 * 1024],
    ['none for a guest size nothing matches', QEMU, 512 * MiB, undefined],
    ['a mapping rounded up by QEMU\'s alignment', mapping(0x7f0000000000, 131072 + 2048, 100), 128 * MiB, 100 * 1024],
    ['adjacent pieces of a split mapping', [mapping(0x7f0000000000, 65536, 10), mapping(0x7f0000000000 + 64 * MiB, 65536, 20)].join('\n'), 128 * MiB, 30 * 1024],
    ['not a file-backed mapping', mapping(0x7f0000000000, 131072, 10, 'rw-p', '/dev/shm/x'), 128 * MiB, undefined],
  ])('guest RAM resident: %s', (_name, text, guest, want) => expect(guestRamResident(parseSmaps(text), guest)).toBe(want));

  it('QEMU overhead is its resident set beyond the guest RAM mapping', () => {
    expect(vmMemory(parseSmaps(QEMU), { Rss: 60000 * 1024 }, 128 * MiB)).toEqual({ guestBytes: 128 * MiB, residentBytes: 60000 * 1024, overheadBytes: (60000 - 40960) * 1024 });
    expect(vmMemory(parseSmaps(QEMU), {}, 128 * MiB)?.residentBytes).toBe((5044 + 40960 + 2048 + 12 + 900) * 1024);
    expect(vmMemory(parseSmaps(QEMU), { Rss: 1 }, 256 * MiB)).toBeUndefined();
  });
});
