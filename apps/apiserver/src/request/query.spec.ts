import { parseQueryBool, queryBool } from './query';

describe('parseQueryBool (Kubernetes Convert_Slice_string_To_bool)', () => {
  it.each([
    [null, false],
    [undefined, false],
    ['0', false],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    ['fAlSe', false],
    ['1', true],
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['t', true],
    ['T', true],
    ['', true],
    ['yes', true],
    ['f', true], // only "0" and "false" mean false; Go's ParseBool differs here, the API server does not use it
  ])('%p → %p', (value, want) => {
    expect(parseQueryBool(value)).toBe(want);
  });

  it('reads the first value of a repeated parameter', () => {
    expect(queryBool(new URLSearchParams('watch=0&watch=1'), 'watch')).toBe(false);
    expect(queryBool(new URLSearchParams('watch=True&watch=0'), 'watch')).toBe(true);
    expect(queryBool(new URLSearchParams('other=1'), 'watch')).toBe(false);
  });
});
