import { claimDiskBytes } from './vm-claim-disk';

const MI = 1024 * 1024;

describe('claimDiskBytes', () => {
  it.each<[string, number, number, number]>([
    ['capacity less 5.5% overhead, whole MiB', 100 * MI, 99 * MI, 94 * MI],
    ['never more than the free space', 100 * MI, 50 * MI + 123, 50 * MI],
    ['nothing free', 100 * MI, 0, 0],
  ])('%s', (_name, capacity, free, want) => {
    expect(claimDiskBytes(capacity, free)).toBe(want);
  });
});
