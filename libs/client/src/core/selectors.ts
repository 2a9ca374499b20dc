/** A selector as a string (`app=web,tier!=db`) or as equality pairs ({app: 'web'}). */
export type SelectorInput = string | Record<string, string>;

/** Formats selector input for the `labelSelector` / `fieldSelector` query parameters. */
export function formatSelector(selector: SelectorInput | undefined): string | undefined {
  if (selector === undefined) return undefined;
  if (typeof selector === 'string') return selector || undefined;
  const terms = Object.entries(selector).map(([key, value]) => `${key}=${value}`);
  return terms.length ? terms.join(',') : undefined;
}
