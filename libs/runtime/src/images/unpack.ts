import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lchown, lstat, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { DigestMismatchError, ImageTooLargeError, LayerRejectedError } from './errors';
import { ExtractRefused, ExtractResult, LayerExtractor } from './extract';
import { runCommand } from '../proc/run-command';
import { layerCompression } from './manifest';

const run = (file: string, args: string[]) => runCommand(file, args, { timeoutMs: 60_000 });

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

/** Size bounds for one layer; both are checked while streaming. */
export interface LayerLimits {
  /** Uncompressed tar bytes (and so also file content) the layer may have. */
  maxUncompressedBytes: number;
}

export const DEFAULT_LAYER_LIMITS: LayerLimits = { maxUncompressedBytes: 10 * 2 ** 30 };

/**
 * Unpacks one layer blob into an empty directory as an overlayfs lower layer: OCI whiteout
 * files become 0/0 character devices, opaque markers become the trusted.overlay.opaque
 * xattr. The uncompressed stream is hashed on the way and must equal `diffId` when given.
 * A hostile entry throws LayerRejectedError and a stream over the limit ImageTooLargeError;
 * the caller removes `dest` (nothing is ever written outside it).
 */
export async function unpackLayer(blobPath: string, mediaType: string, dest: string, diffId?: string, limits: LayerLimits = DEFAULT_LAYER_LIMITS): Promise<LayerWhiteouts & { diffId: string }> {
  await mkdir(dest, { recursive: true });
  const hash = createHash('sha256');
  const extractor = new LayerExtractor(dest, { maxFileBytes: limits.maxUncompressedBytes });
  const label = blobPath.split('/').pop() ?? blobPath;
  let total = 0;
  const sink = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      total += chunk.length;
      // Counted before the parser sees the bytes: a decompression bomb stops at the limit.
      if (total > limits.maxUncompressedBytes) throw new ImageTooLargeError(`uncompressed layer ${label}`, limits.maxUncompressedBytes);
      hash.update(chunk);
      await extractor.write(chunk);
    }
  };
  const gunzip = decompressor(mediaType);
  const stages = [createReadStream(blobPath), ...(gunzip ? [gunzip] : []), sink] as const;
  let found: ExtractResult;
  try {
    await (pipeline as (...s: unknown[]) => Promise<void>)(...stages);
    found = await extractor.end();
  } catch (error) {
    const cause = extractor.error ?? error;
    if (cause instanceof ExtractRefused) throw new LayerRejectedError(label, cause.message);
    throw cause;
  }
  const actual = 'sha256:' + hash.digest('hex');
  if (diffId && actual !== diffId) throw new DigestMismatchError(diffId, actual, `uncompressed layer ${blobPath}`);
  for (const f of found.fifos) {
    if (!(await staysInside(dest, dirname(f.path)))) continue;
    const abs = join(dest, f.path);
    await run('mknod', ['-m', (f.mode & 0o7777).toString(8), abs, 'p']);
    await lchown(abs, f.uid, f.gid);
  }
  await applyWhiteouts(dest, found);
  return { whiteouts: found.whiteouts, opaques: found.opaques, diffId: actual };
}

/** True when no existing component of `rel` under `root` is a symlink (so writes stay in the layer). */
async function staysInside(root: string, rel: string): Promise<boolean> {
  let at = root;
  for (const part of rel.split('/').filter((p) => p && p !== '.')) {
    if (part === '..') return false;
    at = join(at, part);
    const st = await lstat(at).catch(() => undefined);
    if (!st) return true;
    if (st.isSymbolicLink()) return false;
  }
  return true;
}

/** Materialises overlay-style whiteouts in an unpacked layer directory. */
export async function applyWhiteouts(dest: string, found: LayerWhiteouts): Promise<void> {
  for (const path of found.whiteouts) {
    // A layer could symlink a parent dir to the host (`etc -> /etc`, then `etc/.wh.passwd`).
    if (!(await staysInside(dest, dirname(path)))) continue;
    const abs = join(dest, path);
    await mkdir(dirname(abs), { recursive: true });
    if (await lstat(abs).catch(() => undefined)) await rm(abs, { recursive: true, force: true });
    // Node has no mknod(2); the overlay whiteout is a character device with device number 0/0.
    await run('mknod', [abs, 'c', '0', '0']);
  }
  const opaque: string[] = [];
  for (const d of found.opaques) if (await staysInside(dest, d)) opaque.push(join(dest, d));
  for (const dir of opaque) await mkdir(dir, { recursive: true });
  if (opaque.length) await run('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', ...opaque]);
}
