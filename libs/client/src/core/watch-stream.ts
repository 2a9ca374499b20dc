import { ndjsonLines, parseWatchLine } from './watch-parser';
import { KubeObject, WatchEvent } from './types';

/**
 * An open watch. Iterate it for events; stop() (or aborting the caller's signal) ends the
 * iteration quietly. The iteration throws ApiError on an ERROR event (410 → relist) and
 * ends normally when the server closes the stream (timeoutSeconds) — resume from the last
 * resourceVersion seen.
 */
export class WatchStream<T extends KubeObject = KubeObject> implements AsyncIterable<WatchEvent<T>> {
  private iterated = false;

  constructor(
    private readonly body: AsyncIterable<Uint8Array> & { destroy(): void },
    private readonly controller: AbortController,
  ) {}

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  stop(): void {
    if (!this.controller.signal.aborted) this.controller.abort(new Error('watch stopped'));
    this.body.destroy();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<WatchEvent<T>> {
    if (this.iterated) throw new Error('a watch stream can be iterated only once');
    this.iterated = true;
    try {
      for await (const line of ndjsonLines(this.body)) {
        if (this.stopped) return;
        yield parseWatchLine<T>(line);
      }
    } catch (error) {
      if (this.stopped) return;
      throw error;
    } finally {
      this.stop();
    }
  }

  /**
   * Callback style: delivers each event to `onEvent` until the stream ends. Resolves when
   * it ends or is stopped; rejects with the error that ended it.
   */
  async forEach(onEvent: (event: WatchEvent<T>) => void | Promise<void>): Promise<void> {
    for await (const event of this) await onEvent(event);
  }
}
