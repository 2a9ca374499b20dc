// The API server's own view of request latency: `apiserver_request_duration_seconds` read from
// its /metrics, quantiles as Prometheus' histogram_quantile computes them (linear within a
// bucket). Kubernetes' API-call latency SLO is defined on this histogram. It starts once the
// request is parsed, so it leaves out time a request waited in the socket and any pause of the
// client; set beside the client's figures it says which side a tail comes from.
import { seriesLines } from '../scheduler/api-metrics';

/** Cumulative bucket counts by upper bound (seconds; Infinity for +Inf) for one verb and resource. */
export function durationBuckets(exposition: string, verb: string, resource: string): Map<number, number> {
  const buckets = new Map<number, number>();
  for (const { line, value } of seriesLines(exposition, 'apiserver_request_duration_seconds_bucket', { verb, resource })) {
    const le = /le="([^"]+)"/.exec(line)?.[1];
    if (le === undefined) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + value);
  }
  return buckets;
}

/** histogram_quantile(q) over cumulative buckets, in the buckets' unit; NaN when empty. */
export function histogramQuantile(q: number, buckets: Map<number, number>): number {
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total === 0) return NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const [bound, count] of sorted) {
    if (count >= rank) {
      if (bound === Infinity) return lower;
      return lower + ((bound - lower) * (rank - below)) / (count - below);
    }
    lower = bound;
    below = count;
  }
  return lower;
}
