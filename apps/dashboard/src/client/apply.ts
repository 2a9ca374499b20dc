// Apply in the browser: each document is server-side applied as a dry run first (the diff
// and validation errors), then for real. Pure planning lives in lib/; this runs requests.
import { apply } from '../lib/actions';
import { forDiff, ParsedDoc } from '../lib/yaml-docs';
import { diffLines, DiffLine } from '../lib/diff';
import { collectionPath, kindByName } from '../lib/kinds';
import { nameOf, namespaceOf, Obj } from '../lib/objects';
import { ApiError, getJson, send } from './api';
import { Problem, problemsFrom } from '../lib/problems';

export interface DocOutcome {
  index: number;
  label: string;
  verb?: 'created' | 'configured' | 'unchanged';
  diff?: DiffLine[];
  problems: Problem[];
  result?: Obj;
}

export function verbFor(before: Obj | undefined, after: Obj): 'created' | 'configured' | 'unchanged' {
  if (!before) return 'created';
  return forDiff(before) === forDiff(after) ? 'unchanged' : 'configured';
}

export async function runApply(docs: ParsedDoc[], defaultNamespace: string, dryRun: boolean): Promise<DocOutcome[]> {
  const out: DocOutcome[] = [];
  for (const doc of docs) {
    const obj = doc.object;
    if (!obj) {
      out.push({ index: doc.index, label: `document ${doc.index + 1}`, problems: doc.errors });
      continue;
    }
    let label = `${obj.kind ?? '?'}/${nameOf(obj) || '?'}`;
    try {
      const request = apply(obj, defaultNamespace, dryRun);
      label = request.summary;
      const k = kindByName(obj.kind, obj.apiVersion)!;
      const ns = k.namespaced ? namespaceOf(obj) ?? defaultNamespace : undefined;
      // A list by name rather than a GET: absence is an empty list, not a 404 in the console.
      const found = await getJson<{ items?: Obj[] }>(`${collectionPath(k, ns)}?fieldSelector=${encodeURIComponent(`metadata.name=${nameOf(obj)}`)}`);
      const before = found.items?.[0];
      const after = await send<Obj>(request);
      out.push({ index: doc.index, label, verb: verbFor(before, after), diff: diffLines(forDiff(before), forDiff(after)), problems: [], result: after });
    } catch (error) {
      const e = error instanceof ApiError ? error : new ApiError(0, (error as Error).message);
      out.push({ index: doc.index, label, problems: problemsFrom(e, doc.lineOf, doc.line) });
    }
  }
  return out;
}
