// Protobuf's wire format by hand, for the codecs that do without protobufjs: the API server's
// etcd KV messages (protobufjs' reflective codec cost it as much CPU per write as etcd spends
// on the whole transaction) and the node agent's gRPC messages (protobufjs and long cost the
// agent ~3.5 MB of RSS). varint() takes and gives JS numbers, exact below 2^53 (etcd's
// revisions); varint64() carries all 64 bits as a bigint.

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A growable byte buffer for one message. */
export class Writer {
  private buf: Buffer;
  private pos = 0;

  constructor(size = 256) {
    this.buf = Buffer.allocUnsafe(size);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  varint(value: number): this {
    this.room(10);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
    return this;
  }

  /** A varint of all 64 bits of `value` (two's complement when negative: ten bytes, as a negative int32 is). */
  varint64(value: bigint): this {
    let v = BigInt.asUintN(64, value);
    if (v <= MAX_SAFE) return this.varint(Number(v));
    this.room(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
    return this;
  }

  /** A varint field, written even when 0 (needed for oneof members). */
  uint(field: number, value: number): this {
    return this.varint(field << 3).varint(value);
  }

  /** A varint field, left out when 0 (proto3's default). */
  optionalUint(field: number, value: number | undefined): this {
    return value ? this.uint(field, value) : this;
  }

  bytes(field: number, value: Buffer | string): this {
    const length = typeof value === 'string' ? Buffer.byteLength(value) : value.length;
    this.varint((field << 3) | 2).varint(length);
    this.room(length);
    if (typeof value === 'string') this.buf.write(value, this.pos, 'utf8');
    else value.copy(this.buf, this.pos);
    this.pos += length;
    return this;
  }

  /** A nested message field. */
  message(field: number, encode: (writer: Writer) => void): this {
    const inner = new Writer(64);
    encode(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** Reads one message's fields in order. */
export class Reader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.end) throw new Error('protobuf: truncated varint');
      const byte = this.buf[this.pos++];
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 0x80;
    }
  }

  /** A varint's low 32 bits, unsigned (`| 0` makes an int32 of them, as protobufjs reads one). */
  uint32(): number {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.pos >= this.end) throw new Error('protobuf: truncated varint');
      const byte = this.buf[this.pos++];
      if (shift < 32) value |= (byte & 0x7f) << shift; // (bits past 32 fall off the shift)
      if (byte < 0x80) return value >>> 0;
    }
    throw new Error('protobuf: varint longer than 10 bytes');
  }

  /** A varint's 64 bits, unsigned (BigInt.asIntN(64, …) for a signed field). */
  varint64(): bigint {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) throw new Error('protobuf: truncated varint');
      const byte = this.buf[this.pos++];
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asUintN(64, value);
    }
    throw new Error('protobuf: varint longer than 10 bytes');
  }

  /** The next field's tag: [field number, wire type]. */
  tag(): [number, number] {
    const tag = this.varint();
    return [Math.floor(tag / 8), tag & 7];
  }

  /** A length-delimited field's bytes, shared with the input buffer. */
  bytes(): Buffer {
    const length = this.varint();
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.end) throw new Error('protobuf: truncated field');
    return this.buf.subarray(start, this.pos);
  }

  /** A nested message: a reader over its bytes. */
  sub(): Reader {
    const length = this.varint();
    const start = this.pos;
    this.pos += length;
    if (this.pos > this.end) throw new Error('protobuf: truncated message');
    return new Reader(this.buf, start, this.pos);
  }

  /** Steps over one field's value, whatever its wire type (fields a newer peer added). */
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.advance(8);
    else if (wireType === 2) this.advance(this.varint()); // (the length is read before pos moves)
    else if (wireType === 3) {
      // A group: its fields up to the matching end-group tag.
      for (let [, inner] = this.tag(); inner !== 4; [, inner] = this.tag()) this.skip(inner);
    }
    else if (wireType === 5) this.advance(4);
    else throw new Error(`protobuf: unsupported wire type ${wireType}`);
  }

  private advance(length: number): void {
    if (this.pos + length > this.end) throw new Error('protobuf: truncated field');
    this.pos += length;
  }
}
