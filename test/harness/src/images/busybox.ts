import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { BuiltImage, buildImageFromDir } from './oci-layout';

const run = promisify(execFile);

/** Bump when the image content changes, so cached fixtures are rebuilt. */
const BUSYBOX_FIXTURE_VERSION = 2;
const BUSYBOX = '/bin/busybox';

/** `<repo>/.fixtures` (git-ignored): built fixtures are cached here across test runs. */
export function fixturesDir(): string {
  return resolve(__dirname, '../../../..', '.fixtures');
}

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
const GROUP = 'root:x:0:\nnogroup:x:65534:\n';

/** Lays out a minimal busybox root filesystem in `root`. */
export async function writeBusyboxRootfs(root: string): Promise<void> {
  const dirs: Array<[string, number]> = [['bin', 0o755], ['etc', 0o755], ['tmp', 0o1777], ['proc', 0o555], ['sys', 0o555], ['dev', 0o755], ['root', 0o700]];
  for (const [d, mode] of dirs) {
    await mkdir(join(root, d), { recursive: true });
    await chmod(join(root, d), mode);
  }
  await copyFile(BUSYBOX, join(root, 'bin', 'busybox'));
  await chmod(join(root, 'bin', 'busybox'), 0o755);
  const { stdout } = await run(BUSYBOX, ['--list']);
  for (const applet of stdout.split('\n').map((s) => s.trim()).filter((s) => s && s !== 'busybox' && !s.includes('/'))) {
    await symlink('busybox', join(root, 'bin', applet));
  }
  await writeFile(join(root, 'etc', 'passwd'), PASSWD, { mode: 0o644 });
  await writeFile(join(root, 'etc', 'group'), GROUP, { mode: 0o644 });
  await chmod(join(root, 'etc', 'passwd'), 0o644);
  await chmod(join(root, 'etc', 'group'), 0o644);
}

async function readStamp(file: string): Promise<{ stamp: string; image: BuiltImage } | undefined> {
  return readFile(file, 'utf8').then(
    (t) => JSON.parse(t) as { stamp: string; image: BuiltImage },
    () => undefined,
  );
}

/**
 * OCI image layout of a one-layer busybox image (Debian busybox-static) with Cmd ["sh"].
 * Deterministic, and cached: a layout whose stamp matches the busybox binary is reused.
 */
export async function buildBusyboxImage(outDir = join(fixturesDir(), 'busybox-oci')): Promise<BuiltImage> {
  const binaryHash = createHash('sha256').update(await readFile(BUSYBOX)).digest('hex');
  const stamp = `v${BUSYBOX_FIXTURE_VERSION} ${binaryHash}`;
  const stampFile = join(outDir, 'fixture-stamp.json');
  const cached = await readStamp(stampFile);
  if (cached?.stamp === stamp) return { ...cached.image, dir: outDir };

  // Build beside the target and rename, so parallel jest workers never see half a layout.
  await mkdir(dirname(outDir), { recursive: true });
  const work = await mkdtemp(join(dirname(outDir), '.busybox-build-'));
  try {
    const root = join(work, 'rootfs');
    await writeBusyboxRootfs(root);
    const image = await buildImageFromDir(root, join(work, 'layout'), { cmd: ['sh'] });
    await writeFile(join(work, 'layout', 'fixture-stamp.json'), JSON.stringify({ stamp, image: { ...image, dir: outDir } }));
    // Another worker may have finished first: never pull a good layout from under its readers.
    const current = await readStamp(stampFile);
    if (current?.stamp === stamp) return { ...current.image, dir: outDir };
    await rm(outDir, { recursive: true, force: true });
    await rename(join(work, 'layout'), outDir).catch(async (error) => {
      if ((await readStamp(stampFile))?.stamp !== stamp) throw error;
    });
    return { ...image, dir: outDir };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Packs an OCI layout directory into a tarball (for import tests); gzip when the name ends in .gz. */
export async function tarLayout(layoutDir: string, tarFile: string): Promise<void> {
  await run('tar', [tarFile.endsWith('.gz') ? '-czf' : '-cf', tarFile, '-C', layoutDir, '.']);
}
