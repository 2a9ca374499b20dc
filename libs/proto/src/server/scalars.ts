// One scalar field's value on the wire, taken as protobufjs' fromObject takes it (the
// coercions of its generated code: `String(v)`, `v | 0`, `v >>> 0`, long.js for 64 bits) and
// given back as its toObject gives it with proto-loader's options (longs: String, bytes as
// Buffer, defaults for absent fields).
import { Reader, Writer } from '../wire';
import type { ScalarType } from './schema';

export const WIRE_TYPE: Record<ScalarType, number> = { string: 2, bytes: 2, bool: 0, int32: 0, uint32: 0, int64: 0, uint64: 0 };

/** What toObject (defaults: true) gives for a scalar absent from the wire; bytes get a fresh Buffer each. */
export const DEFAULT: Record<Exclude<ScalarType, 'bytes'>, unknown> = { string: '', bool: false, int32: 0, uint32: 0, int64: '0', uint64: '0' };

const TWO_63 = 2 ** 63;
const TWO_64 = 2 ** 64;

/**
 * The 64 bits long.js' Long.fromValue makes of a 64-bit field's value: a number clamped to the
 * field's range and truncated (NaN is 0), a decimal string taken modulo 2^64, a bigint, or a
 * Long-like {low, high}. Strings that are not decimal integers are refused, where long.js
 * would parse what parseInt makes of them (the agent sends numbers or decimal strings).
 */
export function longBits(value: unknown, unsigned: boolean): bigint {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 0n;
    if (unsigned ? value < 0 : value <= -TWO_63) return unsigned ? 0n : -(2n ** 63n);
    if (unsigned ? value >= TWO_64 : value + 1 >= TWO_63) return unsigned ? 2n ** 64n - 1n : 2n ** 63n - 1n;
    return BigInt(Math.trunc(value));
  }
  if (typeof value === 'string') {
    if (!/^-?\d+$/.test(value)) throw new TypeError(`invalid 64-bit integer ${JSON.stringify(value)}`);
    return BigInt(value);
  }
  if (typeof value === 'bigint') return value;
  const { low, high } = value as { low?: number; high?: number };
  return (BigInt((high as number) >>> 0) << 32n) | BigInt((low as number) >>> 0);
}

/** A bytes field's value as fromObject keeps it: base64 text decoded, an array-like as bytes, else nothing. */
export function toBytes(value: unknown): Buffer | undefined {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'base64');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if ((value as { length?: number }).length! >= 0) return Buffer.from(value as ArrayLike<number>);
  return undefined;
}

/** The varint of a bool, (u)int32 or (u)int64 value, without its tag (packed repeated fields too). */
export function writeVarint(w: Writer, type: ScalarType, value: unknown): void {
  switch (type) {
    case 'bool':
      w.varint(value ? 1 : 0);
      return;
    case 'int32': {
      const v = (value as number) | 0;
      if (v < 0) w.varint64(BigInt(v));
      else w.varint(v);
      return;
    }
    case 'uint32':
      w.varint((value as number) >>> 0);
      return;
    default:
      // (the agent's counters: plain numbers, written without a bigint)
      if (Number.isSafeInteger(value) && (value as number) >= 0) w.varint(value as number);
      else w.varint64(longBits(value, type === 'uint64'));
  }
}

/** One field, tag and value; a bytes value fromObject would not keep writes nothing. */
export function writeScalar(w: Writer, id: number, type: ScalarType, value: unknown): void {
  if (type === 'string') w.bytes(id, String(value));
  else if (type === 'bytes') {
    const bytes = toBytes(value);
    if (bytes) w.bytes(id, bytes);
  } else writeVarint(w.varint(id << 3), type, value);
}

/** One value as toObject gives it; bytes share the message's buffer (protobufjs slices it too). */
export function readScalar(r: Reader, type: ScalarType): unknown {
  switch (type) {
    case 'string':
      return r.bytes().toString('utf8');
    case 'bytes': {
      const bytes = r.bytes();
      return bytes.length ? bytes : Buffer.alloc(0);
    }
    case 'bool':
      return r.uint32() !== 0;
    case 'int32':
      return r.uint32() | 0;
    case 'uint32':
      return r.uint32();
    case 'int64':
      return BigInt.asIntN(64, r.varint64()).toString();
    case 'uint64':
      return r.varint64().toString();
  }
}
