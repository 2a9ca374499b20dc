import { compareStrings } from './compare';

describe('compareStrings', () => {
  it.each([
    ['a', 'b', -1],
    ['b', 'a', 1],
    ['a', 'a', 0],
    ['B', 'a', -1], // code-unit order: upper case first, unlike a locale collator
    ['a', 'ab', -1],
    ['10.0.0.9', '10.0.0.10', 1],
    ['', 'a', -1],
  ])('%j vs %j → %d', (a, b, expected) => {
    expect(compareStrings(a, b)).toBe(expected);
  });
});
