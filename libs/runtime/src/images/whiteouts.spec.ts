import { classifyLayerEntry, LayerProbe, resolveInLayers } from './whiteouts';

describe('classifyLayerEntry', () => {
  it.each([
    { path: 'bin/sh', want: { kind: 'entry', path: 'bin/sh' } },
    { path: './etc/passwd', want: { kind: 'entry', path: 'etc/passwd' } },
    { path: 'etc/', want: { kind: 'entry', path: 'etc' } },
    { path: './', want: { kind: 'entry', path: '' } },
    { path: 'etc/.wh.hosts', want: { kind: 'whiteout', path: 'etc/hosts' } },
    { path: './.wh.tmp', want: { kind: 'whiteout', path: 'tmp' } },
    { path: 'a/b/.wh..wh..opq', want: { kind: 'opaque', dir: 'a/b' } },
    { path: '.wh..wh..opq', want: { kind: 'opaque', dir: '' } },
    { path: 'x/.wh..wh.plnk/123', want: { kind: 'entry', path: 'x/.wh..wh.plnk/123' } },
    { path: 'x/.wh..wh.plnk', want: { kind: 'skip', path: 'x/.wh..wh.plnk' } },
    { path: 'x/.wh.', want: { kind: 'entry', path: 'x/.wh.' } },
    { path: '../../etc/.wh.shadow', want: { kind: 'whiteout', path: 'etc/shadow' } },
    { path: 'x/not.wh.y', want: { kind: 'entry', path: 'x/not.wh.y' } },
  ])('$path', ({ path, want }) => expect(classifyLayerEntry(path)).toEqual(want));
});

/** Layers top-first, each a map of path → probe result; anything absent is 'missing'. */
type FakeLayer = Record<string, LayerProbe>;
const dir = (opaque = false): LayerProbe => ({ type: 'dir', opaque });
const file: LayerProbe = { type: 'file' };
const wh: LayerProbe = { type: 'whiteout' };
const link = (target: string): LayerProbe => ({ type: 'symlink', target });
/** Also fails the test if a path is probed below a symlink of the same layer (that would escape to the host). */
const probeOf = (layers: FakeLayer[]) => async (i: number, p: string) => {
  const parts = p.split('/');
  for (let n = 1; n < parts.length; n++) {
    if (layers[i][parts.slice(0, n).join('/')]?.type === 'symlink') throw new Error(`probed ${p} through a symlink in layer ${i}`);
  }
  return layers[i][p] ?? { type: 'missing' as const };
};

describe('resolveInLayers (top-most layer wins, whiteouts hide)', () => {
  const base: FakeLayer = { boot: dir(), 'boot/vmlinuz-6.1': file, 'boot/initrd.img': file, etc: dir(), 'etc/hosts': file, 'etc/conf': dir(), 'etc/conf/a': file, bin: dir(), 'bin/busybox': file, 'bin/sh': link('busybox'), lib: dir(), 'lib/x': file };
  const cases: Array<{ name: string; layers: FakeLayer[]; path: string; want?: { layer: number; path: string } }> = [
    { name: 'file in the only layer', layers: [base], path: '/etc/hosts', want: { layer: 0, path: 'etc/hosts' } },
    { name: 'top layer overrides', layers: [{ etc: dir(), 'etc/hosts': file }, base], path: 'etc/hosts', want: { layer: 0, path: 'etc/hosts' } },
    { name: 'falls through to the lower layer', layers: [{ etc: dir(), 'etc/other': file }, base], path: 'etc/hosts', want: { layer: 1, path: 'etc/hosts' } },
    { name: 'whiteout hides a file', layers: [{ etc: dir(), 'etc/hosts': wh }, base], path: 'etc/hosts' },
    { name: 'whiteout of a parent dir hides its children', layers: [{ etc: wh }, base], path: 'etc/conf/a' },
    { name: 'opaque dir hides lower children', layers: [{ etc: dir(), 'etc/conf': dir(true) }, base], path: 'etc/conf/a' },
    { name: 'opaque dir keeps its own children', layers: [{ etc: dir(), 'etc/conf': dir(true), 'etc/conf/b': file }, base], path: 'etc/conf/b', want: { layer: 0, path: 'etc/conf/b' } },
    { name: 'a file replacing a dir hides the dir content', layers: [{ etc: file }, base], path: 'etc/hosts' },
    { name: 'relative symlink is followed', layers: [base], path: '/bin/sh', want: { layer: 0, path: 'bin/busybox' } },
    { name: 'absolute symlink resolves inside the image', layers: [{ vmlinuz: link('/boot/vmlinuz-6.1') }, base], path: '/vmlinuz', want: { layer: 1, path: 'boot/vmlinuz-6.1' } },
    { name: 'symlinked directory in the path (merged /usr)', layers: [{ usr: dir(), 'usr/lib': link('../lib') }, base], path: 'usr/lib/x', want: { layer: 1, path: 'lib/x' } },
    { name: 'symlink cannot escape the root', layers: [{ evil: link('../../../../etc/hosts') }, base], path: 'evil', want: { layer: 1, path: 'etc/hosts' } },
    { name: 'symlink loop gives up', layers: [{ a: link('b'), b: link('a') }], path: 'a' },
    { name: 'missing file', layers: [base], path: 'boot/nope' },
    { name: 'a file used as a dir', layers: [base], path: 'etc/hosts/x' },
    { name: 'dotdot walks up', layers: [base], path: 'boot/../etc/hosts', want: { layer: 0, path: 'etc/hosts' } },
    { name: 'the root itself is not a file', layers: [base], path: '/' },
    { name: 'an upper dir hides a lower symlink of the same name', layers: [{ boot: dir() }, { boot: link('/host') }, { host: dir(), 'host/vmlinuz': file }], path: 'boot/vmlinuz' },
    { name: 'an opaque parent keeps its own layer entry but hides lower ones', layers: [{ etc: dir(true) }, base], path: 'etc/hosts' },
  ];
  it.each(cases)('$name', async ({ layers, path, want }) => {
    expect(await resolveInLayers(layers.length, path, probeOf(layers))).toEqual(want);
  });
});
