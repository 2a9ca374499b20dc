import { overlayOptions, parseMountPoints } from './overlay';

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
