import { encodeFrame, FrameDecoder, parseTimeout } from './framing';
import { Status } from './status';

const frame = (text: string) => encodeFrame(Buffer.from(text));

describe('FrameDecoder', () => {
  const body = Buffer.concat([frame('hello'), frame(''), frame('world!')]);
  const cases: Array<{ name: string; chunks: Buffer[]; want: string[] }> = [
    { name: 'several messages in one DATA frame', chunks: [body], want: ['hello', '', 'world!'] },
    { name: 'one byte at a time', chunks: [...body].map((byte) => Buffer.from([byte])), want: ['hello', '', 'world!'] },
    { name: 'a header split across frames', chunks: [body.subarray(0, 3), body.subarray(3)], want: ['hello', '', 'world!'] },
    { name: 'a message split across frames, the next one started', chunks: [body.subarray(0, 8), body.subarray(8, 16), body.subarray(16)], want: ['hello', '', 'world!'] },
    { name: 'an incomplete message waits', chunks: [body.subarray(0, 9)], want: [] },
  ];
  it.each(cases)('$name', ({ chunks, want }) => {
    const decoder = new FrameDecoder();
    expect(chunks.flatMap((chunk) => decoder.push(chunk)).map(String)).toEqual(want);
  });

  const failures: Array<{ name: string; chunk: Buffer; max?: number; want: { code: Status; details: string } }> = [
    { name: 'a compressed message', chunk: Buffer.from([1, 0, 0, 0, 1, 9]), want: { code: Status.UNIMPLEMENTED, details: 'Received message compressed with unsupported encoding "gzip"' } },
    { name: 'a message over the limit, known from its header alone', chunk: Buffer.from([0, 0, 0, 0, 11]), max: 10, want: { code: Status.RESOURCE_EXHAUSTED, details: 'Received message larger than max (11 vs 10)' } },
  ];
  it.each(failures)('fails $name', ({ chunk, max, want }) => {
    expect(() => new FrameDecoder('gzip', max).push(chunk)).toThrow(expect.objectContaining(want));
  });
});

describe('parseTimeout', () => {
  it.each([
    ['100m', 100],
    ['5S', 5000],
    ['2M', 120_000],
    ['1H', 3_600_000],
    ['1500u', 1.5],
    ['99999999n', 99.999999],
    [undefined, undefined],
    ['soon', NaN],
    ['123456789m', NaN],
    ['-1S', NaN],
  ])('%s → %s ms', (value, want) => {
    expect(parseTimeout(value)).toBe(want);
  });
});
