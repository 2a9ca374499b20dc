// kubectl's AGE for describe and why: libs/api's humanDuration (Go's duration.HumanDuration,
// the one the API server's Tables print with) behind kubectl's translateTimestampSince.
import { humanDuration } from '@coxswain/api/browser';

export { humanDuration };

/** Age of a timestamp at `now`, `<unknown>` when it is missing or unparsable. */
export function age(timestamp: string | undefined | null, now: Date): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now.getTime() - t);
}
