import { slowStartBatch } from './batch';

describe('slowStartBatch', () => {
  it.each([
    { name: 'all succeed in growing batches', count: 7, failAt: [], want: { succeeded: 7, skipped: 0, errors: 0 }, batches: [1, 2, 4] },
    { name: 'first call fails: nothing else is tried', count: 10, failAt: [0], want: { succeeded: 0, skipped: 9, errors: 1 }, batches: [1] },
    { name: 'failure in the third batch stops there', count: 10, failAt: [4], want: { succeeded: 6, skipped: 3, errors: 1 }, batches: [1, 2, 4] },
    { name: 'zero calls', count: 0, failAt: [], want: { succeeded: 0, skipped: 0, errors: 0 }, batches: [] },
  ])('$name', async ({ count, failAt, want, batches }) => {
    const seen: number[] = [];
    let inFlight = 0;
    const sizes: number[] = [];
    const result = await slowStartBatch(count, 1, async (i) => {
      seen.push(i);
      inFlight++;
      if (inFlight === 1) sizes.push(0);
      sizes[sizes.length - 1]++;
      await Promise.resolve();
      inFlight--;
      if ((failAt as number[]).includes(i)) throw new Error(`boom ${i}`);
    });
    expect({ succeeded: result.succeeded, skipped: result.skipped, errors: result.errors.length }).toEqual(want);
    expect(sizes).toEqual(batches);
  });
});
