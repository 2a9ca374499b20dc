// -o json|yaml|name|jsonpath=…|custom-columns=…: how kubectl serialises objects.
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { UsageError } from '../cli/spec';
import { Obj } from '../types';
import { goValue, JsonPath, relaxedJsonPath } from './jsonpath';
import { formatColumns } from './tabwriter';

export type OutputFormat =
  | { kind: 'table'; wide: boolean }
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'name' }
  | { kind: 'jsonpath'; path: JsonPath; asJson: boolean }
  | { kind: 'custom-columns'; columns: CustomColumn[] };

export interface CustomColumn {
  header: string;
  path: JsonPath;
}

const ALLOWED = 'custom-columns,custom-columns-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,wide,yaml';

export function parseOutputFormat(value: string, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): OutputFormat {
  const eq = value.indexOf('=');
  const name = eq < 0 ? value : value.slice(0, eq);
  const arg = eq < 0 ? '' : value.slice(eq + 1);
  const needArg = () => {
    if (!arg) throw new UsageError(`${name} format specified but no ${name.includes('columns') ? 'custom columns given' : 'template given'}`);
    return arg;
  };
  switch (name) {
    case '':
      return { kind: 'table', wide: false };
    case 'wide':
      return { kind: 'table', wide: true };
    case 'json':
      return { kind: 'json' };
    case 'yaml':
      return { kind: 'yaml' };
    case 'name':
      return { kind: 'name' };
    case 'jsonpath':
    case 'jsonpath-as-json':
      return { kind: 'jsonpath', path: compile(needArg()), asJson: name === 'jsonpath-as-json' };
    case 'jsonpath-file':
      return { kind: 'jsonpath', path: compile(readFile(needArg())), asJson: false };
    case 'custom-columns':
      return { kind: 'custom-columns', columns: parseCustomColumns(needArg()) };
    case 'custom-columns-file':
      return { kind: 'custom-columns', columns: parseCustomColumnsFile(readFile(needArg())) };
  }
  throw new UsageError(`unable to match a printer suitable for the output format "${value}", allowed formats are: ${ALLOWED}`);
}

function compile(template: string): JsonPath {
  try {
    return new JsonPath(template);
  } catch (error) {
    throw new UsageError(`error parsing jsonpath ${template}, ${(error as Error).message}`);
  }
}

/** `NAME:.metadata.name,NODE:.spec.nodeName` */
export function parseCustomColumns(spec: string): CustomColumn[] {
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) throw new UsageError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), path: compile(relaxedJsonPath(part.slice(colon + 1))) };
  });
}

/** A header line and a line of paths, whitespace-separated. */
export function parseCustomColumnsFile(text: string): CustomColumn[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== 2) throw new UsageError(`unexpected lines in custom columns file, expected 2, saw ${lines.length}`);
  const headers = lines[0].trim().split(/\s+/);
  const paths = lines[1].trim().split(/\s+/);
  if (headers.length !== paths.length) throw new UsageError(`number of columns in header line (${headers.length}) and spec line (${paths.length}) differ`);
  return headers.map((header, i) => ({ header, path: compile(relaxedJsonPath(paths[i])) }));
}

export function customColumnRows(columns: CustomColumn[], objects: Obj[], noHeaders: boolean): string {
  const rows: string[][] = noHeaders ? [] : [columns.map((c) => c.header)];
  for (const obj of objects) {
    rows.push(
      columns.map((c) => {
        const values = c.path.values(obj);
        return values.length ? values.map(goValue).join(',') : '<none>';
      }),
    );
  }
  return formatColumns(rows);
}

/** Keys sorted at every level, as Go prints a map decoded from JSON. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj).sort()) out[key] = sortKeys(obj[key]);
    return out;
  }
  return value;
}

/** kubectl -o json: 4-space indent, sorted keys, Go's HTML-safe escaping of <, > and &. */
export function toJson(obj: unknown): string {
  return `${JSON.stringify(sortKeys(obj), null, 4).replace(/[<>&]/g, (c) => ({ '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' })[c]!)}\n`;
}

/** kubectl -o yaml: sorted keys, sequences not indented under their key, YAML 1.1 quoting. */
export function toYaml(obj: unknown): string {
  return stringify(sortKeys(obj), { version: '1.1', indentSeq: false, lineWidth: 0, minContentWidth: 0 });
}

/** The `kind: List` wrapper kubectl prints several objects in. */
export function asList(items: Obj[]): Obj {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}
