import { Counter, Histogram, Registry } from 'prom-client';
import { RequestInfo } from './rest-transport';

/**
 * client-go's REST client metrics, for KubeClientOptions.onRequestDone:
 * rest_client_requests_total{code,method} and rest_client_request_duration_seconds{verb}.
 * Paths are deliberately not labels (unbounded cardinality).
 */
export function promRestClientMetrics(registry: Registry): (info: RequestInfo) => void {
  const registers = [registry];
  const requests =
    (registry.getSingleMetric('rest_client_requests_total') as Counter<'code' | 'method'> | undefined) ??
    new Counter({ name: 'rest_client_requests_total', help: 'API requests by HTTP code and method', labelNames: ['code', 'method'], registers });
  const duration =
    (registry.getSingleMetric('rest_client_request_duration_seconds') as Histogram<'verb'> | undefined) ??
    new Histogram({
      name: 'rest_client_request_duration_seconds',
      help: 'API request latency by verb',
      labelNames: ['verb'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  return ({ method, code, durationMs }) => {
    requests.inc({ code: String(code), method });
    duration.observe({ verb: method }, durationMs / 1000);
  };
}
