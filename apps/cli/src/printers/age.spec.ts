import { age, humanDuration } from './age';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration (kubectl AGE)', () => {
  it.each([
    ['3 s in the future is invalid', -3 * s, '<invalid>'],
    ['1 s in the future is now', -1 * s, '0s'],
    ['zero', 0, '0s'],
    ['seconds up to 2 minutes', 119 * s, '119s'],
    ['2 minutes exactly', 2 * m, '2m'],
    ['minutes and seconds under 10 minutes', 3 * m + 20 * s, '3m20s'],
    ['seconds dropped from 10 minutes', 10 * m + 59 * s, '10m'],
    ['minutes up to 3 hours', 179 * m, '179m'],
    ['hours and minutes under 8 hours', 5 * h + 10 * m, '5h10m'],
    ['whole hours under 8 hours', 3 * h, '3h'],
    ['hours up to 48', 47 * h + 59 * m, '47h'],
    ['days and hours under 8 days', 3 * d + 4 * h, '3d4h'],
    ['whole days', 2 * d, '2d'],
    ['days up to 2 years', 400 * d, '400d'],
    ['years and days under 8 years', 2 * 365 * d + 30 * d, '2y30d'],
    ['whole years', 3 * 365 * d, '3y'],
    ['years beyond 8', 9 * 365 * d + 100 * d, '9y'],
  ])('%s', (_name, ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });

  it.each([
    ['missing', undefined, '<unknown>'],
    ['garbage', 'yesterday', '<unknown>'],
    ['RFC 3339', '2025-06-01T11:57:30Z', '2m30s'],
  ])('age of a %s timestamp', (_name, ts, want) => {
    expect(age(ts, new Date('2025-06-01T12:00:00Z'))).toBe(want);
  });
});
