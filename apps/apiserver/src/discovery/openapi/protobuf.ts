// `/openapi/v2` in the protobuf encoding kubectl asks for
// (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`: gnostic's openapi.v2.Document).
// kubectl ≤ 1.28 needs it for explain and apply, and every version uses it for client-side
// apply patch metadata. Only the message fields our Swagger document uses are written;
// vendor extensions, enums and defaults travel as YAML text (JSON is YAML), as gnostic does.
import { JsonSchema } from './definitions';

export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

type Fields = Buffer[];

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

const tag = (field: number, wireType: number): Buffer => varint(field * 8 + wireType);

function bytesField(field: number, payload: Buffer): Buffer {
  return Buffer.concat([tag(field, 2), varint(payload.length), payload]);
}

const message = (fields: Fields): Buffer => Buffer.concat(fields);

function str(out: Fields, field: number, value: unknown): void {
  if (typeof value === 'string' && value !== '') out.push(bytesField(field, Buffer.from(value, 'utf8')));
}

function strs(out: Fields, field: number, values: unknown): void {
  if (Array.isArray(values)) for (const v of values) if (typeof v === 'string') out.push(bytesField(field, Buffer.from(v, 'utf8')));
}

function bool(out: Fields, field: number, value: unknown): void {
  if (value === true) out.push(Buffer.concat([tag(field, 0), varint(1)]));
}

function double(out: Fields, field: number, value: unknown): void {
  if (typeof value !== 'number') return;
  const b = Buffer.alloc(8);
  b.writeDoubleLE(value);
  out.push(Buffer.concat([tag(field, 1), b]));
}

function sub(out: Fields, field: number, payload: Buffer | undefined): void {
  if (payload) out.push(bytesField(field, payload));
}

/** openapi.v2.Any: the value as YAML text (field 2). */
const anyYaml = (value: unknown): Buffer => message([bytesField(2, Buffer.from(JSON.stringify(value), 'utf8'))]);

/** openapi.v2.NamedAny for every `x-` key. */
function vendorExtensions(out: Fields, field: number, obj: JsonSchema): void {
  for (const [key, value] of Object.entries(obj)) {
    if (!key.startsWith('x-')) continue;
    const named: Fields = [];
    str(named, 1, key);
    sub(named, 2, anyYaml(value));
    sub(out, field, message(named));
  }
}

const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** openapi.v2.Schema. */
export function encodeSchema(s: JsonSchema): Buffer {
  const out: Fields = [];
  str(out, 1, s.$ref);
  str(out, 2, s.format);
  str(out, 3, s.title);
  str(out, 4, s.description);
  if (s.default !== undefined) sub(out, 5, anyYaml(s.default));
  double(out, 7, s.maximum);
  double(out, 9, s.minimum);
  str(out, 13, s.pattern);
  bool(out, 16, s.uniqueItems);
  strs(out, 19, s.required);
  if (Array.isArray(s.enum)) for (const v of s.enum) sub(out, 20, anyYaml(v));
  if (isObject(s.additionalProperties)) sub(out, 21, message([bytesField(1, encodeSchema(s.additionalProperties))]));
  else if (typeof s.additionalProperties === 'boolean') sub(out, 21, message([Buffer.concat([tag(2, 0), varint(s.additionalProperties ? 1 : 0)])]));
  if (s.type !== undefined) {
    const types: Fields = [];
    strs(types, 1, Array.isArray(s.type) ? s.type : [s.type]);
    sub(out, 22, message(types));
  }
  if (isObject(s.items)) sub(out, 23, message([bytesField(1, encodeSchema(s.items))]));
  if (Array.isArray(s.allOf)) for (const a of s.allOf) sub(out, 24, encodeSchema(a as JsonSchema));
  if (isObject(s.properties)) {
    const props = Object.entries(s.properties).map(([name, schema]) => {
      const named: Fields = [];
      str(named, 1, name);
      sub(named, 2, encodeSchema(schema as JsonSchema));
      return bytesField(1, message(named));
    });
    sub(out, 25, message(props));
  }
  bool(out, 27, s.readOnly);
  vendorExtensions(out, 31, s);
  return message(out);
}

/** openapi.v2.ParametersItem holding a body or non-body Parameter. */
function encodeParameter(p: JsonSchema): Buffer {
  const fields: Fields = [];
  if (p.in === 'body') {
    str(fields, 1, p.description);
    str(fields, 2, p.name);
    str(fields, 3, p.in);
    bool(fields, 4, p.required);
    if (isObject(p.schema)) sub(fields, 5, encodeSchema(p.schema));
    vendorExtensions(fields, 6, p);
    return message([bytesField(1, message([bytesField(1, message(fields))]))]);
  }
  // Query and path sub-schemas share their leading field numbers; `type` and `uniqueItems` differ.
  const query = p.in === 'query';
  bool(fields, 1, p.required);
  str(fields, 2, p.in);
  str(fields, 3, p.description);
  str(fields, 4, p.name);
  str(fields, query ? 6 : 5, p.type);
  str(fields, query ? 7 : 6, p.format);
  bool(fields, query ? 20 : 19, p.uniqueItems);
  vendorExtensions(fields, query ? 23 : 22, p);
  const nonBody = message([bytesField(query ? 3 : 4, message(fields))]);
  return message([bytesField(1, message([bytesField(2, nonBody)]))]);
}

function encodeResponses(responses: JsonSchema): Buffer {
  const codes = Object.entries(responses).map(([code, r]) => {
    const resp = r as JsonSchema;
    const fields: Fields = [];
    str(fields, 1, resp.description);
    if (isObject(resp.schema)) sub(fields, 2, message([bytesField(1, encodeSchema(resp.schema))]));
    const value = message([bytesField(1, message(fields))]);
    const named: Fields = [];
    str(named, 1, code);
    sub(named, 2, value);
    return bytesField(1, message(named));
  });
  return message(codes);
}

function encodeOperation(o: JsonSchema): Buffer {
  const out: Fields = [];
  strs(out, 1, o.tags);
  str(out, 2, o.summary);
  str(out, 3, o.description);
  str(out, 5, o.operationId);
  strs(out, 6, o.produces);
  strs(out, 7, o.consumes);
  if (Array.isArray(o.parameters)) for (const p of o.parameters) sub(out, 8, encodeParameter(p as JsonSchema));
  if (isObject(o.responses)) sub(out, 9, encodeResponses(o.responses));
  strs(out, 10, o.schemes);
  vendorExtensions(out, 13, o);
  return message(out);
}

const PATH_ITEM_FIELDS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

function encodePathItem(item: JsonSchema): Buffer {
  const out: Fields = [];
  for (const [method, field] of Object.entries(PATH_ITEM_FIELDS)) if (isObject(item[method])) sub(out, field, encodeOperation(item[method] as JsonSchema));
  if (Array.isArray(item.parameters)) for (const p of item.parameters) sub(out, 9, encodeParameter(p as JsonSchema));
  vendorExtensions(out, 10, item);
  return message(out);
}

function named(name: string, value: Buffer): Buffer {
  const fields: Fields = [];
  str(fields, 1, name);
  sub(fields, 2, value);
  return message(fields);
}

/** Encodes a Swagger 2.0 document (as openApiV2() builds it) as an openapi.v2.Document. */
export function encodeOpenApiV2(doc: JsonSchema): Buffer {
  const out: Fields = [];
  str(out, 1, doc.swagger);
  if (isObject(doc.info)) {
    const info: Fields = [];
    str(info, 1, doc.info.title);
    str(info, 2, doc.info.version);
    str(info, 3, doc.info.description);
    sub(out, 2, message(info));
  }
  strs(out, 5, doc.schemes);
  strs(out, 6, doc.consumes);
  strs(out, 7, doc.produces);
  if (isObject(doc.paths)) {
    const paths = Object.entries(doc.paths).map(([path, item]) => bytesField(2, named(path, encodePathItem(item as JsonSchema))));
    sub(out, 8, message(paths));
  }
  if (isObject(doc.definitions)) {
    const defs = Object.entries(doc.definitions).map(([name, schema]) => bytesField(1, named(name, encodeSchema(schema as JsonSchema))));
    sub(out, 9, message(defs));
  }
  if (Array.isArray(doc.security)) {
    for (const requirement of doc.security as JsonSchema[]) {
      const entries = Object.entries(requirement).map(([name, scopes]) => {
        const array: Fields = [];
        strs(array, 1, scopes);
        return bytesField(1, named(name, message(array)));
      });
      sub(out, 12, message(entries));
    }
  }
  if (isObject(doc.securityDefinitions)) {
    const items = Object.entries(doc.securityDefinitions).map(([name, def]) => {
      const d = def as JsonSchema;
      const key: Fields = [];
      str(key, 1, d.type);
      str(key, 2, d.name);
      str(key, 3, d.in);
      str(key, 4, d.description);
      // Only apiKey security (field 2 of SecurityDefinitionsItem) is published.
      return bytesField(1, named(name, message([bytesField(2, message(key))])));
    });
    sub(out, 13, message(items));
  }
  vendorExtensions(out, 16, doc);
  return message(out);
}
