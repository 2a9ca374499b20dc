import { shouldDefragment } from './compactor';

const MiB = 1024 * 1024;

describe('shouldDefragment', () => {
  it.each([
    ['a small file is never worth it', 10 * MiB, 1 * MiB, false],
    ['a big file that is mostly free space', 200 * MiB, 50 * MiB, true],
    ['a big file mostly in use', 200 * MiB, 150 * MiB, false],
    ['exactly half free at the minimum size', 64 * MiB, 32 * MiB, true],
    ['an empty report', 0, 0, false],
  ])('%s', (_name, size, inUse, want) => expect(shouldDefragment(size, inUse)).toBe(want));
});
