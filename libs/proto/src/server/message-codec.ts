// A proto3 codec over a table of messages (./schema), doing what proto-loader's serializers
// do with protobufjs: encode(o) writes the bytes of Type.encode(Type.fromObject(o)).finish(),
// decode(b) gives Type.toObject(Type.decode(b), { longs: String, enums: String, defaults:
// true, oneofs: true }), with the same defaults, oneof members and key order. Unknown fields
// are skipped, and so is a known field with another wire type (as Google's runtimes do, where
// protobufjs would misread it: no peer of ours sends one).
import { Reader, Writer } from '../wire';
import { DEFAULT, readScalar, WIRE_TYPE, writeScalar, writeVarint } from './scalars';
import type { FieldSpec, ScalarType } from './schema';

interface Field extends FieldSpec {
  fullName: string;
  /** The field's message type, or undefined for a scalar. */
  message?: MessageCodec;
  wireType: number;
  /** A repeated number or bool: packed when written (proto3's default), read either way. */
  packed: boolean;
}

type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null;

export class MessageCodec {
  readonly fields: Field[] = [];
  private readonly byId = new Map<number, number>();

  constructor(readonly fullName: string) {}

  /** Resolves the fields' message types among `codecs` (a separate step: messages refer to each other). */
  define(specs: readonly FieldSpec[], codecs: Map<string, MessageCodec>): void {
    for (const spec of [...specs].sort((a, b) => a.id - b.id)) {
      const message = codecs.get(spec.type);
      const scalar = spec.type as ScalarType;
      if (!message && WIRE_TYPE[scalar] === undefined) throw new Error(`${this.fullName}.${spec.name}: unknown type ${spec.type}`);
      const wireType = message ? 2 : WIRE_TYPE[scalar];
      this.byId.set(spec.id, this.fields.length);
      this.fields.push({ ...spec, fullName: `${this.fullName}.${spec.name}`, message, wireType, packed: Boolean(spec.repeated) && wireType === 0 });
    }
  }

  encode(message: unknown): Buffer {
    // (proto-loader's own check: fromObject would take an array for an empty message)
    if (Array.isArray(message)) throw new Error(`Failed to serialize message: expected object with ${this.fullName.split('.').pop()} structure, got array instead`);
    const w = new Writer();
    this.write(w, message);
    return w.finish();
  }

  decode(bytes: Uint8Array): Obj {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return this.read(new Reader(buf));
  }

  /** fromObject's checks and coercions, then encode's writes: fields by number, each one set (not null) written, even at its default. */
  private write(w: Writer, message: unknown): void {
    if (!this.fields.length) return; // (fromObject takes anything for a message without fields)
    if (!isObject(message)) throw new TypeError(`${this.fullName}: object expected`);
    for (const field of this.fields) {
      const value = message[field.name];
      if (!field.repeated) {
        if (value != null) this.writeOne(w, field, value);
        continue;
      }
      if (!value) continue;
      if (!Array.isArray(value)) throw new TypeError(`${field.fullName}: array expected`);
      if (!value.length) continue;
      if (field.packed) w.message(field.id, (packed) => value.forEach((v) => writeVarint(packed, field.type as ScalarType, v)));
      else for (const v of value) this.writeOne(w, field, v);
    }
  }

  private writeOne(w: Writer, field: Field, value: unknown): void {
    if (!field.message) return writeScalar(w, field.id, field.type as ScalarType, value);
    if (!isObject(value)) throw new TypeError(`${field.fullName}: object expected`);
    w.message(field.id, (inner) => field.message!.write(inner, value));
  }

  /** decode's reading (the last value of a field wins, repeated ones add up), then toObject's building. */
  private read(r: Reader): Obj {
    const values: unknown[] = [];
    while (!r.done()) {
      const [id, wireType] = r.tag();
      const index = this.byId.get(id);
      const field = index === undefined ? undefined : this.fields[index];
      if (!field) r.skip(wireType);
      else if (field.repeated) {
        const list = (values[index!] ??= []) as unknown[];
        if (field.packed && wireType === 2) for (const packed = r.sub(); !packed.done(); ) list.push(this.readOne(packed, field));
        else if (wireType === field.wireType) list.push(this.readOne(r, field));
        else r.skip(wireType);
      } else if (wireType === field.wireType) values[index!] = this.readOne(r, field);
      else r.skip(wireType);
    }
    return this.toObject(values);
  }

  private readOne(r: Reader, field: Field): unknown {
    return field.message ? field.message.read(r.sub()) : readScalar(r, field.type as ScalarType);
  }

  /**
   * toObject's object, keys in its order: repeated fields ([]), then the other fields outside
   * oneofs at their defaults (null for a message), then what the wire set, by field number, a
   * oneof's name after each member set.
   */
  private toObject(values: unknown[]): Obj {
    const object: Obj = {};
    for (const field of this.fields) if (field.repeated) object[field.name] = [];
    for (const field of this.fields) if (!field.repeated && !field.oneof) object[field.name] = field.message ? null : field.type === 'bytes' ? Buffer.alloc(0) : DEFAULT[field.type as Exclude<ScalarType, 'bytes'>];
    this.fields.forEach((field, i) => {
      const value = values[i];
      if (value === undefined || (field.repeated && !(value as unknown[]).length)) return;
      object[field.name] = value;
      if (field.oneof) object[field.oneof] = field.name;
    });
    return object;
  }
}

/** The codecs of a table's messages, by name; `pkg` qualifies their names in errors. */
export function messageCodecs(table: Record<string, readonly FieldSpec[]>, pkg: string): Map<string, MessageCodec> {
  const codecs = new Map(Object.keys(table).map((name) => [name, new MessageCodec(`.${pkg}.${name}`)]));
  for (const [name, codec] of codecs) codec.define(table[name], codecs);
  return codecs;
}
