import type { Logger } from 'pino';
import { WorkQueue } from './work-queue';

export interface RunWorkersOptions {
  /** Parallel workers; one key is still never processed by two at once. Default 1. */
  concurrency?: number;
  logger?: Pick<Logger, 'warn'>;
}

/**
 * The controller loop: take a key, reconcile it, forget it on success, re-queue it with
 * back-off on failure, mark it done. Resolves when the queue is shut down and drained.
 */
export async function runWorkers<K>(queue: WorkQueue<K>, reconcile: (key: K) => Promise<void>, options: RunWorkersOptions = {}): Promise<void> {
  const worker = async () => {
    for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
      try {
        await reconcile(key);
        queue.forget(key);
      } catch (error) {
        options.logger?.warn({ key, err: error, retries: queue.numRequeues(key) }, 'reconcile failed; retrying with back-off');
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 1 }, worker));
}
