// Kubernetes' slowStartBatch: create in batches of 1, 2, 4, … so that a systematic failure
// (quota, bad template) costs one request rather than hundreds. Stops at the first batch
// with a failure and reports how many calls succeeded and were skipped.

export interface BatchResult {
  succeeded: number;
  /** Calls never made because an earlier batch failed. */
  skipped: number;
  errors: unknown[];
}

export async function slowStartBatch(count: number, initialBatch: number, fn: (index: number) => Promise<void>): Promise<BatchResult> {
  let remaining = count;
  let succeeded = 0;
  let index = 0;
  for (let batch = Math.min(remaining, initialBatch); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn(index++)));
    const errors = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    succeeded += batch - errors.length;
    remaining -= batch;
    if (errors.length) return { succeeded, skipped: remaining, errors };
  }
  return { succeeded, skipped: 0, errors: [] };
}
