import { MBR_TABLE_OFFSET, mbrPartitionTable } from './mbr';

describe('mbrPartitionTable', () => {
  it('one active Linux partition with LBA start and size, three empty entries, the boot signature', () => {
    const table = mbrPartitionTable(2048, 131072);
    expect(table.length).toBe(512 - MBR_TABLE_OFFSET);
    expect([...table.subarray(0, 16)]).toEqual([0x80, 0xfe, 0xff, 0xff, 0x83, 0xfe, 0xff, 0xff, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00]);
    expect(table.subarray(16, 64).every((b) => b === 0)).toBe(true);
    expect([...table.subarray(64)]).toEqual([0x55, 0xaa]);
  });

  it.each([
    { name: 'a start inside the MBR', start: 0, sectors: 10, error: /after the MBR/ },
    { name: 'no sectors', start: 2048, sectors: 0, error: /does not fit/ },
    { name: 'past 2 TiB', start: 2048, sectors: 0xffffffff, error: /does not fit/ },
  ])('refuses $name', ({ start, sectors, error }) => expect(() => mbrPartitionTable(start, sectors)).toThrow(error));
});
