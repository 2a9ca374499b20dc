import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildBusyboxImage } from './busybox';
import { buildImageFromDir } from './oci-layout';

const run = promisify(execFile);
jest.setTimeout(60_000);

describe('image fixtures', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cox-fixtures-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('buildImageFromDir is deterministic and writes a valid OCI layout with whiteout entries', async () => {
    const src = join(work, 'src');
    await mkdir(join(src, 'boot'), { recursive: true });
    await writeFile(join(src, 'boot', 'vmlinuz'), 'kernel');
    await writeFile(join(src, '.wh.gone'), '');
    const a = await buildImageFromDir(src, join(work, 'a'), { cmd: ['/init'] });
    const b = await buildImageFromDir(src, join(work, 'b'), { cmd: ['/init'] });
    expect(b).toEqual({ ...a, dir: join(work, 'b') });
    const blob = (d: string) => join(a.dir, 'blobs', 'sha256', d.slice(7));
    const manifest = await readFile(blob(a.manifestDigest));
    expect('sha256:' + createHash('sha256').update(manifest).digest('hex')).toBe(a.manifestDigest);
    const config = JSON.parse(await readFile(blob(a.configDigest), 'utf8'));
    expect(config).toMatchObject({ os: 'linux', architecture: 'amd64', config: { Cmd: ['/init'] }, rootfs: { diff_ids: a.diffIds } });
    const { stdout } = await run('tar', ['tzf', blob(a.layerDigests[0])]);
    expect(stdout.split('\n').filter(Boolean).sort()).toEqual(['.wh.gone', 'boot/', 'boot/vmlinuz']);
    const index = JSON.parse(await readFile(join(a.dir, 'index.json'), 'utf8'));
    expect(index.manifests[0]).toMatchObject({ digest: a.manifestDigest, annotations: { 'org.opencontainers.image.ref.name': 'latest' } });
  });

  it('buildBusyboxImage lays out busybox with its applets, users and a sticky /tmp', async () => {
    const image = await buildBusyboxImage();
    const { stdout } = await run('tar', ['tvzf', join(image.dir, 'blobs', 'sha256', image.layerDigests[0].slice(7))]);
    const lines = stdout.split('\n');
    for (const applet of ['sh', 'ls', 'cat', 'echo', 'sleep', 'wget', 'nc', 'httpd', 'ip']) {
      expect(lines.some((l) => l.endsWith(` bin/${applet} -> busybox`))).toBe(true);
    }
    expect(lines.some((l) => l.startsWith('drwxrwxrwt') && l.endsWith(' tmp/'))).toBe(true);
    for (const path of ['etc/passwd', 'etc/group', 'proc/', 'sys/', 'dev/', 'bin/busybox']) {
      expect(lines.some((l) => l.endsWith(` ${path}`))).toBe(true);
    }
    // Cached: a second call returns the same layout without rebuilding.
    expect(await buildBusyboxImage()).toEqual(image);
  });
});
