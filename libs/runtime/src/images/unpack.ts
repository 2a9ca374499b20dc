import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, lstat, mkdir, rm } from 'node:fs/promises';
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
  // node-tar creates files through our umask and chown() clears setuid/setgid bits, so
  // entries whose mode either would touch are chmod-ed again once everything is written.
  const modeFixes: Array<[string, number]> = [];
  const unpack = new Unpack({
    cwd: dest,
    chmod: true,
    preserveOwner: true,
    filter: (path: string, entry: unknown) => {
      const kind = classifyLayerEntry(path);
      if (kind.kind === 'whiteout') found.whiteouts.push(kind.path);
      else if (kind.kind === 'opaque') found.opaques.push(kind.dir);
      const { mode, type } = entry as { mode?: number; type?: string };
      if (kind.kind === 'entry' && mode !== undefined && (mode & (UMASK | 0o6000)) && needsModeFix(type, path)) modeFixes.push([kind.path, mode & 0o7777]);
      return kind.kind === 'entry';
    },
  });
  const gunzip = decompressor(mediaType);
  const stages = [createReadStream(blobPath), ...(gunzip ? [gunzip] : []), tap, unpack] as const;
  await (pipeline as (...s: unknown[]) => Promise<void>)(...stages);
  const actual = 'sha256:' + hash.digest('hex');
  if (diffId && actual !== diffId) throw new DigestMismatchError(diffId, actual, `uncompressed layer ${blobPath}`);
  for (const [path, mode] of modeFixes) {
    // chmod follows symlinks: a later entry may have replaced the path with one pointing out.
    if (await staysInside(dest, path)) await chmod(join(dest, path), mode).catch(() => undefined);
  }
  await applyWhiteouts(dest, found);
  return { ...found, diffId: actual };
}

const UMASK = process.umask();

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

/** Regular files and dirs only (never through a symlink), and never a path node-tar refused. */
function needsModeFix(type: string | undefined, rawPath: string): boolean {
  return (type === 'File' || type === 'OldFile' || type === 'ContiguousFile' || type === 'Directory') && !rawPath.split('/').includes('..');
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
