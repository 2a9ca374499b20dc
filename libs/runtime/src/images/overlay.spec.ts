import { isMountPoint, MountTable, overlayOptions, parseMountPoints } from './overlay';

describe('overlayOptions', () => {
  it.each([
    { lowers: ['a/fs'], want: 'lowerdir=a/fs,upperdir=/r/u,workdir=/r/w' },
    { lowers: ['top/fs', 'mid/fs', 'base/fs'], want: 'lowerdir=top/fs:mid/fs:base/fs,upperdir=/r/u,workdir=/r/w' },
  ])('$lowers', ({ lowers, want }) => expect(overlayOptions(lowers, '/r/u', '/r/w')).toBe(want));

  it.each([[[]], [['a:b']], [['a,b']]])('rejects %j', (lowers) => {
    expect(() => overlayOptions(lowers, '/u', '/w')).toThrow();
  });
});

describe('parseMountPoints', () => {
  it('reads field 5 and decodes octal escapes', () => {
    const info = [
      '22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw',
      '99 22 0:50 / /var/lib/cox/rootfs/c1/merged rw,relatime - overlay overlay rw,lowerdir=x',
      '100 22 0:51 / /mnt/with\\040space rw - tmpfs tmpfs rw',
      '',
    ].join('\n');
    expect(parseMountPoints(info)).toEqual(['/', '/var/lib/cox/rootfs/c1/merged', '/mnt/with space']);
  });
});

describe('MountTable', () => {
  const line = (i: number, path: string) => `${i} 22 0:${i} / ${path} rw - overlay overlay rw,lowerdir=x`;

  /** A mountinfo whose reads finish only when told; `mounts` is what a read sees when it starts. */
  function fakeMountinfo() {
    const mounts = ['/'];
    const reads: Array<() => void> = [];
    const read = () => {
      const text = mounts.map((m, i) => line(i, m)).join('\n');
      return new Promise<string>((resolve) => reads.push(() => resolve(text)));
    };
    const settle = async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
    };
    return { mounts, reads, table: new MountTable(read), settle };
  }

  it('reads the file once for callers that come while a read runs (500 releases at once)', async () => {
    const { reads, table, settle } = fakeMountinfo();
    const first = isMountPoint('/', table);
    const rest = Array.from({ length: 500 }, () => isMountPoint('/var/x', table));
    expect(reads).toHaveLength(1);
    reads[0]();
    await settle();
    expect(reads).toHaveLength(2);
    reads[1]();
    expect(await first).toBe(true);
    expect(await Promise.all(rest)).toEqual(Array(500).fill(false));
    expect(reads).toHaveLength(2);
  });

  it('gives a caller a read that began after its call, never an older one', async () => {
    const { mounts, reads, table, settle } = fakeMountinfo();
    const before = table.points();
    mounts.push('/var/lib/cox/rootfs/c1/merged'); // mounted while the first read runs
    const after = isMountPoint('/var/lib/cox/rootfs/c1/merged', table);
    reads[0]();
    expect((await before).has('/var/lib/cox/rootfs/c1/merged')).toBe(false);
    await settle();
    reads[1]();
    expect(await after).toBe(true);
  });

  it('reads afresh once the last read is done, and after a failed one', async () => {
    let calls = 0;
    const table = new MountTable(async () => {
      calls++;
      if (calls === 1) throw new Error('EMFILE');
      return line(1, `/m${calls}`);
    });
    await expect(table.points()).rejects.toThrow('EMFILE');
    expect([...(await table.points())]).toEqual(['/m2']);
    expect([...(await table.points())]).toEqual(['/m3']);
  });
});
