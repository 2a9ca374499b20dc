/**
 * Orders strings by UTF-16 code unit, as Go's sort.Strings does: the same on every machine and
 * without ICU. `localeCompare` loads a collator, which paged in megabytes of the Node binary's
 * ICU data in a node agent that only wanted a stable order.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
