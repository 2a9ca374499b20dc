// Process-wide state of the dashboard server: config, the API connection, sessions and each
// session's metrics sampler. Kept on globalThis because Next.js bundles route handlers
// separately from the custom server, and both must see the same sessions.
import { loadConfig, DashboardConfig } from './config';
import { MetricsSampler } from './metrics-sampler';
import { MetricsList } from './metrics-store';
import { cookieValue, Session, SESSION_COOKIE, SessionStore } from './sessions';
import { Upstream } from './upstream';

export interface DashboardContext {
  config: DashboardConfig;
  upstream: Upstream;
  sessions: SessionStore;
  samplers: Map<string, MetricsSampler>;
}

const KEY = Symbol.for('coxswain.dashboard.context');
type Holder = { [KEY]?: DashboardContext };

export function dashboardContext(): DashboardContext {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    const config = loadConfig(process.env);
    holder[KEY] = { config, upstream: new Upstream(config), sessions: new SessionStore(), samplers: new Map() };
  }
  return holder[KEY]!;
}

/** The session of a request's cookie header. */
export function sessionFrom(cookieHeader: string | null | undefined): Session | undefined {
  return dashboardContext().sessions.get(cookieValue(cookieHeader, SESSION_COOKIE));
}

/** This session's sampler, created on first use. */
export function samplerFor(session: Session): MetricsSampler {
  const ctx = dashboardContext();
  let sampler = ctx.samplers.get(session.id);
  if (!sampler) {
    // Samplers of sessions that expired since go with them.
    for (const [id, stale] of ctx.samplers) {
      if (!ctx.sessions.has(id)) {
        stale.stop();
        ctx.samplers.delete(id);
      }
    }
    const get = (path: string) => ctx.upstream.json<MetricsList>(session.token, path, AbortSignal.timeout(10_000));
    sampler = new MetricsSampler(() => Promise.all([get('/apis/metrics.k8s.io/v1beta1/nodes'), get('/apis/metrics.k8s.io/v1beta1/pods')]), {
      intervalMs: ctx.config.sampleIntervalMs,
      capacity: ctx.config.sampleCapacity,
    });
    ctx.samplers.set(session.id, sampler);
  }
  return sampler;
}

export function endSession(id: string | undefined): void {
  const ctx = dashboardContext();
  const session = ctx.sessions.delete(id);
  if (!session) return;
  ctx.samplers.get(session.id)?.stop();
  ctx.samplers.delete(session.id);
}
