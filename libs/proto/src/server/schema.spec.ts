// The hand-written table against node_agent.proto as protobufjs parses it (keepCase: false,
// as proto-loader loads it): an edit of the .proto that the table does not follow fails here.
import { Enum, Field, MapField, Namespace, ReflectionObject, Root, Service, Type, types } from 'protobufjs';
import { NODE_AGENT_PROTO } from '../proto-file';
import { FieldSpec, MESSAGES, PACKAGE, SERVICE } from './schema';

const root = new Root().loadSync(NODE_AGENT_PROTO, { keepCase: false });
root.resolveAll();

/** Everything the package declares, nested declarations too. */
function declarations(namespace: Namespace): ReflectionObject[] {
  return namespace.nestedArray.flatMap((o) => [o, ...(o instanceof Namespace ? declarations(o) : [])]);
}

const relative = (o: ReflectionObject) => o.fullName.slice(`.${PACKAGE}.`.length);

/** A field in the table's terms, plus what the table cannot say (so that it shows in the diff). */
function spec(field: Field): FieldSpec & Record<string, unknown> {
  const out: FieldSpec & Record<string, unknown> = { id: field.id, name: field.name, type: field.resolvedType ? relative(field.resolvedType) : field.type };
  if (field.repeated) out.repeated = true;
  if (field.partOf) out.oneof = field.partOf.name;
  if (field.map) out.map = (field as unknown as MapField).keyType;
  if (field.resolvedType instanceof Enum) out.enum = 'unsupported';
  if (field.repeated && (types.packed as Record<string, number | undefined>)[field.type] !== undefined && !field.packed) out.packed = false;
  return out;
}

describe('node agent schema table', () => {
  const pkg = root.lookup(PACKAGE) as Namespace;
  const all = declarations(pkg);

  it('declares only messages and the one service (no enums: the codec has none)', () => {
    expect(all.filter((o) => !(o instanceof Type) && !(o instanceof Service)).map((o) => o.fullName)).toEqual([]);
    expect(all.filter((o) => o instanceof Service).map(relative)).toEqual([SERVICE.name]);
  });

  it('has every message with the .proto field numbers, names, types, labels and oneofs', () => {
    const parsed = Object.fromEntries(all.filter((o): o is Type => o instanceof Type).map((t) => [relative(t), [...t.fieldsArray].sort((a, b) => a.id - b.id).map(spec)]));
    expect(MESSAGES).toEqual(parsed);
  });

  it('lists each message in field number order', () => {
    for (const fields of Object.values(MESSAGES)) expect(fields.map((f) => f.id)).toEqual([...fields.map((f) => f.id)].sort((a, b) => a - b));
  });

  it('has the service methods in order, with their message types and streaming', () => {
    const service = pkg.lookupService(SERVICE.name);
    const methods = service.methodsArray.map((m) => ({
      name: m.name,
      request: relative(m.resolvedRequestType!),
      response: relative(m.resolvedResponseType!),
      requestStream: Boolean(m.requestStream),
      responseStream: Boolean(m.responseStream),
    }));
    expect(SERVICE.methods).toEqual(methods);
  });
});
