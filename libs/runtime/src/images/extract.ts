import { closeSync, constants, fchmodSync, fchownSync, futimesSync, linkSync, lchownSync, lstatSync, lutimesSync, mkdirSync, openSync, rmSync, symlinkSync, writeSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { Parser, ReadEntry } from 'tar';
import { LayerEntryPlan, planLayerEntry } from './layer-entry';

/** Why extraction stopped; the caller turns it into a pull error. */
export class ExtractRefused extends Error {}

/** Whiteouts and FIFOs are materialised after the stream (they need mknod/setfattr). */
export interface ExtractResult {
  whiteouts: string[];
  opaques: string[];
  fifos: Array<{ path: string; mode: number; uid: number; gid: number }>;
}

export interface ExtractOptions {
  /** Bytes of file content the layer may write in total. */
  maxFileBytes: number;
}

const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Writes the entries of an uncompressed layer stream into `root`, on top of node-tar's
 * parser (only the tar format comes from the library; every filesystem write is ours).
 *
 * Why not tar's Unpack: its defaults rewrite absolute symlinks and drop climbing ones. Here
 * symlinks are written exactly as in the layer and never followed while unpacking: every
 * parent directory of an entry (and of a hard link's target) is checked with lstat to be a
 * real directory, files are opened O_NOFOLLOW|O_EXCL, and metadata is set on the open
 * descriptor or with l* calls. Writes are synchronous per entry, so an entry is complete
 * before the parser hands over the next one (no symlink-then-write-through-it race).
 */
export class LayerExtractor {
  readonly result: ExtractResult = { whiteouts: [], opaques: [], fifos: [] };
  private failure: Error | undefined;
  private written = 0;
  /** Clean relative paths known to be real directories in `root`. */
  private readonly dirs = new Set<string>(['']);
  private readonly dirTimes: Array<[string, Date]> = [];
  readonly parser: Parser;

  constructor(private readonly root: string, private readonly options: ExtractOptions) {
    this.parser = new Parser({ onReadEntry: (entry) => this.onEntry(entry) });
  }

  get error(): Error | undefined {
    return this.failure;
  }

  /** Feeds uncompressed layer bytes; resolves once the parser can take more. */
  async write(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.parser.write(chunk)) await new Promise<void>((resolve) => this.parser.once('drain', () => resolve()));
    if (this.failure) throw this.failure;
  }

  async end(): Promise<ExtractResult> {
    await new Promise<void>((resolve) => {
      this.parser.once('end', () => resolve());
      this.parser.end();
    });
    if (this.failure) throw this.failure;
    // Directory times last: creating their children changed them. lutimes never follows a link.
    for (const [path, mtime] of this.dirTimes.reverse()) {
      if (this.isRealDir(path)) lutimesSync(join(this.root, path), mtime, mtime);
    }
    return this.result;
  }

  private fail(error: unknown): void {
    this.failure ??= error instanceof Error ? error : new Error(String(error));
  }

  private onEntry(entry: ReadEntry): void {
    if (this.failure) {
      entry.resume();
      return;
    }
    try {
      const plan = planLayerEntry({ path: entry.path, type: entry.type, linkpath: entry.linkpath });
      this.apply(plan, entry);
    } catch (error) {
      this.fail(error);
      entry.resume();
    }
  }

  private apply(plan: LayerEntryPlan, entry: ReadEntry): void {
    const mode = (entry.mode ?? 0o644) & 0o7777;
    const uid = entry.uid ?? 0;
    const gid = entry.gid ?? 0;
    const mtime = entry.mtime ?? new Date(0);
    switch (plan.op) {
      case 'reject':
        throw new ExtractRefused(plan.reason);
      case 'skip':
        entry.resume();
        return;
      case 'whiteout':
        this.ensureParents(plan.path);
        this.result.whiteouts.push(plan.path);
        entry.resume();
        return;
      case 'opaque':
        this.ensureParents(plan.dir + '/x');
        this.result.opaques.push(plan.dir);
        entry.resume();
        return;
      case 'dir': {
        const abs = join(this.root, plan.path);
        if (plan.path !== '') {
          this.ensureParents(plan.path);
          if (!this.isRealDir(plan.path)) {
            this.clear(plan.path);
            mkdirSync(abs, { mode: 0o700 });
          }
          this.dirs.add(plan.path);
        }
        lchownSync(abs, uid, gid);
        chmodSync(abs, mode);
        this.dirTimes.push([plan.path, mtime]);
        entry.resume();
        return;
      }
      case 'symlink': {
        const abs = this.replace(plan.path);
        symlinkSync(plan.target, abs);
        lchownSync(abs, uid, gid);
        lutimesSync(abs, mtime, mtime);
        entry.resume();
        return;
      }
      case 'hardlink': {
        this.ensureParents(plan.target, false);
        const source = join(this.root, plan.target);
        const st = lstatSync(source, { throwIfNoEntry: false });
        if (!st) throw new ExtractRefused(`hard link "${plan.path}" points at "${plan.target}", which the layer does not contain`);
        if (st.isDirectory()) throw new ExtractRefused(`hard link "${plan.path}" points at directory "${plan.target}"`);
        // link(2) does not follow a symlink in its last component, and the parents were checked.
        linkSync(source, this.replace(plan.path));
        entry.resume();
        return;
      }
      case 'fifo':
        this.replace(plan.path);
        this.result.fifos.push({ path: plan.path, mode, uid, gid });
        entry.resume();
        return;
      case 'file':
        this.writeFile(plan.path, entry, { mode, uid, gid, mtime });
        return;
    }
  }

  private writeFile(path: string, entry: ReadEntry, meta: { mode: number; uid: number; gid: number; mtime: Date }): void {
    const fd = openSync(this.replace(path), WRITE_FLAGS, 0o600);
    let open = true;
    const close = () => {
      if (open) closeSync(fd);
      open = false;
    };
    entry.on('data', (chunk: Buffer) => {
      if (this.failure) return;
      try {
        this.written += chunk.length;
        if (this.written > this.options.maxFileBytes) throw new ExtractRefused(`file content exceeds ${this.options.maxFileBytes} bytes`);
        writeSync(fd, chunk);
      } catch (error) {
        this.fail(error);
        close();
      }
    });
    entry.on('end', () => {
      if (!open) return;
      try {
        // chown before chmod: chown(2) clears setuid/setgid.
        fchownSync(fd, meta.uid, meta.gid);
        fchmodSync(fd, meta.mode);
        futimesSync(fd, meta.mtime, meta.mtime);
      } catch (error) {
        this.fail(error);
      } finally {
        close();
      }
    });
  }

  /** Makes `path` free for a new non-directory entry (a later entry replaces an earlier one). */
  private replace(path: string): string {
    this.ensureParents(path);
    this.clear(path);
    return join(this.root, path);
  }

  private clear(path: string): void {
    const abs = join(this.root, path);
    const st = lstatSync(abs, { throwIfNoEntry: false });
    if (!st) return;
    // rmSync never follows a symlink it removes; the parents were checked to be real dirs.
    rmSync(abs, { recursive: st.isDirectory(), force: true });
    for (const d of [...this.dirs]) if (d === path || d.startsWith(path + '/')) this.dirs.delete(d);
  }

  private isRealDir(path: string): boolean {
    if (this.dirs.has(path)) return true;
    const st = lstatSync(join(this.root, path), { throwIfNoEntry: false });
    return !!st?.isDirectory();
  }

  /**
   * Every proper ancestor of `path` must be a real directory (created 0755 root-owned when
   * missing, as tar does for implicit parents). A symlink or file there is refused: writing
   * through it could land anywhere, including on the host.
   */
  private ensureParents(path: string, create = true): void {
    const parts = path.split('/');
    let at = '';
    for (const part of parts.slice(0, -1)) {
      at = at ? `${at}/${part}` : part;
      if (this.dirs.has(at)) continue;
      const st = lstatSync(join(this.root, at), { throwIfNoEntry: false });
      if (!st) {
        if (!create) throw new ExtractRefused(`"${path}": parent "${at}" does not exist`);
        mkdirSync(join(this.root, at), { mode: 0o755 });
      } else if (st.isSymbolicLink()) {
        throw new ExtractRefused(`"${path}" would be written through symlink "${at}"`);
      } else if (!st.isDirectory()) {
        throw new ExtractRefused(`"${path}": parent "${at}" is not a directory`);
      }
      this.dirs.add(at);
    }
  }
}
