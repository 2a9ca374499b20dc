// Scalar coercions against what protobufjs does with the same values (its Long is long.js).
import type LongType from 'long';
import { util, Writer as PbWriter } from 'protobufjs';
import { Writer } from '../wire';
import { longBits, toBytes, writeVarint } from './scalars';

const Long = util.Long as unknown as typeof LongType;
const bits = (long: { low: number; high: number }) => (BigInt(long.high >>> 0) << 32n) | BigInt(long.low >>> 0);

describe('longBits: the 64 bits of Long.fromValue', () => {
  const values: [string, unknown][] = [
    ['0', 0],
    ['-0', -0],
    ['small number', 1700000000000],
    ['negative number', -1],
    ['2^53 + 2 number', 2 ** 53 + 2],
    ['2^63 number', 2 ** 63],
    ['2^64 number', 2 ** 64],
    ['-2^63 number', -(2 ** 63)],
    ['-2^70 number', -(2 ** 70)],
    ['fraction', 1.9],
    ['negative fraction', -1.9],
    ['large fraction', 4294967296.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['"0"', '0'],
    ['"-1"', '-1'],
    ['"2^53 + 1"', '9007199254740993'],
    ['"max int64"', '9223372036854775807'],
    ['"min int64"', '-9223372036854775808'],
    ['"max uint64"', '18446744073709551615'],
    ['"2^64" (wraps)', '18446744073709551616'],
    ['"leading zeros"', '000123'],
    ['bigint', 12345678901234567890n],
    ['negative bigint', -5n],
    ['Long-like', { low: -1, high: 0x7fffffff }],
    ['true', true],
  ];
  const cases = values.flatMap(([name, value]) => [false, true].map((unsigned) => ({ name, value, unsigned })));
  it.each(cases)('$name, unsigned $unsigned', ({ value, unsigned }) => {
    const expected = bits(Long.fromValue(value as never, unsigned));
    expect(BigInt.asUintN(64, longBits(value, unsigned))).toBe(expected);
  });

  it.each(['', '1e3', '0x10', '12abc', ' 5', '--1', '1-'])('refuses %j, which is no decimal integer', (value) => {
    expect(() => longBits(value, false)).toThrow(TypeError);
  });
});

describe('writeVarint: as protobufjs writes the value fromObject made', () => {
  const cases: { type: 'bool' | 'int32' | 'uint32' | 'int64' | 'uint64'; value: unknown; write: (w: PbWriter) => PbWriter }[] = [
    { type: 'bool', value: true, write: (w) => w.bool(true) },
    { type: 'bool', value: 0, write: (w) => w.bool(false) },
    { type: 'bool', value: 'x', write: (w) => w.bool(true) },
    { type: 'int32', value: -1, write: (w) => w.int32(-1) },
    { type: 'int32', value: -(2 ** 31), write: (w) => w.int32(-(2 ** 31)) },
    { type: 'int32', value: 2 ** 31, write: (w) => w.int32(2 ** 31 | 0) },
    { type: 'int32', value: '42', write: (w) => w.int32(42) },
    { type: 'int32', value: 1.5, write: (w) => w.int32(1) },
    { type: 'uint32', value: -1, write: (w) => w.uint32(2 ** 32 - 1) },
    { type: 'uint32', value: 2 ** 32 + 5, write: (w) => w.uint32(5) },
    { type: 'int64', value: -1, write: (w) => w.int64(-1) },
    { type: 'int64', value: '18446744073709551615', write: (w) => w.int64(Long.fromString('18446744073709551615')) },
    { type: 'uint64', value: -1, write: (w) => w.uint64(0) },
    { type: 'uint64', value: '18446744073709551615', write: (w) => w.uint64(Long.fromString('18446744073709551615', true)) },
  ];
  it.each(cases)('$type $value', ({ type, value, write }) => {
    const w = new Writer();
    writeVarint(w, type, value);
    expect(w.finish().toString('hex')).toBe(Buffer.from(write(PbWriter.create()).finish()).toString('hex'));
  });
});

describe('toBytes: what fromObject keeps of a bytes value', () => {
  const view = Buffer.from('xxhelloxx').subarray(2, 7);
  it.each([
    ['a Buffer, as is', view, 'hello'],
    ['a Uint8Array view', new Uint8Array(view.buffer, view.byteOffset, view.length), 'hello'],
    ['base64 text', Buffer.from('hello').toString('base64'), 'hello'],
    ['an array of bytes', [104, 105], 'hi'],
    ['an empty string', '', ''],
  ])('%s', (_name, value, text) => {
    expect(toBytes(value)!.toString()).toBe(text);
    expect(Buffer.isBuffer(toBytes(value))).toBe(true);
  });

  it.each([5, true, {}])('nothing for %j (fromObject leaves the field unset)', (value) => {
    expect(toBytes(value)).toBeUndefined();
  });
});
