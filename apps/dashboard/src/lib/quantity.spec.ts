import { formatBytes, formatCpu, parseQuantity, quantityOrZero, ratio } from './quantity';

describe('parseQuantity', () => {
  const cases: Array<{ name: string; input: string | number | undefined; want: number }> = [
    { name: 'millicores', input: '250m', want: 0.25 },
    { name: 'whole cores', input: '2', want: 2 },
    { name: 'fractional cores', input: '1.5', want: 1.5 },
    { name: 'binary Mi', input: '64Mi', want: 64 * 2 ** 20 },
    { name: 'binary Gi', input: '1Gi', want: 2 ** 30 },
    { name: 'decimal G', input: '1G', want: 1e9 },
    { name: 'kilo lowercase', input: '3k', want: 3000 },
    { name: 'exponent', input: '12e6', want: 12e6 },
    { name: 'nanocores', input: '1500000n', want: 0.0015 },
    { name: 'plain bytes', input: '25276502016', want: 25276502016 },
    { name: 'number passes through', input: 7, want: 7 },
  ];
  it.each(cases)('$name', ({ input, want }) => expect(parseQuantity(input)).toBeCloseTo(want, 9));

  it.each(['', 'abc', '1.2.3', '5Xi', undefined])('rejects %p', (input) => expect(parseQuantity(input)).toBeNaN());
  it('quantityOrZero turns junk into 0', () => expect(quantityOrZero('nope')).toBe(0));
});

describe('formatting', () => {
  it.each([
    [0, '0'],
    [0.25, '250m'],
    [0.0015, '2m'],
    [1, '1'],
    [1.5, '1.5'],
    [1.234, '1.23'],
    [0.1 * 10 - 1e-12, '1'],
    [0.0004, '0'],
  ])('formatCpu(%p) = %p', (cores, want) => expect(formatCpu(cores)).toBe(want));
  it.each([
    [0, '0'],
    [512, '512'],
    [64 * 2 ** 20, '64Mi'],
    [1.5 * 2 ** 30, '1.5Gi'],
    [3171300 * 1024, '3Gi'],
    [300 * 2 ** 20, '300Mi'],
  ])('formatBytes(%p) = %p', (bytes, want) => expect(formatBytes(bytes)).toBe(want));
  it('ratio guards against zero capacity', () => {
    expect(ratio(1, 0)).toBe(0);
    expect(ratio(1, 4)).toBe(0.25);
  });
});
