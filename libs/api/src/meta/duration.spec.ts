import { parseDuration } from './duration';

describe('parseDuration (Go durations as Kubernetes flags take them)', () => {
  it.each([
    ['500ms', 500],
    ['20s', 20_000],
    ['5m', 300_000],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
    ['1.5s', 1500],
    ['15', 15_000],
    ['0', 0],
  ])('%s → %p ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'abc', '5x', '5m junk', '-1s'])('rejects %p', (text) => expect(() => parseDuration(text)).toThrow(/invalid duration/));
});
