// The compare page's live figures as SSE: after each metrics sample, every Pod's and VMI's
// latest usage (metrics.k8s.io) and, when Prometheus is configured, the agents' start-latency
// histogram and runtime-overhead gauges. A Prometheus failure is reported, not fatal.
import { authenticate, dashboardContext } from '../../../server/route-helpers';
import { samplerFor } from '../../../server/context';
import { fetchPrometheusFigures } from '../../../server/compare-prometheus';
import { liveSseResponse } from '../../../server/sse';
import type { CompareFeed } from '../../../lib/compare';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const session = authenticate(request);
  if (session instanceof Response) return session;
  const sampler = samplerFor(session);
  const { config } = dashboardContext();

  const feed = async (): Promise<CompareFeed & { source: string; intervalMs: number; at: number }> => {
    const out = { usage: sampler.store.workloads(), error: sampler.lastError, source: config.prometheusUrl ? 'prometheus' : 'metrics api', intervalMs: config.sampleIntervalMs, at: sampler.store.latestAt };
    if (!config.prometheusUrl) return out;
    try {
      return { ...out, prometheus: await fetchPrometheusFigures(config.prometheusUrl) };
    } catch (error) {
      return { ...out, error: `prometheus: ${(error as Error).message}` };
    }
  };

  return liveSseResponse(request, (send) => {
    const sendFeed = async () => send('compare', await feed());
    void sendFeed();
    return sampler.listen(() => void sendFeed());
  });
}
