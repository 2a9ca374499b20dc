// metav1.LabelSelectorAsSelector(sel).String(), as kubectl prints SELECTOR columns: requirements
// and In/NotIn values sorted, a nil selector as <none>. (@coxswain/api's formatLabelSelector keeps
// the given order for queries and rejects bad operators; a printer must show whatever is stored.)
import { Obj } from '../types';

export function formatLabelSelector(selector: Obj | undefined | null): string {
  if (!selector) return '<none>';
  const reqs: Array<{ key: string; text: string }> = [];
  for (const [key, value] of Object.entries((selector.matchLabels ?? {}) as Record<string, string>)) reqs.push({ key, text: `${key}=${value}` });
  for (const expr of (selector.matchExpressions ?? []) as Obj[]) {
    const values = [...((expr.values ?? []) as string[])].sort();
    const text =
      expr.operator === 'In'
        ? `${expr.key} in (${values.join(',')})`
        : expr.operator === 'NotIn'
          ? `${expr.key} notin (${values.join(',')})`
          : expr.operator === 'Exists'
            ? `${expr.key}`
            : expr.operator === 'DoesNotExist'
              ? `!${expr.key}`
              : `${expr.key} ${String(expr.operator).toLowerCase()} (${values.join(',')})`;
    reqs.push({ key: expr.key, text });
  }
  // Requirements sort by key (stable for equal keys), as labels.Selector does.
  return reqs
    .map((r, i) => ({ ...r, i }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i))
    .map((r) => r.text)
    .join(',');
}

/** `k=v,k2=v2` sorted by key, `<none>` when empty (the LABELS column). */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

/** A label map as a selector string (`app=web,tier=fe`) for list calls. */
export function matchLabelsSelector(labels: Record<string, string> | undefined): string {
  return Object.keys(labels ?? {})
    .sort()
    .map((k) => `${k}=${labels![k]}`)
    .join(',');
}
