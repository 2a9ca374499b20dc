// Time as the API writes it: metav1.Time is RFC 3339 with second precision.
export { rfc3339 } from '@coxswain/api';

/** Milliseconds since the epoch, or undefined for a missing or unparsable time. */
export function parseTime(text: string | undefined | null): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
