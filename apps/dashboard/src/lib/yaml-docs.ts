// Multi-document YAML as Kubernetes reads it (YAML 1.1: `0644` octal, `yes` a boolean), with
// errors located by line, and API field paths (`spec.template.spec.containers[0].image`)
// located in the text so validation errors can be shown at the field.
import { isCollection, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, stringify, type Node } from 'yaml';
import { Obj } from './objects';

export interface ParsedDoc {
  index: number;
  /** 1-based first line of the document. */
  line: number;
  object?: Obj;
  errors: Array<{ line: number; message: string }>;
  /** 1-based line of a field path, or of its deepest existing parent. */
  lineOf(path: string): number;
}

/** `a.b[0].c` or `metadata.labels[app.kubernetes.io/name]` → segments. */
export function fieldPath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  const re = /([^.[\]]+)|\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
  }
  return out;
}

export function parseYamlDocs(text: string): ParsedDoc[] {
  const lines = new LineCounter();
  const parsed = parseAllDocuments(text, { version: '1.1', lineCounter: lines, prettyErrors: false });
  const docs = Array.isArray(parsed) ? parsed : [];
  const lineAt = (offset: number | undefined) => (offset === undefined ? 1 : lines.linePos(offset).line);
  const out: ParsedDoc[] = [];
  for (const doc of docs) {
    const empty = doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null && doc.contents.range?.[0] === doc.contents.range?.[1]);
    if (empty && doc.errors.length === 0) continue; // an empty `---` section
    const start = lineAt(doc.contents?.range?.[0] ?? doc.range?.[0]);
    const errors = doc.errors.map((e) => ({ line: lineAt(e.pos?.[0]), message: e.message.split('\n')[0] }));
    let object: Obj | undefined;
    if (!errors.length) {
      try {
        const value = doc.toJS({ maxAliasCount: 100 });
        if (value === null || typeof value !== 'object' || Array.isArray(value)) errors.push({ line: start, message: 'a document must be a mapping (an object with apiVersion, kind, metadata…)' });
        else object = value as Obj;
      } catch (error) {
        errors.push({ line: start, message: (error as Error).message });
      }
    }
    const lineOf = (path: string): number => {
      let node: unknown = doc.contents;
      let found = start;
      for (const segment of fieldPath(path)) {
        if (!isCollection(node)) break;
        let next: unknown;
        if (isMap(node)) {
          const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
          if (!pair) break;
          const keyNode = pair.key as Node | undefined;
          if (keyNode?.range) found = lineAt(keyNode.range[0]);
          next = pair.value;
        } else if (isSeq(node) && typeof segment === 'number') {
          next = node.items[segment];
          if (!next) break;
        } else break;
        const range = (next as Node | null)?.range;
        if (range && !isMap(node)) found = lineAt(range[0]);
        node = next;
      }
      return found;
    };
    out.push({ index: out.length, line: start, object, errors, lineOf });
  }
  return out;
}

/** An object as YAML for viewing and editing, without the server's bookkeeping noise. */
export function toYaml(obj: Obj): string {
  return stringify(withoutNoise(obj), { version: '1.1', lineWidth: 0 });
}

export function withoutNoise(obj: Obj): Obj {
  if (!obj?.metadata?.managedFields) return obj;
  const { managedFields: _ignored, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** What a diff compares: no resourceVersion/uid/timestamps, which always differ. */
export function forDiff(obj: Obj | undefined): string {
  if (!obj) return '';
  const copy = structuredClone(withoutNoise(obj));
  if (copy.metadata) for (const k of ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields']) delete copy.metadata[k];
  return stringify(copy, { version: '1.1', lineWidth: 0 });
}
