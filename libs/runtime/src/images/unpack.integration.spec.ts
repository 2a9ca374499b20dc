import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { create } from 'tar';
import { DigestMismatchError } from './errors';
import { MediaType } from './manifest';
import { unpackLayer } from './unpack';

const run = promisify(execFile);
jest.setTimeout(60_000);

describe('unpackLayer (real files, mknod and xattrs)', () => {
  let work: string;
  let tar: Buffer;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cox-unpack-'));
    const src = join(work, 'src');
    await mkdir(join(src, 'etc', 'conf'), { recursive: true });
    await mkdir(join(src, 'tmp'), { recursive: true });
    await run('chmod', ['1777', join(src, 'tmp')]);
    await writeFile(join(src, 'etc', 'kept'), 'kept');
    await writeFile(join(src, 'etc', '.wh.removed'), '');
    await writeFile(join(src, 'etc', 'conf', '.wh..wh..opq'), '');
    await writeFile(join(src, 'etc', 'conf', 'fresh'), 'fresh');
    await writeFile(join(src, '.wh.var'), '');
    await mkdir(join(src, 'bin'));
    await writeFile(join(src, 'bin', 'su'), '#!/bin/sh\n');
    await run('chmod', ['4755', join(src, 'bin', 'su')]);
    await writeFile(join(src, 'etc', 'shared'), 'rw for all');
    await run('chmod', ['0666', join(src, 'etc', 'shared')]);
    await run('chown', ['1000:1000', join(src, 'etc', 'shared')]);
    const file = join(work, 'layer.tar');
    await create({ file, cwd: src, noDirRecurse: true }, ['bin', 'bin/su', 'etc', 'etc/kept', 'etc/shared', 'etc/.wh.removed', 'etc/conf', 'etc/conf/.wh..wh..opq', 'etc/conf/fresh', 'tmp', '.wh.var']);
    tar = await readFile(file);
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const diffId = () => 'sha256:' + createHash('sha256').update(tar).digest('hex');

  it.each([
    { name: 'gzip', mediaType: MediaType.OciLayerGzip, pack: (b: Buffer) => gzipSync(b) },
    { name: 'docker gzip', mediaType: MediaType.DockerLayerGzip, pack: (b: Buffer) => gzipSync(b) },
    { name: 'zstd', mediaType: MediaType.OciLayerZstd, pack: (b: Buffer) => zstdCompressSync(b) },
    { name: 'uncompressed', mediaType: MediaType.OciLayerTar, pack: (b: Buffer) => b },
  ])('$name: converts whiteouts to overlay form and checks the diff id', async ({ name, mediaType, pack }) => {
    const blob = join(work, `${name.replace(' ', '-')}.blob`);
    await writeFile(blob, pack(tar));
    const dest = join(work, `out-${name.replace(' ', '-')}`);
    const got = await unpackLayer(blob, mediaType, dest, diffId());
    expect(got).toEqual({ diffId: diffId(), whiteouts: ['etc/removed', 'var'], opaques: ['etc/conf'] });

    expect((await readdir(join(dest, 'etc'))).sort()).toEqual(['conf', 'kept', 'removed', 'shared']);
    expect(await readdir(join(dest, 'etc', 'conf'))).toEqual(['fresh']);
    for (const w of ['etc/removed', 'var']) {
      const st = await lstat(join(dest, w));
      expect(st.isCharacterDevice() && st.rdev === 0).toBe(true);
    }
    const { stdout } = await run('getfattr', ['--absolute-names', '-n', 'trusted.overlay.opaque', '--only-values', join(dest, 'etc', 'conf')]);
    expect(stdout).toBe('y');
    // Exact modes and owners from the headers: sticky dir, setuid binary, world-writable file.
    expect((await lstat(join(dest, 'tmp'))).mode & 0o7777).toBe(0o1777);
    expect((await lstat(join(dest, 'bin', 'su'))).mode & 0o7777).toBe(0o4755);
    const shared = await lstat(join(dest, 'etc', 'shared'));
    expect([shared.mode & 0o7777, shared.uid, shared.gid]).toEqual([0o666, 1000, 1000]);
  });

  it('refuses whiteouts behind a symlink in the layer and leaves the host alone', async () => {
    const src = join(work, 'evil-src');
    const victim = join(work, 'victim');
    await mkdir(join(victim, 'conf'), { recursive: true });
    await writeFile(join(victim, 'precious'), 'keep me');
    await mkdir(src, { recursive: true });
    await run('ln', ['-s', victim, join(src, 'etc')]);
    const file = join(work, 'evil.tar');
    // Hand-made tar: a symlink `etc` to a host dir, then whiteouts "inside" it.
    await mkdir(join(work, 'evil-extra', 'etc', 'conf'), { recursive: true });
    await writeFile(join(work, 'evil-extra', 'etc', '.wh.precious'), '');
    await writeFile(join(work, 'evil-extra', 'etc', 'conf', '.wh..wh..opq'), '');
    await create({ file, cwd: src, noDirRecurse: true }, ['etc']);
    const extra = join(work, 'evil-extra.tar');
    await create({ file: extra, cwd: join(work, 'evil-extra'), noDirRecurse: true }, ['etc/.wh.precious', 'etc/conf/.wh..wh..opq']);
    // Concatenate the entries (drop the first archive's two zero end blocks).
    const a = await readFile(file);
    const b = await readFile(extra);
    const blob = join(work, 'evil.blob');
    await writeFile(blob, Buffer.concat([a.subarray(0, 512), b]));
    await expect(unpackLayer(blob, MediaType.OciLayerTar, join(work, 'out-evil'))).rejects.toThrow('would be written through symlink "etc"');
    expect(await readFile(join(victim, 'precious'), 'utf8')).toBe('keep me');
    await expect(run('getfattr', ['--absolute-names', '-n', 'trusted.overlay.opaque', join(victim, 'conf')])).rejects.toThrow();
  });

  it('rejects a layer whose uncompressed content does not match the diff id', async () => {
    const blob = join(work, 'mismatch.blob');
    await writeFile(blob, gzipSync(tar));
    const wrong = 'sha256:' + '0'.repeat(64);
    await expect(unpackLayer(blob, MediaType.OciLayerGzip, join(work, 'out-mismatch'), wrong)).rejects.toBeInstanceOf(DigestMismatchError);
  });
});
