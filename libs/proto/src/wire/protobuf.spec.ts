// The wire primitives against protobufjs' Writer and Reader (etcd's messages are covered by
// apps/apiserver/src/storage/etcd-kv/messages.spec.ts).
import { Reader as PbReader, Writer as PbWriter } from 'protobufjs';
import { Reader, Writer } from './protobuf';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('Writer.varint64', () => {
  it.each([
    ['0', 0n],
    ['1', 1n],
    ['127', 127n],
    ['128', 128n],
    ['2^53 - 1', 2n ** 53n - 1n],
    ['2^53 + 1', 2n ** 53n + 1n],
    ['2^63', 2n ** 63n],
    ['2^64 - 1', 2n ** 64n - 1n],
    ['2^64 (wraps to 0)', 2n ** 64n],
    ['-1', -1n],
    ['-2^63', -(2n ** 63n)],
  ])('%s: as protobufjs writes a uint64', (_name, value) => {
    const expected = PbWriter.create().uint64(BigInt.asUintN(64, value).toString()).finish();
    expect(hex(new Writer(1).varint64(value).finish())).toBe(hex(expected));
  });
});

describe('Reader', () => {
  it.each([
    ['0', '00', 0, 0n],
    ['300', 'ac02', 300, 300n],
    ['2^32 - 1', 'ffffffff0f', 2 ** 32 - 1, 2n ** 32n - 1n],
    ['2^32 (low 32 bits are 0)', '8080808010', 0, 2n ** 32n],
    ['-1 as int32 (ten bytes)', 'ffffffffffffffffff01', 2 ** 32 - 1, 2n ** 64n - 1n],
    ['2^53 + 1', '8180808080808010', 1, 2n ** 53n + 1n],
  ])('%s: uint32 and varint64 as protobufjs reads them', (_name, bytes, low, all) => {
    const buf = Buffer.from(bytes, 'hex');
    expect(new Reader(buf).uint32()).toBe(low);
    // (protobufjs' uint32 takes a varint past 5 bytes to be 10 long, as a negative int32's is)
    if (buf.length <= 5 || buf.length === 10) expect(new Reader(buf).uint32()).toBe(PbReader.create(buf).uint32());
    expect(new Reader(buf).varint64()).toBe(all);
    expect(new Reader(buf).varint64().toString()).toBe(PbReader.create(buf).uint64().toString());
  });

  it.each([
    ['truncated varint', '80', /truncated varint/],
    ['eleven-byte varint', 'ffffffffffffffffffff01', /longer than 10 bytes/],
  ])('%s: refused', (_name, bytes, error) => {
    expect(() => new Reader(Buffer.from(bytes, 'hex')).uint32()).toThrow(error);
    expect(() => new Reader(Buffer.from(bytes, 'hex')).varint64()).toThrow(error);
  });

  // Each field then a varint field 9 = 1, which must be read next.
  it.each([
    ['varint', '08ffffffffffffffffff01'],
    ['fixed64', '090102030405060708'],
    ['length-delimited', '12026869'],
    ['group with nested fields and groups', '1b' + '0801' + '2b' + '0802' + '2c' + '1c'],
    ['empty group', '1b1c'],
    ['fixed32', '1d01020304'],
  ])('skips a %s field', (_name, field) => {
    const r = new Reader(Buffer.from(field + '4801', 'hex'));
    const [, wireType] = r.tag();
    r.skip(wireType);
    expect(r.tag()).toEqual([9, 0]);
    expect(r.varint()).toBe(1);
    expect(r.done()).toBe(true);
  });

  it.each([
    ['fixed64', '090102'],
    ['length-delimited', '120568'],
    ['fixed32', '1d01'],
    ['group without its end', '1b0801'],
    ['end group alone', '0c'],
    ['wire type 6', '0e'],
  ])('refuses a truncated or invalid %s field', (_name, field) => {
    const r = new Reader(Buffer.from(field, 'hex'));
    const [, wireType] = r.tag();
    expect(() => r.skip(wireType)).toThrow(/protobuf: /);
  });
});
