import { checkMountPropagation, mountOf, parseMountInfo, propagationProblem } from './mount-propagation';

const MOUNTINFO = [
  '26 1 253:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw',
  '40 26 0:50 / /var/lib/cox rw,relatime - ext4 /dev/vda1 rw',
  '41 40 0:51 / /var/lib/cox/pods rw,relatime shared:7 - ext4 /dev/vda1 rw',
  '42 26 0:52 / /mnt/slave rw,relatime master:1 - ext4 /dev/vda1 rw',
  '43 26 0:53 / /mnt/with\\040space rw,relatime shared:9 master:3 - tmpfs tmpfs rw',
  '44 41 0:54 / /var/lib/cox/pods/x rw,relatime - tmpfs tmpfs rw',
  '45 41 0:55 / /var/lib/cox/pods/x rw,relatime shared:11 - tmpfs tmpfs rw',
].join('\n');

describe('parseMountInfo and mountOf', () => {
  const entries = parseMountInfo(MOUNTINFO);
  it('reads shared:N as shared (even with master:N), master:N alone as slave, neither as private; decodes octal escapes', () => {
    expect(entries.map((e) => `${e.mountPoint} ${e.propagation}`)).toEqual([
      '/ shared', '/var/lib/cox private', '/var/lib/cox/pods shared', '/mnt/slave slave', '/mnt/with space shared', '/var/lib/cox/pods/x private', '/var/lib/cox/pods/x shared',
    ]);
  });

  it.each([
    { path: '/etc/hosts', want: '/' },
    { path: '/var/lib/cox/images', want: '/var/lib/cox' },
    { path: '/var/lib/cox/pods/sandboxes/u1/volumes/v', want: '/var/lib/cox/pods' },
    { path: '/var/lib/cox/podsX', want: '/var/lib/cox' },
    { path: '/mnt/with space/a', want: '/mnt/with space' },
  ])('$path is held by $want', ({ path, want }) => {
    expect(mountOf(entries, path)?.mountPoint).toBe(want);
  });

  it('of mounts stacked on one point, the last (the visible one) counts', () => {
    expect(mountOf(entries, '/var/lib/cox/pods/x/y')?.propagation).toBe('shared');
  });
});

describe('propagationProblem (containerd\'s checks)', () => {
  const entries = parseMountInfo(MOUNTINFO);
  it.each([
    { name: 'rprivate needs nothing', source: '/var/lib/cox/images', propagation: 'rprivate' as const },
    { name: 'rslave on a shared mount', source: '/var/lib/cox/pods/v', propagation: 'rslave' as const },
    { name: 'rslave on a slave mount', source: '/mnt/slave/d', propagation: 'rslave' as const },
    { name: 'rslave on a private mount', source: '/var/lib/cox/images', propagation: 'rslave' as const, want: 'path "/var/lib/cox/images" is mounted on "/var/lib/cox" but it is not a shared or slave mount' },
    { name: 'rshared on a shared mount', source: '/var/lib/cox/pods/v', propagation: 'rshared' as const },
    { name: 'rshared on a slave mount', source: '/mnt/slave/d', propagation: 'rshared' as const, want: 'path "/mnt/slave/d" is mounted on "/mnt/slave" but it is not a shared mount' },
  ])('$name', ({ source, propagation, want }) => {
    expect(propagationProblem(entries, { source, destination: '/d', propagation }, source)).toBe(want);
  });

  it('checkMountPropagation reads the mount table only when a mount asks for propagation', async () => {
    const read = jest.fn(async () => MOUNTINFO);
    expect(await checkMountPropagation([{ source: '/nonexistent-a', destination: '/a' }], read)).toBeUndefined();
    expect(read).not.toHaveBeenCalled();
    expect(await checkMountPropagation([{ source: '/nonexistent-a', destination: '/a' }, { source: '/var/lib/cox/x', destination: '/x', propagation: 'rslave' }], read))
      .toBe('path "/var/lib/cox/x" is mounted on "/var/lib/cox" but it is not a shared or slave mount');
  });
});
