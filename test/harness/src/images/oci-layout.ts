import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { create } from 'tar';

/** Fixed timestamp for every tar entry so fixture digests are stable across builds. */
export const FIXTURE_MTIME = new Date('2000-01-01T00:00:00Z');

export interface FixtureImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
  labels?: Record<string, string>;
}

export interface BuiltImage {
  /** OCI image layout directory. */
  dir: string;
  manifestDigest: string;
  configDigest: string;
  layerDigests: string[];
  diffIds: string[];
}

const sha256 = (b: Buffer | string) => 'sha256:' + createHash('sha256').update(b).digest('hex');

async function walk(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const abs = join(dir, name);
    out.push(relative(root, abs));
    const st = await lstat(abs);
    if (st.isDirectory()) out.push(...(await walk(root, abs)));
  }
  return out;
}

/**
 * Makes an entry's header independent of the machine: root ownership, no atime/ctime. (tar's
 * `portable` mode would also do that, but it drops group/other write bits, e.g. /tmp's 1777.)
 */
function normaliseEntry(entry: unknown): void {
  const e = entry as { stat: Record<string, unknown>; myuid: number; myuser: string };
  e.stat = Object.assign(Object.create(Object.getPrototypeOf(e.stat)), e.stat, { uid: 0, gid: 0, atime: undefined, ctime: undefined });
  e.myuid = 0;
  e.myuser = 'root';
}

/** A deterministic uncompressed tar of `dir`: sorted entries, fixed mtime, root-owned. */
async function tarDir(dir: string): Promise<Buffer> {
  const entries = (await walk(dir)).sort();
  const tmp = await mkdtemp(join(tmpdir(), 'cox-layer-'));
  try {
    const file = join(tmp, 'layer.tar');
    await create({ file, cwd: dir, mtime: FIXTURE_MTIME, noDirRecurse: true, noPax: true, onWriteEntry: normaliseEntry }, entries);
    return await readFile(file);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function writeBlob(outDir: string, data: Buffer | string): Promise<{ digest: string; size: number }> {
  const digest = sha256(data);
  await writeFile(join(outDir, 'blobs', 'sha256', digest.slice(7)), data);
  return { digest, size: Buffer.byteLength(data) };
}

/**
 * Builds an OCI image layout at `outDir` from one or more root directories (bottom layer
 * first); each directory becomes one gzip layer. Files named `.wh.<x>` / `.wh..wh..opq`
 * in a directory are carried into the tar as OCI whiteouts.
 */
export async function buildImageFromDir(
  rootDirs: string | string[],
  outDir: string,
  config: FixtureImageConfig = {},
  tag = 'latest',
  /** 'docker' writes Docker v2 schema2 media types (manifest, config, gzip layers) instead of OCI ones. */
  format: 'oci' | 'docker' = 'oci',
): Promise<BuiltImage> {
  const types =
    format === 'docker'
      ? { manifest: 'application/vnd.docker.distribution.manifest.v2+json', config: 'application/vnd.docker.container.image.v1+json', layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip' }
      : { manifest: 'application/vnd.oci.image.manifest.v1+json', config: 'application/vnd.oci.image.config.v1+json', layer: 'application/vnd.oci.image.layer.v1.tar+gzip' };
  const roots = Array.isArray(rootDirs) ? rootDirs : [rootDirs];
  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, 'blobs', 'sha256'), { recursive: true });
  const layers: Array<{ mediaType: string; digest: string; size: number }> = [];
  const diffIds: string[] = [];
  for (const root of roots) {
    const tar = await tarDir(root);
    diffIds.push(sha256(tar));
    const blob = await writeBlob(outDir, gzipSync(tar, { level: 6 }));
    layers.push({ mediaType: types.layer, ...blob });
  }
  const imageConfig = {
    created: FIXTURE_MTIME.toISOString(),
    architecture: 'amd64',
    os: 'linux',
    config: {
      ...(config.user ? { User: config.user } : {}),
      Env: config.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ...(config.entrypoint ? { Entrypoint: config.entrypoint } : {}),
      ...(config.cmd ? { Cmd: config.cmd } : {}),
      ...(config.workingDir ? { WorkingDir: config.workingDir } : {}),
      ...(config.labels ? { Labels: config.labels } : {}),
    },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: roots.map(() => ({ created: FIXTURE_MTIME.toISOString(), created_by: 'coxswain test fixture' })),
  };
  const configBlob = await writeBlob(outDir, JSON.stringify(imageConfig));
  const manifest = {
    schemaVersion: 2,
    mediaType: types.manifest,
    config: { mediaType: types.config, ...configBlob },
    layers,
  };
  const manifestBlob = await writeBlob(outDir, JSON.stringify(manifest));
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: manifest.mediaType,
        ...manifestBlob,
        platform: { architecture: 'amd64', os: 'linux' },
        annotations: { 'org.opencontainers.image.ref.name': tag },
      },
    ],
  };
  await writeFile(join(outDir, 'index.json'), JSON.stringify(index));
  await writeFile(join(outDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  return { dir: outDir, manifestDigest: manifestBlob.digest, configDigest: configBlob.digest, layerDigests: layers.map((l) => l.digest), diffIds };
}

/**
 * Combines single-image layouts into one layout whose top manifest is an OCI index with one
 * entry per platform (for multi-arch pull tests). Returns the index digest.
 */
export async function buildIndexLayout(
  images: Array<{ image: BuiltImage; platform: { os: string; architecture: string; variant?: string } }>,
  outDir: string,
  tag = 'latest',
): Promise<{ dir: string; indexDigest: string }> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, 'blobs', 'sha256'), { recursive: true });
  const manifests = [];
  for (const { image, platform } of images) {
    for (const name of await readdir(join(image.dir, 'blobs', 'sha256'))) {
      await writeFile(join(outDir, 'blobs', 'sha256', name), await readFile(join(image.dir, 'blobs', 'sha256', name)));
    }
    const size = (await lstat(join(image.dir, 'blobs', 'sha256', image.manifestDigest.slice(7)))).size;
    manifests.push({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.manifestDigest, size, platform });
  }
  const index = await writeBlob(outDir, JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
  const layout = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', ...index, annotations: { 'org.opencontainers.image.ref.name': tag } }],
  };
  await writeFile(join(outDir, 'index.json'), JSON.stringify(layout));
  await writeFile(join(outDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  return { dir: outDir, indexDigest: index.digest };
}
