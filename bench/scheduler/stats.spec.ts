import { quantile, runLimited } from './stats';

describe('quantile', () => {
  it.each([
    { samples: [5, 1, 3, 2, 4], q: 0.5, want: 3 },
    { samples: [5, 1, 3, 2, 4], q: 0.99, want: 5 },
    { samples: [5, 1, 3, 2, 4], q: 0, want: 1 },
    { samples: Array.from({ length: 100 }, (_, i) => i + 1), q: 0.99, want: 99 },
  ])('q=$q of $samples.length samples → $want', ({ samples, q, want }) => expect(quantile(samples, q)).toBe(want));

  it('is NaN without samples', () => expect(quantile([], 0.5)).toBeNaN());
});

describe('runLimited', () => {
  it('runs every job, never more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    const jobs = Array.from({ length: 20 }, (_, i) => async () => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setImmediate(r));
      running--;
      done.push(i);
    });
    await runLimited(jobs, 4);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(4);
  });
});
