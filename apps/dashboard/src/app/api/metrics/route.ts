// Chart data as SSE: GET /api/metrics?target=node/n1|pod/ns/p|vmi/ns/v sends the history
// (Prometheus when configured and it has data, else the ring buffer) and then each new
// sample; target=nodes sends every node's latest usage after each sample (overview bars).
import { authenticate, dashboardContext, statusResponse } from '../../../server/route-helpers';
import { samplerFor } from '../../../server/context';
import { parseTarget, prometheusHistory, seriesKey } from '../../../server/prometheus';
import { Point } from '../../../server/metrics-store';
import { liveSseResponse } from '../../../server/sse';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  const session = authenticate(request);
  if (session instanceof Response) return session;
  const text = new URL(request.url).searchParams.get('target') ?? '';
  const target = text === 'nodes' ? 'nodes' : parseTarget(text);
  if (!target) return statusResponse(400, 'BadRequest', 'target must be nodes, node/<name>, pod/<ns>/<name> or vmi/<ns>/<name>');
  const sampler = samplerFor(session);
  const { config } = dashboardContext();

  let history: Point[] | undefined;
  let source = 'ring buffer';
  if (target !== 'nodes' && config.prometheusUrl) {
    try {
      const points = await prometheusHistory(config.prometheusUrl, target, Date.now(), config.sampleIntervalMs * config.sampleCapacity);
      if (points.length) {
        history = points;
        source = 'prometheus';
      }
    } catch {
      /* fall back to the ring buffer */
    }
  }

  return liveSseResponse(request, (send) => {
    const nodesFrame = () => ({ source, intervalMs: config.sampleIntervalMs, error: sampler.lastError, at: sampler.store.latestAt, usage: sampler.store.nodes() });
    if (target === 'nodes') {
      send('nodes', nodesFrame());
      return sampler.listen(() => send('nodes', nodesFrame()));
    }
    const key = seriesKey(target);
    send('history', { source, intervalMs: config.sampleIntervalMs, error: sampler.lastError, points: history ?? sampler.store.points(key) });
    return sampler.listen(() => {
      const point = sampler.store.last(key);
      if (point) send('point', point);
      else if (sampler.lastError) send('status', { error: sampler.lastError });
    });
  });
}
