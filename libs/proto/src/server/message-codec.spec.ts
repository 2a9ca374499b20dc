// The generic codec on a test table with what node_agent.proto does not have yet (packed
// repeated numbers and bools, repeated bytes) against protobufjs parsing the same .proto,
// plus unknown fields and what it refuses.
import { IConversionOptions, parse, Type } from 'protobufjs';
import { Writer } from '../wire';
import { messageCodecs } from './message-codec';
import type { FieldSpec } from './schema';

const PROTO = `
syntax = "proto3";
package t;
message Inner { int32 n = 1; string s = 2; }
message All {
  repeated int64 i64 = 1;
  repeated uint64 u64 = 2;
  repeated int32 i32 = 3;
  repeated uint32 u32 = 4;
  repeated bool flags = 5;
  repeated string names = 6;
  repeated bytes blobs = 7;
  repeated Inner inners = 8;
  Inner one = 9;
  oneof choice { Inner picked = 10; int64 big = 11; }
  string snake_case_name = 12;
}
message Empty {}
`;
// The same fields, numbers and bools unpacked.
const UNPACKED = PROTO.replace(/(repeated (?:int64|uint64|int32|uint32|bool) \w+ = \d+)/g, '$1 [packed = false]');

const TABLE: Record<string, FieldSpec[]> = {
  Inner: [{ id: 1, name: 'n', type: 'int32' }, { id: 2, name: 's', type: 'string' }],
  All: [
    { id: 1, name: 'i64', type: 'int64', repeated: true },
    { id: 2, name: 'u64', type: 'uint64', repeated: true },
    { id: 3, name: 'i32', type: 'int32', repeated: true },
    { id: 4, name: 'u32', type: 'uint32', repeated: true },
    { id: 5, name: 'flags', type: 'bool', repeated: true },
    { id: 6, name: 'names', type: 'string', repeated: true },
    { id: 7, name: 'blobs', type: 'bytes', repeated: true },
    { id: 8, name: 'inners', type: 'Inner', repeated: true },
    { id: 9, name: 'one', type: 'Inner' },
    { id: 10, name: 'picked', type: 'Inner', oneof: 'choice' },
    { id: 11, name: 'big', type: 'int64', oneof: 'choice' },
    { id: 12, name: 'snakeCaseName', type: 'string' },
  ],
  Empty: [],
};

const OPTIONS: IConversionOptions = { longs: String, enums: String, defaults: true, oneofs: true };
/** A type as proto-loader has it: resolved, or protobufjs would not pack proto3's repeated numbers. */
function type(proto: string, name: string): Type {
  const { root } = parse(proto, { keepCase: false });
  root.resolveAll();
  return root.lookupType(`t.${name}`);
}
const packed = type(PROTO, 'All');
const unpacked = type(UNPACKED, 'All');
const codecs = messageCodecs(TABLE, 't');
const all = codecs.get('All')!;
const referenceBytes = (t: Type, o: object) => Buffer.from(t.encode(t.fromObject(o)).finish());
const referenceObject = (t: Type, bytes: Uint8Array) => t.toObject(t.decode(bytes), OPTIONS);

/** Same values and the same keys in the same order. */
function expectSame(actual: unknown, expected: unknown): void {
  expect(actual).toStrictEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

const examples: [string, object][] = [
  ['nothing', {}],
  ['every repeated kind', {
    i64: ['-1', 0, '9223372036854775807', 2 ** 53 + 2],
    u64: ['18446744073709551615', 1, 0],
    i32: [-1, 0, 2 ** 31 - 1, -(2 ** 31)],
    u32: [0, 4294967295, 300],
    flags: [true, false, true],
    names: ['a', '', 'ü日本🚀'],
    blobs: [Buffer.from('x'), Buffer.alloc(0), new Uint8Array([1, 2])],
    inners: [{ n: 1 }, {}, { s: 'z' }],
  }],
  ['one element each', { i64: [0], u64: [0], i32: [0], u32: [0], flags: [false] }],
  ['empty lists', { i64: [], names: [], inners: [] }],
  ['a message field and a oneof message', { one: { n: -5 }, picked: { s: 'p' }, snakeCaseName: 'snake' }],
  ['a oneof scalar at its default', { big: 0 }],
  ['both oneof members (written both, as protobufjs does)', { picked: {}, big: '7' }],
  ['the oneof name alone (ignored)', { choice: 'big' }],
  ['nulls and undefineds', { one: null, picked: undefined, snakeCaseName: null, names: null }],
  ['unknown properties (ignored)', { other: 1, n: 2 }],
];

describe('message codec on a test table', () => {
  it.each(examples)('%s: encodes as protobufjs (packed)', (_name, message) => {
    expect(all.encode(message).toString('hex')).toBe(referenceBytes(packed, message).toString('hex'));
  });

  it.each(examples)('%s: decodes packed and unpacked as protobufjs', (_name, message) => {
    for (const t of [packed, unpacked]) {
      const bytes = referenceBytes(t, message);
      expectSame(all.decode(bytes), referenceObject(t, bytes));
    }
  });

  it('decodes a field sent both packed and unpacked into one list, as protobufjs', () => {
    expect([referenceBytes(packed, { i32: [3] }).toString('hex'), referenceBytes(unpacked, { i32: [3] }).toString('hex')]).toEqual(['1a0103', '1803']);
    const bytes = Buffer.concat([referenceBytes(packed, { i32: [1, 2] }), referenceBytes(unpacked, { i32: [3] }), referenceBytes(packed, { i32: [-4] })]);
    expect(all.decode(bytes).i32).toEqual([1, 2, 3, -4]);
    expectSame(all.decode(bytes), referenceObject(packed, bytes));
  });

  it('takes the last of a field sent twice, and reads a Uint8Array as well as a Buffer', () => {
    const bytes = Buffer.concat([referenceBytes(packed, { one: { n: 1 }, snakeCaseName: 'a' }), referenceBytes(packed, { one: { s: 'b' }, snakeCaseName: 'c' })]);
    expectSame(all.decode(new Uint8Array(bytes)), referenceObject(packed, bytes));
  });

  // Unknown fields of every wire type, at the start, between fields and inside a nested message.
  const unknown = new Writer().uint(90, 7).varint((91 << 3) | 1).varint(0).varint(0).varint(0).varint(0).varint(0).varint(0).varint(0).varint(0)
    .bytes(92, 'skip me').varint((93 << 3) | 3).uint(1, 5).varint((93 << 3) | 4).varint((94 << 3) | 5).varint(1).varint(2).varint(3).varint(4).finish();
  it('skips unknown fields of every wire type, as protobufjs', () => {
    const inner = Buffer.concat([unknown, referenceBytes(type(PROTO, 'Inner'), { n: 3 })]);
    const bytes = Buffer.concat([unknown, referenceBytes(packed, { i64: ['5'] }), unknown, new Writer().bytes(9, inner).finish(), unknown]);
    expect(all.decode(bytes)).toMatchObject({ i64: ['5'], one: { n: 3, s: '' } });
    expectSame(all.decode(bytes), referenceObject(packed, bytes));
  });

  it('skips a known field that comes with another wire type (a message as a varint)', () => {
    expect(all.decode(new Writer().uint(9, 3).uint(12, 1).finish())).toMatchObject({ one: null, snakeCaseName: '' });
  });

  it('decodes a message without fields to {} and encodes anything as nothing, as protobufjs', () => {
    const empty = codecs.get('Empty')!;
    expect(empty.decode(unknown)).toStrictEqual(type(PROTO, 'Empty').toObject(type(PROTO, 'Empty').decode(unknown), OPTIONS));
    for (const value of [{}, 5, null, 'x']) expect(empty.encode(value)).toHaveLength(0);
  });

  it.each([
    ['not an object', 5, /t\.All: object expected/],
    ['a message field that is no object', { one: 'x' }, /t\.All\.one: object expected/],
    ['a repeated message element that is null', { inners: [null] }, /t\.All\.inners: object expected/],
    ['a repeated field that is no array', { names: 'a' }, /t\.All\.names: array expected/],
    ['an array', [], /expected object with All structure, got array instead/],
    ['a 64-bit field with text that is no integer', { big: '1e3' }, /invalid 64-bit integer/],
  ])('refuses to encode %s', (_name, message, error) => {
    expect(() => all.encode(message)).toThrow(error);
  });

  it.each([
    ['a truncated varint', '08ff'],
    ['a truncated length', '3205'],
    ['a truncated nested message', '4a0508'],
    ['an invalid wire type', '0f'],
  ])('refuses to decode %s', (_name, hex) => {
    expect(() => all.decode(Buffer.from(hex, 'hex'))).toThrow(/protobuf: /);
  });

  it('refuses a table naming an unknown type', () => {
    expect(() => messageCodecs({ A: [{ id: 1, name: 'b', type: 'B' }] }, 't')).toThrow(/\.t\.A\.b: unknown type B/);
  });
});
