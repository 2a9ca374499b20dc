import { age, humanDuration } from './age';

describe('humanDuration (kubectl)', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  it.each([
    [-5 * s, '<invalid>'],
    [-500, '0s'],
    [0, '0s'],
    [45 * s, '45s'],
    [119 * s, '119s'],
    [3 * m + 20 * s, '3m20s'],
    [5 * m, '5m'],
    [42 * m, '42m'],
    [5 * h + 30 * m, '5h30m'],
    [20 * h, '20h'],
    [2 * d + 3 * h, '2d3h'],
    [3 * d, '3d'],
    [40 * d, '40d'],
    [800 * d, '2y70d'],
    [9 * 365 * d, '9y'],
  ])('%p ms → %p', (ms, want) => expect(humanDuration(ms)).toBe(want));

  it('age of a timestamp; unknown when missing or malformed', () => {
    expect(age('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:01:30Z'))).toBe('90s');
    expect(age(undefined, 0)).toBe('<unknown>');
    expect(age('yesterday', 0)).toBe('<unknown>');
  });
});
