// Tells when a running container's shim writes its exit record, so the agent can relist on
// change instead of every second (the kubelet's Evented PLEG, with inotify for the CRI event
// stream). One inotify watch per running container's directory, all on libuv's single inotify
// descriptor: the kernel does the waiting, an idle container costs no work at all.
import { existsSync, watch } from 'node:fs';
import { join } from 'node:path';

export const EXIT_RECORD = 'exit.json';

/** What the watch needs of an fs.FSWatcher. */
export interface DirWatcher {
  close(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** fs.watch's shape, injectable so a spec can drive events and failures. */
export type WatchDir = (dir: string, onEvent: (filename: string | null) => void) => DirWatcher;

const watchDir: WatchDir = (dir, onEvent) => watch(dir, { persistent: false }, (_event, filename) => onEvent(filename === null ? null : String(filename)));

export class ExitWatch {
  private readonly watches = new Map<string, DirWatcher>();
  /** Running containers whose directory could not be watched (inotify's limit, a vanished dir). */
  private readonly unwatched = new Set<string>();
  private readonly listeners = new Set<(id: string) => void>();

  constructor(private readonly watchFn: WatchDir = watchDir) {}

  /** `listener(id)` after a watched container's exit record appears (maybe more than once). */
  onExit(listener: (id: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** True when every running container is watched: no exit can go unnoticed. */
  complete(): boolean {
    return this.unwatched.size === 0;
  }

  /** Watches exactly these running containers (id → directory); drops the rest's watches. */
  track(running: Map<string, string>): void {
    for (const [id, w] of this.watches) if (!running.has(id)) this.drop(id, w);
    for (const id of this.unwatched) if (!running.has(id)) this.unwatched.delete(id);
    for (const [id, dir] of running) if (!this.watches.has(id)) this.add(id, dir);
  }

  /** Stops every watch (the driver's owner is shutting down). */
  close(): void {
    for (const [id, w] of this.watches) this.drop(id, w);
    this.unwatched.clear();
  }

  private add(id: string, dir: string): void {
    try {
      const w = this.watchFn(dir, (filename) => {
        // The shim writes exit.json.tmp and renames it: only the rename puts the record where a
        // relist reads it (hearing of the temporary file let a relist still see it running).
        if (filename === null || filename === EXIT_RECORD) this.emit(id);
      });
      // A watch can fail later too (its directory removed under it): then it no longer promises anything.
      w.on('error', () => {
        this.drop(id, w);
        this.unwatched.add(id);
      });
      this.watches.set(id, w);
      this.unwatched.delete(id);
    } catch {
      this.unwatched.add(id);
      return;
    }
    // It may have exited between the observation that saw it running and the watch.
    if (existsSync(join(dir, EXIT_RECORD))) this.emit(id);
  }

  private drop(id: string, w: DirWatcher): void {
    this.watches.delete(id);
    try {
      w.close();
    } catch {
      /* already closed */
    }
  }

  private emit(id: string): void {
    for (const listener of this.listeners) listener(id);
  }
}
