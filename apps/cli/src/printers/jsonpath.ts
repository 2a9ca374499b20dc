// kubectl's JSONPath template dialect (k8s.io/client-go/util/jsonpath): text with `{…}`
// actions — field paths (`.a.b`, `['a.b']`, `[0]`, `[-1]`, `[1:3]`, `[*]`, `..x`, `.*`),
// filters (`[?(@.type=="Ready")]`), unions (`[0,2]`, `['a','b']`), `{range …}…{end}` and
// string literals (`{"\n"}`). Missing keys print nothing, as `kubectl -o jsonpath` does.

type Segment =
  | { k: 'field'; name: string }
  | { k: 'wildcard' }
  | { k: 'recursive' }
  | { k: 'names'; names: string[] }
  | { k: 'indices'; items: Array<number | { start?: number; end?: number; step?: number }> }
  | { k: 'filter'; filter: Filter };

interface PathExpr {
  from: 'root' | 'current';
  segments: Segment[];
}

interface Filter {
  left: PathExpr | Literal;
  op?: '==' | '!=' | '<' | '<=' | '>' | '>=';
  right?: PathExpr | Literal;
}

interface Literal {
  literal: unknown;
}

type Node = { t: 'text'; text: string } | { t: 'path'; paths: PathExpr[] } | { t: 'literal'; text: string } | { t: 'range'; path: PathExpr; body: Node[] };

export class JsonPathError extends Error {
  override readonly name = 'JsonPathError';
}

/** A parsed template; `execute(data)` renders it. */
export class JsonPath {
  private readonly nodes: Node[];

  constructor(readonly template: string) {
    const { nodes, rest } = parseNodes(template, 0, false);
    if (rest !== template.length) throw new JsonPathError(`unexpected {end} in ${template}`);
    this.nodes = nodes;
  }

  execute(data: unknown): string {
    return render(this.nodes, data, data);
  }

  /** The values each top-level path selects (custom-columns, sort-by, wait --for=jsonpath). */
  values(data: unknown): unknown[] {
    const out: unknown[] = [];
    for (const node of this.nodes) if (node.t === 'path') for (const p of node.paths) out.push(...evalPath(p, data, data));
    return out;
  }
}

/** kubectl's RelaxedJSONPathExpression: `.a.b`, `a.b` and `{.a.b}` all mean `{.a.b}`. */
export function relaxedJsonPath(expr: string): string {
  const trimmed = expr.trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) return trimmed;
  const inner = trimmed.startsWith('.') || trimmed.startsWith('$') || trimmed.startsWith('[') ? trimmed : `.${trimmed}`;
  return `{${inner}}`;
}

function parseNodes(src: string, pos: number, inRange: boolean): { nodes: Node[]; rest: number } {
  const nodes: Node[] = [];
  let text = '';
  while (pos < src.length) {
    const ch = src[pos];
    if (ch !== '{') {
      text += ch;
      pos++;
      continue;
    }
    if (text) nodes.push({ t: 'text', text });
    text = '';
    const close = findClose(src, pos);
    const action = src.slice(pos + 1, close).trim();
    pos = close + 1;
    if (action === 'end') {
      if (!inRange) throw new JsonPathError(`not in range, nothing to end`);
      return { nodes, rest: pos };
    }
    if (action.startsWith('range ') || action.startsWith('range\t')) {
      const path = parsePath(action.slice(6).trim());
      const inner = parseNodes(src, pos, true);
      nodes.push({ t: 'range', path, body: inner.nodes });
      pos = inner.rest;
      continue;
    }
    if (action.startsWith('"') || action.startsWith("'")) {
      nodes.push({ t: 'literal', text: unquote(action) });
      continue;
    }
    if (action === '') continue;
    nodes.push({ t: 'path', paths: splitTopLevel(action, ',').map((p) => parsePath(p.trim())) });
  }
  if (inRange) throw new JsonPathError('unclosed range (missing {end})');
  if (text) nodes.push({ t: 'text', text });
  return { nodes, rest: pos };
}

/**
 * Walks `text` from `from`, skipping quoted strings (with backslash escapes) and tracking
 * bracket depth (`[` and `(`); calls `visit` for every character outside quotes, with the depth
 * after that character. `visit` returns true to stop,
 * and the scan answers that index (or -1 at the end).
 */
function scanOutsideQuotes(text: string, from: number, visit: (ch: string, i: number, depth: number) => boolean): number {
  let quote = '';
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else {
      if (ch === '[' || ch === '(') depth++;
      else if (ch === ']' || ch === ')') depth--;
      if (visit(ch, i, depth)) return i;
    }
  }
  return -1;
}

/** The `}` that closes the action at `open`, skipping quoted strings and brackets. */
function findClose(src: string, open: number): number {
  const close = scanOutsideQuotes(src, open + 1, (ch, _i, depth) => ch === '}' && depth <= 0);
  if (close < 0) throw new JsonPathError(`unclosed action in ${src}`);
  return close;
}

function unquote(text: string): string {
  const q = text[0];
  if (text.length < 2 || text[text.length - 1] !== q) throw new JsonPathError(`unterminated string ${text}`);
  const body = text.slice(1, -1);
  if (q === "'") return body;
  return body.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' })[c] ?? c);
}

function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let start = 0;
  scanOutsideQuotes(text, 0, (ch, i, depth) => {
    if (ch === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    return false;
  });
  parts.push(text.slice(start));
  return parts;
}

function parsePath(text: string): PathExpr {
  let pos = 0;
  let from: PathExpr['from'] = 'current';
  if (text[0] === '$') {
    from = 'root';
    pos = 1;
  } else if (text[0] === '@') {
    pos = 1;
  }
  const segments: Segment[] = [];
  while (pos < text.length) {
    const ch = text[pos];
    if (ch === '.') {
      if (text[pos + 1] === '.') {
        segments.push({ k: 'recursive' });
        pos += 2;
        continue;
      }
      pos++;
      if (text[pos] === '*') {
        segments.push({ k: 'wildcard' });
        pos++;
        continue;
      }
      const m = /^[^.[\]\s]*/.exec(text.slice(pos))![0];
      if (m) segments.push({ k: 'field', name: m });
      pos += m.length;
      continue;
    }
    if (ch === '[') {
      const close = matchingBracket(text, pos);
      segments.push(parseBracket(text.slice(pos + 1, close).trim()));
      pos = close + 1;
      continue;
    }
    if (/\s/.test(ch)) {
      pos++;
      continue;
    }
    // A bare name at the start (`metadata.name` inside a filter or relaxed path).
    const m = /^[^.[\]\s]+/.exec(text.slice(pos))![0];
    segments.push({ k: 'field', name: m });
    pos += m.length;
  }
  return { from, segments };
}

function matchingBracket(text: string, open: number): number {
  const close = scanOutsideQuotes(text, open, (ch, _i, depth) => ch === ']' && depth === 0);
  if (close < 0) throw new JsonPathError(`unterminated [ in ${text}`);
  return close;
}

function parseBracket(inner: string): Segment {
  if (inner === '*') return { k: 'wildcard' };
  if (inner.startsWith('?')) {
    const body = inner.slice(1).trim();
    if (!body.startsWith('(') || !body.endsWith(')')) throw new JsonPathError(`invalid filter [${inner}]`);
    return { k: 'filter', filter: parseFilter(body.slice(1, -1).trim()) };
  }
  const parts = splitTopLevel(inner, ',').map((p) => p.trim());
  if (parts.every((p) => p.startsWith("'") || p.startsWith('"'))) return { k: 'names', names: parts.map(unquote) };
  return {
    k: 'indices',
    items: parts.map((p) => {
      if (!p.includes(':')) {
        if (!/^-?\d+$/.test(p)) throw new JsonPathError(`invalid array index ${p}`);
        return Number(p);
      }
      const [s, e, st] = p.split(':').map((x) => x.trim());
      const n = (x: string | undefined) => (x === undefined || x === '' ? undefined : Number(x));
      return { start: n(s), end: n(e), step: n(st) };
    }),
  };
}

function parseFilter(text: string): Filter {
  const m = /^(.*?)\s*(==|!=|<=|>=|<|>)\s*(.*)$/.exec(text);
  const operand = (s: string): PathExpr | Literal => {
    s = s.trim();
    if (s.startsWith('@') || s.startsWith('$')) return parsePath(s);
    if (s.startsWith('"') || s.startsWith("'")) return { literal: unquote(s) };
    if (s === 'true' || s === 'false') return { literal: s === 'true' };
    if (s !== '' && !Number.isNaN(Number(s))) return { literal: Number(s) };
    return { literal: s };
  };
  if (!m) return { left: operand(text) };
  return { left: operand(m[1]), op: m[2] as Filter['op'], right: operand(m[3]) };
}

function evalPath(path: PathExpr, root: unknown, current: unknown): unknown[] {
  let values: unknown[] = [path.from === 'root' ? root : current];
  let recursive = false;
  for (const seg of path.segments) {
    if (seg.k === 'recursive') {
      recursive = true;
      continue;
    }
    const input = recursive ? values.flatMap(descendants) : values;
    recursive = false;
    values = input.flatMap((v) => applySegment(seg, v, root));
  }
  if (recursive) values = values.flatMap(descendants);
  return values;
}

function descendants(value: unknown): unknown[] {
  const out: unknown[] = [value];
  if (Array.isArray(value)) for (const v of value) out.push(...descendants(v));
  else if (value && typeof value === 'object') for (const v of Object.values(value)) out.push(...descendants(v));
  return out;
}

function applySegment(seg: Segment, value: unknown, root: unknown): unknown[] {
  const isMap = value !== null && typeof value === 'object' && !Array.isArray(value);
  switch (seg.k) {
    case 'field':
      return isMap && seg.name in (value as object) ? [(value as Record<string, unknown>)[seg.name]] : [];
    case 'names':
      return isMap ? seg.names.filter((n) => n in (value as object)).map((n) => (value as Record<string, unknown>)[n]) : [];
    case 'wildcard':
      return Array.isArray(value) ? value : isMap ? Object.keys(value as object).sort().map((k) => (value as Record<string, unknown>)[k]) : [];
    case 'indices': {
      if (!Array.isArray(value)) return [];
      const out: unknown[] = [];
      for (const item of seg.items) {
        if (typeof item === 'number') {
          const i = item < 0 ? value.length + item : item;
          if (i >= 0 && i < value.length) out.push(value[i]);
          else throw new JsonPathError(`array index out of bounds: index ${item}, length ${value.length}`);
          continue;
        }
        const len = value.length;
        const norm = (x: number | undefined, dflt: number) => (x === undefined ? dflt : x < 0 ? Math.max(0, len + x) : Math.min(x, len));
        const step = item.step ?? 1;
        for (let i = norm(item.start, 0); i < norm(item.end, len); i += step > 0 ? step : 1) out.push(value[i]);
      }
      return out;
    }
    case 'filter': {
      const items = Array.isArray(value) ? value : isMap ? Object.values(value as object) : [];
      return items.filter((item) => matchFilter(seg.filter, root, item));
    }
    default:
      return [];
  }
}

function operandValues(operand: PathExpr | Literal, root: unknown, item: unknown): unknown[] {
  return 'literal' in operand ? [operand.literal] : evalPath(operand, root, item);
}

function matchFilter(filter: Filter, root: unknown, item: unknown): boolean {
  const left = operandValues(filter.left, root, item);
  if (!filter.op) return left.length > 0 && left[0] !== false && left[0] !== null;
  const right = operandValues(filter.right!, root, item);
  if (!left.length || !right.length) return false;
  const [a, b] = [left[0], right[0]];
  switch (filter.op) {
    case '==':
      return a === b || String(a) === String(b);
    case '!=':
      return !(a === b || String(a) === String(b));
    case '<':
      return Number(a) < Number(b);
    case '<=':
      return Number(a) <= Number(b);
    case '>':
      return Number(a) > Number(b);
    case '>=':
      return Number(a) >= Number(b);
  }
}

function render(nodes: Node[], root: unknown, current: unknown): string {
  let out = '';
  for (const node of nodes) {
    if (node.t === 'text' || node.t === 'literal') out += node.text;
    else if (node.t === 'path') out += node.paths.flatMap((p) => evalPath(p, root, current)).map(textOf).join(' ');
    else for (const item of evalPath(node.path, root, current)) out += render(node.body, root, item);
  }
  return out;
}

/** A value as kubectl prints it: scalars as text, maps and arrays as compact JSON. */
export function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Go's fmt %v of a decoded JSON value (custom-columns cells): map[a:1 b:2], [x y]. */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `map[${Object.keys(obj)
      .sort()
      .map((k) => `${k}:${goValue(obj[k])}`)
      .join(' ')}]`;
  }
  return String(value);
}
