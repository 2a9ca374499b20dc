import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './content-store';

/** One stored image: the digest its ref resolved to and the linux/amd64 manifest under it. */
export interface RefRecord {
  /** What the reference points at in the registry (an index or a manifest). */
  digest: string;
  /** The platform manifest actually used (equal to `digest` for single-platform images). */
  manifestDigest: string;
  /** When the ref was last pulled or imported (ISO 8601). */
  updated: string;
}

interface IndexFile {
  version: 1;
  refs: Record<string, RefRecord>;
}

/**
 * `<root>/index.json`: normalised ref → RefRecord. Every change rewrites the file atomically
 * (temp + rename), serialised through one promise chain so concurrent pulls cannot lose updates.
 */
export class RefIndex {
  private readonly path: string;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(root: string) {
    this.path = join(root, 'index.json');
  }

  async all(): Promise<Record<string, RefRecord>> {
    try {
      return ((JSON.parse(await readFile(this.path, 'utf8')) as IndexFile).refs ?? {}) as Record<string, RefRecord>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  async get(ref: string): Promise<RefRecord | undefined> {
    return (await this.all())[ref];
  }

  /** Applies `change` to the current map under the lock and writes the result. */
  update(change: (refs: Record<string, RefRecord>) => void): Promise<void> {
    const run = this.chain.then(async () => {
      const refs = await this.all();
      change(refs);
      const file: IndexFile = { version: 1, refs };
      await writeFileAtomic(this.path, JSON.stringify(file, null, 2) + '\n');
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}
