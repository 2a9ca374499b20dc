import { Quantity, addResourceLists, cpuMillis, formatBytes, formatCpuMillis, isQuantity, memoryBytes } from './quantity';

describe('Quantity parsing', () => {
  it.each([
    ['250m', 250_000_000n],
    ['1', 1_000_000_000n],
    ['1.5', 1_500_000_000n],
    ['.5', 500_000_000n],
    ['0.001', 1_000_000n],
    ['2e3', 2_000_000_000_000n],
    ['2E3', 2_000_000_000_000n],
    ['1e-3', 1_000_000n],
    ['64Mi', 64n * 1024n * 1024n * 1_000_000_000n],
    ['1Ki', 1024n * 1_000_000_000n],
    ['1G', 1_000_000_000n * 1_000_000_000n],
    ['1k', 1000n * 1_000_000_000n],
    ['5n', 5n],
    ['3u', 3000n],
    ['-1', -1_000_000_000n],
    ['+2', 2_000_000_000n],
    ['0', 0n],
    ['1.', 1_000_000_000n],
    ['1n', 1n],
    ['0.1n', 1n], // rounds up below one nano-unit
  ])('%s → %s nanos', (text, nanos) => {
    expect(Quantity.parse(text).nanos).toBe(nanos);
  });

  it.each(['', 'abc', '1Mb', '1 Mi', ' 1', '1..2', '1.2.3', 'Mi', '1KiB', '--1', '1e', 'e3', '1mi', '1K', '0x10', '1,5'])(
    'rejects %p',
    (text) => {
      expect(Quantity.tryParse(text)).toBeUndefined();
      expect(isQuantity(text)).toBe(false);
      expect(() => Quantity.parse(text)).toThrow(/quantities must match/);
    },
  );
});

describe('Quantity units', () => {
  it.each([
    ['250m', 250],
    ['1', 1000],
    ['1.5', 1500],
    ['2', 2000],
    ['0.0001', 1], // rounded up
    ['100u', 1],
    ['2e-3', 2],
  ])('cpuMillis(%s) = %d', (text, millis) => expect(cpuMillis(text)).toBe(millis));

  it.each([
    ['64Mi', 67_108_864],
    ['1G', 1_000_000_000],
    ['1Gi', 1_073_741_824],
    ['128974848', 128_974_848],
    ['129e6', 129_000_000],
    ['123Mi', 128_974_848],
    ['1.5Ki', 1536],
    ['500m', 1], // half a byte rounds up
  ])('memoryBytes(%s) = %d', (text, bytes) => expect(memoryBytes(text)).toBe(bytes));

  it('treats numbers and undefined', () => {
    expect(cpuMillis(2)).toBe(2000);
    expect(cpuMillis(undefined)).toBe(0);
    expect(memoryBytes(undefined)).toBe(0);
  });
});

describe('Quantity arithmetic and formatting', () => {
  it.each([
    ['1.5', '1500m'],
    ['1000m', '1'],
    ['2048Ki', '2Mi'],
    ['1536Ki', '1536Ki'],
    ['2e3', '2e3'],
    ['1000', '1k'],
    ['1G', '1G'],
    ['0', '0'],
    ['100m', '100m'],
    ['-250m', '-250m'],
    ['1024', '1024'], // a DecimalSI string stays decimal
  ])('canonical %s → %s', (text, canonical) => {
    expect(Quantity.parse(text).toString()).toBe(canonical);
  });

  it('adds and subtracts exactly', () => {
    const sum = Quantity.parse('100m').add(Quantity.parse('0.2')).add(Quantity.parse('700m'));
    expect(sum.millis).toBe(1000n);
    expect(sum.toString()).toBe('1');
    expect(Quantity.parse('1Gi').sub(Quantity.parse('512Mi')).toString()).toBe('512Mi');
    expect(Quantity.parse('1').cmp(Quantity.parse('999m'))).toBe(1);
    expect(Quantity.parse('1Ki').cmp(Quantity.parse('1024'))).toBe(0);
    expect(Quantity.parse('1k').cmp(Quantity.parse('1Ki'))).toBe(-1);
    expect(Quantity.parse('3').mul(3).toString()).toBe('9');
  });

  it('0.1 + 0.2 is exactly 0.3 (no float drift)', () => {
    expect(Quantity.parse('0.1').add(Quantity.parse('0.2')).cmp(Quantity.parse('0.3'))).toBe(0);
  });

  it('formats millis and bytes', () => {
    expect(formatCpuMillis(1500)).toBe('1500m');
    expect(formatCpuMillis(2000)).toBe('2');
    expect(formatBytes(64 * 1024 * 1024)).toBe('64Mi');
    expect(formatBytes(1000)).toBe('1000');
  });

  it('adds resource lists', () => {
    expect(addResourceLists({ cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '512Mi', pods: '3' })).toEqual({
      cpu: '1500m',
      memory: '1536Mi',
      pods: '3',
    });
  });
});
