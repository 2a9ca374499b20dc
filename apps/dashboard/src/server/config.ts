// The dashboard server's settings, from the environment `npm run up` and startDashboard set.
export interface DashboardConfig {
  /** The API server, e.g. https://10.1.2.1:6443 */
  apiUrl: string;
  /** PEM file of the cluster CA that signed the API server's certificate. */
  caFile?: string;
  port: number;
  host: string;
  /** Prometheus base URL for chart history (optional). */
  prometheusUrl?: string;
  /** How often the metrics ring buffer samples the metrics API. */
  sampleIntervalMs: number;
  /** How many samples each series keeps. */
  sampleCapacity: number;
}

export function loadConfig(env: Record<string, string | undefined>): DashboardConfig {
  const apiUrl = (env.COXSWAIN_API_URL ?? '').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+$/.test(apiUrl)) throw new Error(`COXSWAIN_API_URL must be an http(s) URL without a path, got "${env.COXSWAIN_API_URL ?? ''}"`);
  const int = (name: string, fallback: number, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
    return n;
  };
  const prometheusUrl = env.COXSWAIN_PROMETHEUS_URL?.replace(/\/+$/, '') || undefined;
  if (prometheusUrl && !/^https?:\/\//.test(prometheusUrl)) throw new Error(`COXSWAIN_PROMETHEUS_URL must be an http(s) URL, got "${prometheusUrl}"`);
  return {
    apiUrl,
    caFile: env.COXSWAIN_API_CA || undefined,
    port: int('COXSWAIN_DASHBOARD_PORT', 3000, 0),
    host: env.COXSWAIN_DASHBOARD_HOST || '127.0.0.1',
    prometheusUrl,
    sampleIntervalMs: int('COXSWAIN_DASHBOARD_SAMPLE_MS', 10_000, 250),
    sampleCapacity: int('COXSWAIN_DASHBOARD_SAMPLES', 180, 2),
  };
}
