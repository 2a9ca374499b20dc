import { isConflict } from './api-error';
import { Clock, realClock, sleep } from './clock';

export interface RetryOnConflictOptions {
  /** Attempts in total. Default 5 (client-go's DefaultRetry). */
  steps?: number;
  /** First pause; grows ×factor with ±jitter. Defaults 10 ms, ×1, 0.1 jitter. */
  delayMs?: number;
  factor?: number;
  jitter?: number;
  clock?: Clock;
  random?: () => number;
}

/**
 * Runs a read-modify-write `fn` again while it fails with 409 Conflict (someone else
 * updated the object first), like client-go's retry.RetryOnConflict. `fn` must re-read the
 * object each time. Other errors, and the last conflict, are thrown.
 */
export async function retryOnConflict<T>(fn: () => Promise<T>, options: RetryOnConflictOptions = {}): Promise<T> {
  const { steps = 5, delayMs = 10, factor = 1, jitter = 0.1, clock = realClock, random = Math.random } = options;
  let delay = delayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isConflict(error) || attempt >= steps) throw error;
      await sleep(clock, delay * (1 + jitter * random()));
      delay *= factor;
    }
  }
}
