import { procState } from './launch';

describe('procState', () => {
  it.each([
    ['1234 (qemu-system-x86) S 1 1234 1234 0 -1', 'S'],
    ['99 (weird) name) Z 1 99', 'Z'],
    ['7 (sh) R 1', 'R'],
    ['garbage', undefined],
  ])('%s -> %s', (stat, want) => expect(procState(stat)).toBe(want));
});
