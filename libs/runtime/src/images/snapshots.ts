import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, readlink, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestHex } from './content-store';
import { Descriptor } from './manifest';
import { DEFAULT_LAYER_LIMITS, LayerLimits, unpackLayer } from './unpack';
import { LayerProbe, resolveInLayers } from './whiteouts';

interface SnapshotMeta {
  digest: string;
  diffId: string;
  whiteouts: string[];
  opaques: string[];
}

/**
 * One unpacked directory per layer blob: `<root>/snapshots/<hex>/fs` is the overlay lower
 * dir, `meta.json` beside it records its whiteouts. A layer is unpacked into a temp dir and
 * renamed into place, so an existing snapshot dir is always complete, and concurrent
 * requests for the same layer share one unpack.
 */
export class Snapshotter {
  readonly dir: string;
  private readonly inflight = new Map<string, Promise<void>>();
  private readonly metas = new Map<string, SnapshotMeta>();

  constructor(root: string, private readonly limits: LayerLimits = DEFAULT_LAYER_LIMITS) {
    this.dir = join(root, 'snapshots');
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** Lower dir relative to `this.dir` (keeps overlay mount options short). */
  relativeFs(digest: string): string {
    return `${digestHex(digest)}/fs`;
  }

  fsPath(digest: string): string {
    return join(this.dir, this.relativeFs(digest));
  }

  async has(digest: string): Promise<boolean> {
    return lstat(join(this.dir, digestHex(digest), 'meta.json')).then(
      () => true,
      () => false,
    );
  }

  ensure(layer: Descriptor, blobPath: string, diffId: string | undefined): Promise<void> {
    const key = layer.digest;
    const running = this.inflight.get(key);
    if (running) return running;
    const job = (async () => {
      if (await this.has(key)) return;
      const tmp = join(this.dir, `.tmp-${digestHex(key)}-${randomBytes(4).toString('hex')}`);
      try {
        const found = await unpackLayer(blobPath, layer.mediaType, join(tmp, 'fs'), diffId, this.limits);
        const meta: SnapshotMeta = { digest: key, diffId: found.diffId, whiteouts: found.whiteouts, opaques: found.opaques };
        await writeFile(join(tmp, 'meta.json'), JSON.stringify(meta));
        await rename(tmp, join(this.dir, digestHex(key))).catch(async (error) => {
          // Another process finished the same layer first; theirs is as good as ours.
          if (!(await this.has(key))) throw error;
        });
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    })();
    this.inflight.set(key, job);
    job.then(
      () => this.inflight.delete(key),
      () => this.inflight.delete(key),
    );
    return job;
  }

  async meta(digest: string): Promise<SnapshotMeta> {
    let m = this.metas.get(digest);
    if (!m) {
      m = JSON.parse(await readFile(join(this.dir, digestHex(digest), 'meta.json'), 'utf8')) as SnapshotMeta;
      this.metas.set(digest, m);
    }
    return m;
  }

  /** Layer digests that have a complete snapshot. */
  async list(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => /^[a-f0-9]{64}$/.test(n)).map((n) => `sha256:${n}`);
  }

  async remove(digest: string): Promise<void> {
    this.metas.delete(digest);
    await rm(join(this.dir, digestHex(digest)), { recursive: true, force: true });
  }

  /** Leftovers of unpacks that died half-way. */
  async removeTemps(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => n.startsWith('.tmp-')).map((n) => rm(join(this.dir, n), { recursive: true, force: true })));
  }

  /**
   * Host path of `path` inside the image made of `layers` (bottom first, as in the manifest),
   * following symlinks within the image; the top-most layer wins and whiteouts hide.
   */
  async resolvePath(layers: string[], path: string): Promise<string | undefined> {
    const top = [...layers].reverse();
    const metas = await Promise.all(top.map((d) => this.meta(d)));
    const opaque = metas.map((m) => new Set(m.opaques));
    const probe = async (i: number, p: string): Promise<LayerProbe> => {
      const abs = join(this.fsPath(top[i]), p);
      const st = await lstat(abs).catch(() => undefined);
      if (!st) return { type: 'missing' };
      if (st.isCharacterDevice() && st.rdev === 0) return { type: 'whiteout' };
      if (st.isDirectory()) return { type: 'dir', opaque: opaque[i].has(p) };
      if (st.isSymbolicLink()) return { type: 'symlink', target: await readlink(abs) };
      return { type: 'file' };
    };
    const hit = await resolveInLayers(top.length, path, probe);
    return hit ? join(this.fsPath(top[hit.layer]), hit.path) : undefined;
  }
}
