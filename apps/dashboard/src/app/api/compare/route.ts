// The compare page's live figures as SSE: after each metrics sample, every Pod's and VMI's
// latest usage (metrics.k8s.io) and, when Prometheus is configured, the agents' start-latency
// histogram and runtime-overhead gauges. A Prometheus failure is reported, not fatal.
import { authenticate, dashboardContext } from '../../../server/route-helpers';
import { samplerFor } from '../../../server/context';
import { fetchPrometheusFigures } from '../../../server/compare-prometheus';
import { SSE_HEADERS, sseComment, sseFrame } from '../../../server/sse';
import type { CompareFeed } from '../../../lib/compare';

export const dynamic = 'force-dynamic';

const encoder = new TextEncoder();

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

  let unlisten = () => {};
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = async () => {
        const data = await feed();
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(sseFrame('compare', JSON.stringify(data))));
        } catch {
          closed = true;
          unlisten();
        }
      };
      void send();
      unlisten = sampler.listen(() => void send());
      heartbeat = setInterval(() => {
        try {
          controller.enqueue(encoder.encode(sseComment('ping')));
        } catch {
          clearInterval(heartbeat);
        }
      }, 15_000);
      request.signal.addEventListener('abort', () => {
        closed = true;
        unlisten();
        clearInterval(heartbeat);
        try {
          controller.close();
        } catch {
          /* closed */
        }
      });
    },
    cancel() {
      unlisten();
      clearInterval(heartbeat);
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
