/**
 * Label / field selector matching for the fake API server: =, ==, !=, `key`, `!key`,
 * `key in (a,b)`, `key notin (a,b)`. Field selectors address dotted paths (spec.nodeName).
 */
export function matchesLabelSelector(labels: Record<string, string> | undefined, selector: string | null): boolean {
  return requirements(selector).every((req) => req((key) => labels?.[key]));
}

export function matchesFieldSelector(obj: unknown, selector: string | null): boolean {
  return requirements(selector).every((req) => req((path) => fieldValue(obj, path)));
}

type Requirement = (lookup: (key: string) => string | undefined) => boolean;

function requirements(selector: string | null): Requirement[] {
  if (!selector) return [];
  return splitTerms(selector).map(parseTerm);
}

/** Splits on commas that are not inside a `(...)` value set. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) terms.push(current.trim());
  return terms;
}

function parseTerm(term: string): Requirement {
  const setMatch = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(term);
  if (setMatch) {
    const [, key, op, values] = setMatch;
    const set = new Set(values.split(',').map((v) => v.trim()));
    return (lookup) => {
      const value = lookup(key);
      return op === 'in' ? value !== undefined && set.has(value) : value === undefined || !set.has(value);
    };
  }
  const cmp = /^([^!=]+?)\s*(==|!=|=)\s*(.*)$/.exec(term);
  if (cmp) {
    const [, key, op, value] = cmp;
    return (lookup) => ((lookup(key.trim()) ?? '') === value.trim()) === (op !== '!=');
  }
  if (term.startsWith('!')) return (lookup) => lookup(term.slice(1).trim()) === undefined;
  return (lookup) => lookup(term) !== undefined;
}

function fieldValue(obj: unknown, path: string): string | undefined {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur === undefined || cur === null ? undefined : String(cur);
}
