import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DigestMismatchError } from './errors';

const DIGEST = /^sha256:([a-f0-9]{64})$/;

export function digestHex(digest: string): string {
  const m = DIGEST.exec(digest);
  if (!m) throw new Error(`unsupported digest "${digest}" (only sha256)`);
  return m[1];
}

export function sha256(data: Buffer | string): string {
  return 'sha256:' + createHash('sha256').update(data).digest('hex');
}

export async function sha256File(path: string): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(createReadStream(path), async function* (source) {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
  });
  return { digest: 'sha256:' + hash.digest('hex'), size };
}

/** Writes via a temp file in the same directory and renames, so readers never see half a file. */
export async function writeFileAtomic(path: string, data: Buffer | string): Promise<void> {
  const tmp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, data);
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Content-addressed blobs under `<root>/blobs/sha256/<hex>`. Downloads land in
 * `<root>/ingest/<hex>` (kept across failures so they can resume) and only a file whose
 * bytes hash to its digest is renamed into `blobs/`.
 */
export class ContentStore {
  readonly blobsDir: string;
  readonly ingestDir: string;

  constructor(readonly root: string) {
    this.blobsDir = join(root, 'blobs', 'sha256');
    this.ingestDir = join(root, 'ingest');
  }

  async init(): Promise<void> {
    await mkdir(this.blobsDir, { recursive: true });
    await mkdir(this.ingestDir, { recursive: true });
  }

  blobPath(digest: string): string {
    return join(this.blobsDir, digestHex(digest));
  }

  ingestPath(digest: string): string {
    return join(this.ingestDir, digestHex(digest));
  }

  async has(digest: string): Promise<boolean> {
    return stat(this.blobPath(digest)).then(
      () => true,
      () => false,
    );
  }

  async read(digest: string): Promise<Buffer> {
    return readFile(this.blobPath(digest));
  }

  /** Commits small content held in memory after checking it hashes to `digest`. */
  async writeVerified(digest: string, data: Buffer, source = digest): Promise<void> {
    const actual = sha256(data);
    if (actual !== digest) throw new DigestMismatchError(digest, actual, source);
    if (await this.has(digest)) return;
    await writeFileAtomic(this.blobPath(digest), data);
  }

  /**
   * Moves a finished ingest (or any file) into the store after verifying digest and size.
   * On mismatch the file is deleted, so a retry starts clean, and nothing is committed.
   */
  async commitFile(path: string, digest: string, size: number | undefined, source = digest, known?: { digest: string; size: number }): Promise<void> {
    const got = known ?? (await sha256File(path));
    if (got.digest !== digest || (size !== undefined && got.size !== size)) {
      await rm(path, { force: true });
      throw new DigestMismatchError(`${digest}${size !== undefined ? ` (${size} bytes)` : ''}`, `${got.digest} (${got.size} bytes)`, source);
    }
    await rename(path, this.blobPath(digest));
  }

  async list(): Promise<string[]> {
    const names = await readdir(this.blobsDir).catch(() => [] as string[]);
    return names.filter((n) => /^[a-f0-9]{64}$/.test(n)).map((n) => `sha256:${n}`);
  }

  async size(digest: string): Promise<number> {
    return (await stat(this.blobPath(digest))).size;
  }

  async delete(digest: string): Promise<void> {
    await rm(this.blobPath(digest), { force: true });
  }

  async clearIngest(): Promise<void> {
    await rm(this.ingestDir, { recursive: true, force: true });
    await mkdir(this.ingestDir, { recursive: true });
  }
}
