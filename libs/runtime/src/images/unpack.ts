import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { Unpack } from 'tar';
import { DigestMismatchError } from './errors';
import { layerCompression } from './manifest';
import { classifyLayerEntry } from './whiteouts';

const run = promisify(execFile);

/** Whiteouts found in a layer, as paths relative to the layer root. */
export interface LayerWhiteouts {
  whiteouts: string[];
  opaques: string[];
}

function decompressor(mediaType: string): Transform | undefined {
  switch (layerCompression(mediaType)) {
    case 'gzip':
      return createGunzip();
    case 'zstd':
      return createZstdDecompress();
    default:
      return undefined;
  }
}

/**
 * Unpacks one layer blob into an empty directory as an overlayfs lower layer: OCI whiteout
 * files become 0/0 character devices, opaque markers become the trusted.overlay.opaque
 * xattr. The uncompressed stream is hashed on the way and must equal `diffId` when given.
 */
export async function unpackLayer(blobPath: string, mediaType: string, dest: string, diffId?: string): Promise<LayerWhiteouts & { diffId: string }> {
  await mkdir(dest, { recursive: true });
  const found: LayerWhiteouts = { whiteouts: [], opaques: [] };
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  const unpack = new Unpack({
    cwd: dest,
    // Exact modes (sticky /tmp, 0777 dirs) and owners from the tar headers, not our umask.
    chmod: true,
    processUmask: 0,
    preserveOwner: true,
    filter: (path: string) => {
      const entry = classifyLayerEntry(path);
      if (entry.kind === 'whiteout') found.whiteouts.push(entry.path);
      else if (entry.kind === 'opaque') found.opaques.push(entry.dir);
      return entry.kind === 'entry';
    },
  });
  const gunzip = decompressor(mediaType);
  const stages = [createReadStream(blobPath), ...(gunzip ? [gunzip] : []), tap, unpack] as const;
  await (pipeline as (...s: unknown[]) => Promise<void>)(...stages);
  const actual = 'sha256:' + hash.digest('hex');
  if (diffId && actual !== diffId) throw new DigestMismatchError(diffId, actual, `uncompressed layer ${blobPath}`);
  await applyWhiteouts(dest, found);
  return { ...found, diffId: actual };
}

/** Materialises overlay-style whiteouts in an unpacked layer directory. */
export async function applyWhiteouts(dest: string, found: LayerWhiteouts): Promise<void> {
  for (const path of found.whiteouts) {
    const abs = join(dest, path);
    await mkdir(dirname(abs), { recursive: true });
    if (await lstat(abs).catch(() => undefined)) await rm(abs, { recursive: true, force: true });
    // Node has no mknod(2); the overlay whiteout is a character device with device number 0/0.
    await run('mknod', [abs, 'c', '0', '0']);
  }
  const opaque = found.opaques.map((d) => join(dest, d));
  for (const dir of opaque) await mkdir(dir, { recursive: true });
  if (opaque.length) await run('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', ...opaque]);
}
