import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { BuiltImage, FIXTURE_MTIME, FixtureImageConfig } from './oci-layout';

/** Image config fields beyond the fixture basics, as real application images carry them. */
export interface LayeredImageConfig extends FixtureImageConfig {
  exposedPorts?: string[];
  stopSignal?: string;
  /** One history line per layer (`created_by`). */
  history?: string[];
}

const sha256 = (b: Buffer | string) => 'sha256:' + createHash('sha256').update(b).digest('hex');

function hashing(hash: ReturnType<typeof createHash>): Transform {
  return new Transform({
    transform(chunk: Buffer, _e, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
}

/** Gzips an uncompressed layer tar into the layout's blobs, streaming; returns digest, size and diff id. */
async function addLayer(outDir: string, tarPath: string): Promise<{ digest: string; size: number; diffId: string }> {
  const diff = createHash('sha256');
  const blob = createHash('sha256');
  let size = 0;
  const tmp = join(outDir, 'blobs', `.layer-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const counter = new Transform({
    transform(chunk: Buffer, _e, cb) {
      size += chunk.length;
      blob.update(chunk);
      cb(null, chunk);
    },
  });
  await pipeline(createReadStream(tarPath), hashing(diff), createGzip({ level: 6 }), counter, createWriteStream(tmp));
  const digest = 'sha256:' + blob.digest('hex');
  await rename(tmp, join(outDir, 'blobs', 'sha256', digest.slice(7)));
  return { digest, size, diffId: 'sha256:' + diff.digest('hex') };
}

async function writeBlob(outDir: string, data: string): Promise<{ digest: string; size: number }> {
  const digest = sha256(data);
  await writeFile(join(outDir, 'blobs', 'sha256', digest.slice(7)), data);
  return { digest, size: Buffer.byteLength(data) };
}

/**
 * Builds an OCI image layout from ready layer tarballs (bottom first, uncompressed; each
 * becomes one gzip layer) — for images whose layers are made by other tools (GNU tar of a
 * debootstrap tree, hand-made hostile layers) rather than from a directory by node-tar.
 */
export async function buildImageFromLayerTars(tars: string[], outDir: string, config: LayeredImageConfig = {}, tag = 'latest'): Promise<BuiltImage> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, 'blobs', 'sha256'), { recursive: true });
  const layers: Array<{ digest: string; size: number; diffId: string }> = [];
  for (const tar of tars) layers.push(await addLayer(outDir, tar));
  const created = FIXTURE_MTIME.toISOString();
  const imageConfig = {
    created,
    architecture: 'amd64',
    os: 'linux',
    config: {
      ...(config.user ? { User: config.user } : {}),
      ...(config.exposedPorts ? { ExposedPorts: Object.fromEntries(config.exposedPorts.map((p) => [p, {}])) } : {}),
      Env: config.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ...(config.entrypoint ? { Entrypoint: config.entrypoint } : {}),
      ...(config.cmd ? { Cmd: config.cmd } : {}),
      ...(config.workingDir ? { WorkingDir: config.workingDir } : {}),
      ...(config.labels ? { Labels: config.labels } : {}),
      ...(config.stopSignal ? { StopSignal: config.stopSignal } : {}),
    },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: tars.map((_t, i) => ({ created, created_by: config.history?.[i] ?? 'coxswain test fixture' })),
  };
  const configBlob = await writeBlob(outDir, JSON.stringify(imageConfig));
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...configBlob },
    layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: l.digest, size: l.size })),
  };
  const manifestBlob = await writeBlob(outDir, JSON.stringify(manifest));
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{ mediaType: manifest.mediaType, ...manifestBlob, platform: { architecture: 'amd64', os: 'linux' }, annotations: { 'org.opencontainers.image.ref.name': tag } }],
  };
  await writeFile(join(outDir, 'index.json'), JSON.stringify(index));
  await writeFile(join(outDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  return { dir: outDir, manifestDigest: manifestBlob.digest, configDigest: configBlob.digest, layerDigests: layers.map((l) => l.digest), diffIds: layers.map((l) => l.diffId) };
}
