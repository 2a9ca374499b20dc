// Every schema the server publishes, keyed by definition name, in a flavour-neutral form
// (`$ref` holds the bare name). Built once from the decorator metadata plus the static
// schemas; the v2 and v3 renderers only reshape references.
import { RESOURCES } from '@coxswain/api';
import { COMMON_FIELDS, DEFINITION_DESCRIPTIONS, FIELD_DESCRIPTIONS, LIST_SEMANTICS } from './annotations';
import { deepFreeze } from '../freeze';
import { Class, classModel, Shape } from './class-model';
import { kindDefinitionName, nameTable } from './names';
import { INT_OR_STRING_REF, JsonSchema, LIST_META, QUANTITY_REF, staticSchemas, STATUS_OF_KIND } from './static-schemas';

export type { JsonSchema } from './static-schemas';

const PRESERVE = 'x-kubernetes-preserve-unknown-fields';

export function shapeSchema(shape: Shape, nameOf: (cls: Class) => string): JsonSchema {
  switch (shape.kind) {
    case 'ref':
      return { $ref: nameOf(shape.cls) };
    case 'array':
      return { type: 'array', items: shapeSchema(shape.items, nameOf) };
    case 'map':
      return { type: 'object', additionalProperties: shapeSchema(shape.values, nameOf) };
    case 'string':
      return shape.enum ? { type: 'string', enum: [...shape.enum] } : { type: 'string' };
    case 'integer':
    case 'number':
    case 'boolean':
      return { type: shape.kind };
    case 'intOrString':
      return { ...INT_OR_STRING_REF };
    case 'quantity':
      return { ...QUANTITY_REF };
    case 'object':
      return { type: 'object', [PRESERVE]: true };
    case 'any':
      return { [PRESERVE]: true };
  }
}

function listSemantics(key: string): JsonSchema {
  const s = LIST_SEMANTICS[key];
  if (!s) return {};
  const out: JsonSchema = {};
  if (s.mapKeys) out['x-kubernetes-list-map-keys'] = s.mapKeys;
  if (s.listType) out['x-kubernetes-list-type'] = s.listType;
  if (s.mergeKey) out['x-kubernetes-patch-merge-key'] = s.mergeKey;
  if (s.strategy) out['x-kubernetes-patch-strategy'] = s.strategy;
  return out;
}

function classSchema(name: string, cls: Class): JsonSchema {
  const table = nameTable();
  const root = table.rootOf(name);
  const model = classModel(cls);
  const properties: Record<string, JsonSchema> = {};
  for (const p of model.properties) {
    let schema = shapeSchema(p.shape, table.nameOf);
    if (root && p.name === 'status' && STATUS_OF_KIND[name]) schema = { $ref: STATUS_OF_KIND[name] };
    // metav1.Time and MicroTime are RFC 3339 strings.
    if (schema.type === 'string' && !schema.enum && /(Timestamp|Time)$/.test(p.name)) schema.format = 'date-time';
    const description = FIELD_DESCRIPTIONS[`${name}.${p.name}`] ?? (root ? COMMON_FIELDS[p.name] : undefined);
    properties[p.name] = { ...(description ? { description } : {}), ...schema, ...listSemantics(`${name}.${p.name}`) };
  }
  const required = model.properties.filter((p) => p.required).map((p) => p.name);
  const schema: JsonSchema = {};
  if (DEFINITION_DESCRIPTIONS[name]) schema.description = DEFINITION_DESCRIPTIONS[name];
  schema.properties = properties;
  if (required.length) schema.required = required;
  schema.type = 'object';
  if (root) schema['x-kubernetes-group-version-kind'] = [{ group: root.group, kind: root.kind, version: root.version }];
  return schema;
}

function listSchema(group: string, version: string, kind: string, listKind: string): JsonSchema {
  return {
    description: `${listKind} is a list of ${kind} objects.`,
    properties: {
      apiVersion: { description: COMMON_FIELDS.apiVersion, type: 'string' },
      items: { description: `List of ${kind} objects.`, type: 'array', items: { $ref: kindDefinitionName(group, version, kind) } },
      kind: { description: COMMON_FIELDS.kind, type: 'string' },
      metadata: { description: 'Standard list metadata.', $ref: LIST_META },
    },
    required: ['items'],
    type: 'object',
    'x-kubernetes-group-version-kind': [{ group, kind: listKind, version }],
  };
}

let memo: ReadonlyMap<string, JsonSchema> | undefined;

/** All definitions, by name. Memoised; treat the schemas as read-only. */
export function definitions(): ReadonlyMap<string, JsonSchema> {
  if (memo) return memo;
  const out = new Map<string, JsonSchema>();
  for (const [name, cls] of nameTable().entries()) out.set(name, classSchema(name, cls));
  for (const r of RESOURCES) out.set(kindDefinitionName(r.group, r.version, r.listKind), listSchema(r.group, r.version, r.kind, r.listKind));
  for (const [name, schema] of Object.entries(staticSchemas())) out.set(name, schema);
  for (const schema of out.values()) deepFreeze(schema);
  memo = out;
  return memo;
}

/** Every definition name reachable from the given ones through `$ref`s (including them). */
export function closure(names: Iterable<string>): Set<string> {
  const defs = definitions();
  const seen = new Set<string>();
  const stack = [...names];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === '$ref' && typeof v === 'string') stack.push(v);
        else walk(v);
      }
    }
  };
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    const schema = defs.get(name);
    if (!schema) throw new Error(`OpenAPI definition ${name} is referenced but not defined`);
    seen.add(name);
    walk(schema);
  }
  return seen;
}
