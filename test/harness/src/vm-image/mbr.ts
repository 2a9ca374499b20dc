/** A DOS partition table for a disk image: pure, so the layout is tested without a disk. */

const SECTOR = 512;
/** Where the partition table starts in the MBR; boot code lives before it. */
export const MBR_TABLE_OFFSET = 446;
/** Linux (0x83). */
const LINUX = 0x83;
/** CHS fields past 8 GiB: BIOSes (SeaBIOS included) then use the LBA fields. */
const CHS_LBA_ONLY = [0xfe, 0xff, 0xff];

/**
 * Bytes 446..511 of an MBR with one active Linux partition from `startSector` for `sectors`
 * sectors, the other three entries empty, and the 0x55AA signature.
 */
export function mbrPartitionTable(startSector: number, sectors: number): Buffer {
  if (!Number.isInteger(startSector) || startSector < 1) throw new Error(`partition start ${startSector} must be a sector after the MBR`);
  if (!Number.isInteger(sectors) || sectors < 1 || startSector + sectors > 0xffffffff) throw new Error(`partition of ${sectors} sectors does not fit an MBR`);
  const table = Buffer.alloc(SECTOR - MBR_TABLE_OFFSET);
  table[0] = 0x80; // active: the one the boot code's next stage belongs to
  Buffer.from(CHS_LBA_ONLY).copy(table, 1);
  table[4] = LINUX;
  Buffer.from(CHS_LBA_ONLY).copy(table, 5);
  table.writeUInt32LE(startSector, 8);
  table.writeUInt32LE(sectors, 12);
  table[64] = 0x55;
  table[65] = 0xaa;
  return table;
}
