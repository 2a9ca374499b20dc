// kubectl's human durations (`45s`, `3m20s`, `5h`, `2d3h`) for AGE and LAST SEEN: libs/api's
// humanDuration, the one the API server's Tables print with.
import { humanDuration } from '@coxswain/api/browser';

export { humanDuration };

/** Age of a timestamp relative to `now`; `<unknown>` when absent. */
export function age(timestamp: string | undefined | null, now: number): string {
  if (!timestamp) return '<unknown>';
  const at = Date.parse(timestamp);
  return Number.isNaN(at) ? '<unknown>' : humanDuration(now - at);
}

/** Milliseconds since epoch for sorting; 0 when absent. */
export const timeOf = (timestamp: string | undefined | null) => (timestamp ? Date.parse(timestamp) || 0 : 0);
