import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip, gzipSync } from 'node:zlib';
import { Header } from 'tar';
import { ImageTooLargeError, LayerRejectedError } from './errors';
import { MediaType } from './manifest';
import { unpackLayer } from './unpack';

const run = promisify(execFile);
jest.setTimeout(120_000);

/** One tar entry as a layer author writes it; headers are encoded by node-tar's Header. */
interface Entry {
  path: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'BlockDevice' | 'FIFO';
  body?: string;
  linkpath?: string;
  mode?: number;
  uid?: number;
  gid?: number;
}

function block(e: Entry, size: number): Buffer {
  const type = e.type ?? 'File';
  const buf = Buffer.alloc(512);
  new Header({
    path: e.path,
    type,
    size,
    mode: e.mode ?? (type === 'Directory' ? 0o755 : 0o644),
    uid: e.uid ?? 0,
    gid: e.gid ?? 0,
    mtime: new Date('2000-01-01T00:00:00Z'),
    linkpath: e.linkpath ?? '',
    devmaj: type.endsWith('Device') ? 1 : 0,
    devmin: type.endsWith('Device') ? 3 : 0,
  }).encode(buf);
  return buf;
}

/** A tar stream of `entries`, each body padded to 512 bytes, then the two zero end blocks. */
function tarOf(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? '');
    parts.push(block(e, body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  return Buffer.concat([...parts, Buffer.alloc(1024)]);
}

describe('unpackLayer: what real images hold', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cox-unpack-real-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('keeps absolute, relative and climbing symlinks as written, hard links, setuid/setgid and owners', async () => {
    const blob = join(work, 'real.blob');
    await writeFile(
      blob,
      gzipSync(
        tarOf([
          { path: './', type: 'Directory' },
          { path: 'bin/', type: 'Directory' },
          { path: 'bin/busybox', body: 'ELF', mode: 0o755 },
          { path: 'bin/sh', type: 'SymbolicLink', linkpath: '/bin/busybox' },
          { path: 'bin/ls', type: 'SymbolicLink', linkpath: 'busybox' },
          { path: 'lib64/', type: 'Directory' },
          { path: 'lib64/ld-linux-x86-64.so.2', type: 'SymbolicLink', linkpath: '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2' },
          { path: 'usr/lib/os-release', body: 'ID=debian\n' },
          { path: 'etc/os-release', type: 'SymbolicLink', linkpath: '../usr/lib/os-release' },
          { path: 'etc/deep', type: 'SymbolicLink', linkpath: '../../../../../../etc/shadow' },
          { path: 'usr/bin/perl5.36.0', body: 'perl', mode: 0o755 },
          { path: 'usr/bin/perl', type: 'Link', linkpath: 'usr/bin/perl5.36.0' },
          { path: 'usr/bin/passwd', body: 'x', mode: 0o4755 },
          { path: 'usr/bin/chage', body: 'x', mode: 0o2755, gid: 42 },
          { path: 'var/mail/', type: 'Directory', mode: 0o2775, gid: 8 },
          { path: 'tmp/', type: 'Directory', mode: 0o1777 },
          { path: 'home/app/data', body: 'mine', mode: 0o600, uid: 1000, gid: 1000 },
          { path: 'run/initctl', type: 'FIFO', mode: 0o600 },
        ]),
      ),
    );
    const dest = join(work, 'real');
    await unpackLayer(blob, MediaType.OciLayerGzip, dest);

    expect(await readlink(join(dest, 'bin/sh'))).toBe('/bin/busybox');
    expect(await readlink(join(dest, 'bin/ls'))).toBe('busybox');
    expect(await readlink(join(dest, 'lib64/ld-linux-x86-64.so.2'))).toBe('/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2');
    expect(await readlink(join(dest, 'etc/os-release'))).toBe('../usr/lib/os-release');
    expect(await readlink(join(dest, 'etc/deep'))).toBe('../../../../../../etc/shadow');
    const [perl, real] = await Promise.all([stat(join(dest, 'usr/bin/perl')), stat(join(dest, 'usr/bin/perl5.36.0'))]);
    expect([perl.ino, perl.nlink]).toEqual([real.ino, 2]);
    expect((await stat(join(dest, 'usr/bin/passwd'))).mode & 0o7777).toBe(0o4755);
    const chage = await stat(join(dest, 'usr/bin/chage'));
    expect([chage.mode & 0o7777, chage.gid]).toEqual([0o2755, 42]);
    const mail = await stat(join(dest, 'var/mail'));
    expect([mail.mode & 0o7777, mail.gid]).toEqual([0o2775, 8]);
    expect((await stat(join(dest, 'tmp'))).mode & 0o7777).toBe(0o1777);
    const data = await stat(join(dest, 'home/app/data'));
    expect([data.mode & 0o7777, data.uid, data.gid]).toEqual([0o600, 1000, 1000]);
    const fifo = await lstat(join(dest, 'run/initctl'));
    expect([fifo.isFIFO(), fifo.mode & 0o777]).toEqual([true, 0o600]);
  });
});

describe('unpackLayer: the hostile-layer corpus', () => {
  let work: string;
  /** A host directory every hostile layer aims at; it must stay empty. */
  let victim: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cox-unpack-hostile-'));
    victim = join(work, 'victim');
    await mkdir(victim);
    await writeFile(join(work, 'secret'), 'host secret');
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const cases: Array<{ name: string; entries: () => Entry[]; want: string }> = [
    { name: 'a ../ path', entries: () => [{ path: '../victim/pwned', body: 'x' }], want: 'climbs out with ".."' },
    { name: 'a ../ path hidden mid-way', entries: () => [{ path: 'a/../../victim/pwned', body: 'x' }], want: 'climbs out with ".."' },
    { name: 'an absolute path', entries: () => [{ path: join(victim, 'pwned'), body: 'x' }], want: 'absolute path' },
    { name: 'an absolute hard link out of the rootfs', entries: () => [{ path: 'stolen', type: 'Link', linkpath: join(work, 'secret') }], want: 'absolute hard link target' },
    { name: 'a climbing hard link', entries: () => [{ path: 'stolen', type: 'Link', linkpath: '../secret' }], want: 'climbs out with ".."' },
    {
      name: 'a hard link through a symlink in the layer',
      entries: () => [
        { path: 'up', type: 'SymbolicLink', linkpath: work },
        { path: 'stolen', type: 'Link', linkpath: 'up/secret' },
      ],
      want: 'would be written through symlink "up"',
    },
    {
      name: 'a symlink escape, then a write through it',
      entries: () => [
        { path: 'escape', type: 'SymbolicLink', linkpath: victim },
        { path: 'escape/pwned', body: 'x' },
      ],
      want: 'would be written through symlink "escape"',
    },
    {
      name: 'a relative climbing symlink, then a directory through it',
      entries: () => [
        { path: 'd/', type: 'Directory' },
        { path: 'd/up', type: 'SymbolicLink', linkpath: '../../../../../../../../' + victim.slice(1) },
        { path: 'd/up/newdir/', type: 'Directory' },
      ],
      want: 'would be written through symlink "d/up"',
    },
    { name: 'a character device', entries: () => [{ path: 'dev/mem', type: 'CharacterDevice' }], want: 'device node "dev/mem"' },
    { name: 'a block device', entries: () => [{ path: 'dev/sda', type: 'BlockDevice' }], want: 'device node "dev/sda"' },
  ];

  it.each(cases)('refuses $name and writes nothing outside the layer', async ({ name, entries, want }) => {
    const blob = join(work, `${name.replace(/\W+/g, '-')}.blob`);
    await writeFile(blob, gzipSync(tarOf(entries())));
    const dest = join(work, `out-${name.replace(/\W+/g, '-')}`);
    const error = await unpackLayer(blob, MediaType.OciLayerGzip, dest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LayerRejectedError);
    expect((error as Error).message).toContain(want);
    expect(await readdir(victim)).toEqual([]);
    expect(await readFile(join(work, 'secret'), 'utf8')).toBe('host secret');
    expect((await stat(join(work, 'secret'))).nlink).toBe(1);
  });

  it('stops a decompression bomb at the uncompressed limit', async () => {
    // 1 GiB of zeros in one file entry, gzip-ed to about a megabyte; the limit is 16 MiB.
    const size = 2 ** 30;
    const blob = join(work, 'bomb.blob');
    async function* tar() {
      yield block({ path: 'zeros' }, size);
      const zeros = Buffer.alloc(4 * 2 ** 20);
      for (let sent = 0; sent < size; sent += zeros.length) yield zeros;
      yield Buffer.alloc(1024);
    }
    await pipeline(Readable.from(tar()), createGzip({ level: 1 }), createWriteStream(blob));
    expect((await stat(blob)).size).toBeLessThan(16 * 2 ** 20);
    const dest = join(work, 'out-bomb');
    const limit = 16 * 2 ** 20;
    const error = await unpackLayer(blob, MediaType.OciLayerGzip, dest, undefined, { maxUncompressedBytes: limit }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageTooLargeError);
    expect((error as Error).message).toContain('exceeds the limit of 16 MiB');
    // What reached the disk before the stop is bounded by the limit too.
    const { stdout } = await run('du', ['-sb', dest]);
    expect(Number(stdout.split('\t')[0])).toBeLessThanOrEqual(limit + 2 ** 20);
  });
});
