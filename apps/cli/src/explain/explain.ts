// coxctl explain: field documentation from the server's OpenAPI (v3 per group-version,
// else v2), rendered like kubectl's plaintext explain. Pure: the command fetches documents.
import { Obj } from '../types';

export interface SchemaDoc {
  /** Definition name → schema. */
  schemas: Record<string, Obj>;
}

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** Schemas of an OpenAPI v3 document (components.schemas) or v2 (definitions). */
export function schemasOf(doc: Obj): SchemaDoc {
  return { schemas: (doc.components?.schemas ?? doc.definitions ?? {}) as Record<string, Obj> };
}

const refName = (ref: string) => ref.replace(/^#\/(components\/schemas|definitions)\//, '');

/** Follows $ref and single-element allOf wrappers to the schema that holds the fields. */
export function deref(doc: SchemaDoc, schema: Obj | undefined, seen = new Set<string>()): Obj | undefined {
  let s = schema;
  for (let i = 0; s && i < 20; i++) {
    if (typeof s.$ref === 'string') {
      const name = refName(s.$ref);
      if (seen.has(name)) return { ...doc.schemas[name], $recursive: name };
      seen.add(name);
      const { $ref: _ignored, ...rest } = s;
      s = { ...doc.schemas[name], ...(rest.description ? { description: rest.description } : {}), $name: name };
      continue;
    }
    if (Array.isArray(s.allOf) && s.allOf.length === 1) {
      const { allOf, ...rest } = s;
      s = { ...deref(doc, allOf[0], seen), ...(rest.description ? { description: rest.description } : {}) };
      continue;
    }
    return s;
  }
  return s;
}

export function findKindSchema(doc: SchemaDoc, gvk: Gvk): { name: string; schema: Obj } | undefined {
  for (const [name, schema] of Object.entries(doc.schemas)) {
    const gvks = (schema['x-kubernetes-group-version-kind'] ?? []) as Gvk[];
    if (gvks.some((g) => (g.group ?? '') === gvk.group && g.version === gvk.version && g.kind === gvk.kind)) return { name, schema: { ...schema, $name: name } };
  }
  return undefined;
}

/** kubectl's type label: <string>, <[]Container>, <map[string]string>, <Object>, <IntOrString>. */
export function typeName(doc: SchemaDoc, schema: Obj | undefined): string {
  if (!schema) return 'Object';
  if (typeof schema.$ref === 'string') return refName(schema.$ref).split('.').pop()!;
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) return typeName(doc, schema.allOf[0]);
  if (schema.format === 'int-or-string' || schema['x-kubernetes-int-or-string']) return 'IntOrString';
  switch (schema.type) {
    case 'array':
      return `[]${typeName(doc, schema.items)}`;
    case 'object':
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') return `map[string]${typeName(doc, schema.additionalProperties)}`;
      return 'Object';
    case undefined:
      return 'Object';
    default:
      return String(schema.type);
  }
}

/** The element schema of arrays and maps, whose fields `explain a.b` descends into. */
function elementOf(doc: SchemaDoc, schema: Obj | undefined): Obj | undefined {
  let s = deref(doc, schema);
  for (let i = 0; s && i < 5; i++) {
    if (s.type === 'array') s = deref(doc, s.items);
    else if (s.type === 'object' && !s.properties && s.additionalProperties && typeof s.additionalProperties === 'object') s = deref(doc, s.additionalProperties);
    else break;
  }
  return s;
}

export interface FieldLookup {
  /** The field's own schema as declared (for its type label). */
  declared?: Obj;
  /** The schema its subfields come from. */
  resolved?: Obj;
  name?: string;
}

export function lookupField(doc: SchemaDoc, root: Obj, path: string[]): FieldLookup {
  let resolved: Obj | undefined = root;
  let declared: Obj | undefined;
  let name: string | undefined;
  for (const part of path) {
    const props = (resolved?.properties ?? {}) as Record<string, Obj>;
    if (!(part in props)) throw new Error(`field "${part}" does not exist`);
    declared = props[part];
    name = part;
    resolved = elementOf(doc, declared);
  }
  return { declared, resolved, name };
}

/** Word-wraps to `width` columns, keeping paragraph breaks. */
export function wrap(text: string, indent: number, width = 80): string[] {
  const out: string[] = [];
  const pad = ' '.repeat(indent);
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && pad.length + line.length + 1 + word.length > width) {
        out.push(pad + line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(line ? pad + line : '');
  }
  return out;
}

/** The description of the type a field holds (through arrays, maps and references). */
function typeDescription(doc: SchemaDoc, schema: Obj | undefined, depth = 0): string | undefined {
  if (!schema || depth > 10) return undefined;
  if (typeof schema.$ref === 'string') return doc.schemas[refName(schema.$ref)]?.description;
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) return typeDescription(doc, schema.allOf[0], depth + 1);
  if (schema.type === 'array') return typeDescription(doc, schema.items, depth + 1);
  if (schema.type === 'object' && !schema.properties && typeof schema.additionalProperties === 'object') return typeDescription(doc, schema.additionalProperties, depth + 1);
  return undefined;
}

/** kubectl's inline enum line: up to four values, `""` for the empty one, `....` for more. */
function enumLine(values: unknown[]): string {
  const shown = values.slice(0, 4).map((v) => (v === '' ? '""' : String(v)));
  return `enum: ${shown.join(', ')}${values.length > 4 ? ', ....' : ''}`;
}

const enumOf = (doc: SchemaDoc, declared: Obj): unknown[] | undefined => (declared.enum ?? deref(doc, declared)?.enum) as unknown[] | undefined;

function fieldLines(doc: SchemaDoc, schema: Obj | undefined, indent: number, recursive: boolean, depth: number, seen: Set<string>): string[] {
  const props = (schema?.properties ?? {}) as Record<string, Obj>;
  const required = new Set<string>((schema?.required ?? []) as string[]);
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const name of Object.keys(props).sort()) {
    const declared = props[name];
    lines.push(`${pad}${name}\t<${typeName(doc, declared)}>${required.has(name) ? ' -required-' : ''}`);
    const values = enumOf(doc, declared);
    if (values?.length) lines.push(`${pad}${enumLine(values)}`);
    if (recursive) {
      const inner = elementOf(doc, declared);
      const key = inner?.$name as string | undefined;
      if (inner?.properties && depth < 15 && !(key && seen.has(key))) {
        const next = new Set(seen);
        if (key) next.add(key);
        lines.push(...fieldLines(doc, inner, indent + 2, true, depth + 1, next));
      }
      continue;
    }
    const description = declared.description ?? deref(doc, declared)?.description ?? '';
    lines.push(...(description ? wrap(description, indent + 2) : [`${' '.repeat(indent + 2)}<no description>`]), '');
  }
  return lines;
}

/** kubectl explain's plaintext page for a kind (and optionally a field path inside it). */
export function renderExplain(doc: SchemaDoc, gvk: Gvk, root: Obj, path: string[], recursive: boolean): string {
  let out = '';
  if (gvk.group) out += `GROUP:      ${gvk.group}\n`;
  out += `KIND:       ${gvk.kind}\nVERSION:    ${gvk.version}\n\n`;
  const rootResolved = deref(doc, root) ?? root;
  const field = path.length ? lookupField(doc, rootResolved, path) : { resolved: rootResolved, declared: undefined, name: undefined };
  if (field.declared) {
    out += `FIELD: ${field.name} <${typeName(doc, field.declared)}>\n`;
    const values = enumOf(doc, field.declared);
    out += values?.length ? `ENUM:\n${values.map((v) => `    ${v === '' ? '""' : v}\n`).join('')}` : '\n';
    out += '\n';
  }
  // A field shows its own description and then its type's, like kubectl.
  const own = field.declared ? field.declared.description : rootResolved.description;
  const typeDesc = field.declared ? typeDescription(doc, field.declared) : undefined;
  const descriptions = [own, typeDesc !== own ? typeDesc : undefined].filter((d): d is string => !!d);
  out += 'DESCRIPTION:\n';
  out += descriptions.length ? `${descriptions.flatMap((d) => wrap(d, 4)).join('\n')}\n    \n` : '    <empty>\n';
  if (field.resolved?.properties && Object.keys(field.resolved.properties).length) {
    out += `FIELDS:\n${fieldLines(doc, field.resolved, 2, recursive, 0, new Set(field.resolved.$name ? [field.resolved.$name] : [])).join('\n')}\n`;
  }
  return `${out}\n`;
}
