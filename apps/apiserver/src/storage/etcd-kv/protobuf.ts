// The few etcd v3 messages the API server's hot path sends and reads (rpc.proto, kv.proto),
// encoded and decoded by hand: protobufjs' reflective codec and grpc-js' call stack cost the
// API server as much CPU per write as etcd spends on the whole transaction (apiserver README).
// Field numbers are etcd's; 64-bit integers are JS numbers (revisions stay far below 2^53).

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

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) {
      const length = this.varint(); // (read before pos is taken: `pos += varint()` would drop the length's own bytes)
      this.pos += length;
    }
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`protobuf: unsupported wire type ${wireType}`);
  }
}
