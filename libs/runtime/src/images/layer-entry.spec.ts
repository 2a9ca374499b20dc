import { LayerEntryHeader, LayerEntryPlan, planLayerEntry } from './layer-entry';

describe('planLayerEntry', () => {
  const table: Array<{ name: string; header: LayerEntryHeader; want: LayerEntryPlan }> = [
    { name: 'file with ./ prefix', header: { path: './etc/passwd', type: 'File' }, want: { op: 'file', path: 'etc/passwd' } },
    { name: 'directory with trailing slash', header: { path: 'usr/lib/', type: 'Directory' }, want: { op: 'dir', path: 'usr/lib' } },
    { name: 'the root entry', header: { path: './', type: 'Directory' }, want: { op: 'dir', path: '' } },
    { name: 'absolute symlink kept as written', header: { path: 'bin/sh', type: 'SymbolicLink', linkpath: '/bin/busybox' }, want: { op: 'symlink', path: 'bin/sh', target: '/bin/busybox' } },
    { name: 'climbing symlink kept as written', header: { path: 'a/b', type: 'SymbolicLink', linkpath: '../../x' }, want: { op: 'symlink', path: 'a/b', target: '../../x' } },
    { name: 'hard link inside', header: { path: 'usr/bin/perl', type: 'Link', linkpath: './usr/bin/perl5' }, want: { op: 'hardlink', path: 'usr/bin/perl', target: 'usr/bin/perl5' } },
    { name: 'whiteout', header: { path: 'etc/.wh.motd', type: 'File' }, want: { op: 'whiteout', path: 'etc/motd' } },
    { name: 'opaque dir', header: { path: 'var/cache/.wh..wh..opq', type: 'File' }, want: { op: 'opaque', dir: 'var/cache' } },
    { name: 'aufs bookkeeping', header: { path: '.wh..wh.plnk/1', type: 'Directory' }, want: { op: 'dir', path: '.wh..wh.plnk/1' } },
    { name: 'fifo', header: { path: 'run/fifo', type: 'FIFO' }, want: { op: 'fifo', path: 'run/fifo' } },
    { name: '.. path', header: { path: '../x', type: 'File' }, want: { op: 'reject', reason: 'path "../x" climbs out with ".."' } },
    { name: 'absolute path', header: { path: '/etc/x', type: 'File' }, want: { op: 'reject', reason: 'absolute path "/etc/x"' } },
    { name: 'absolute hard link', header: { path: 'x', type: 'Link', linkpath: '/etc/shadow' }, want: { op: 'reject', reason: 'hard link "x": absolute hard link target "/etc/shadow"' } },
    { name: 'climbing hard link', header: { path: 'x', type: 'Link', linkpath: 'a/../../y' }, want: { op: 'reject', reason: 'hard link "x": hard link target "a/../../y" climbs out with ".."' } },
    { name: 'char device', header: { path: 'dev/null', type: 'CharacterDevice' }, want: { op: 'reject', reason: 'device node "dev/null" (CharacterDevice) is not allowed in an image layer' } },
    { name: 'block device', header: { path: 'dev/sda', type: 'BlockDevice' }, want: { op: 'reject', reason: 'device node "dev/sda" (BlockDevice) is not allowed in an image layer' } },
    { name: 'file replacing the root', header: { path: './', type: 'File' }, want: { op: 'reject', reason: 'a File entry cannot replace the layer root' } },
  ];
  it.each(table)('$name', ({ header, want }) => {
    expect(planLayerEntry(header)).toEqual(want);
  });
});
