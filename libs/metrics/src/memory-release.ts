// Gives a burst's memory back to the system once the process has gone idle.
//
// Node 24's V8 returns freed heap pages through its memory reducer, which runs only when it
// judges the allocation rate low. It never does in our processes: they allocate nothing on
// the cppgc heap, and V8 13.6 reads that zero rate as "high" (`--trace-memory-reducer` says
// "high alloc" on every tick). The pages a burst freed therefore stay resident until the
// reducer's 100 s watchdog. `--memory-saver-mode` fixes it for the node agent, but makes every
// incremental GC a memory-reducing one: on the API server it cost 43–47 % more CPU per write
// (bench apiserver, two A/B pairs). Instead, once the event loop has been idle for a few
// seconds after RSS grew, this runs one last-resort GC (V8's CollectAllAvailableGarbage: it
// compacts and unmaps the pooled pages), as the reducer would have. A plain full GC shrinks
// the heap but leaves the pages mapped. Traffic grows the heap again until the next release
// (a 10,000-pod API server: 142 MB at rest, ~150 MB under light traffic, apps/apiserver/README.md),
// and the requests right after one re-warm some code. Needs `--expose-gc`; without it this
// does nothing.
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Counter, Registry } from 'prom-client';
import { initialReleaseState, MemoryReleasePolicy, planRelease, ReleaseState } from './memory-release-plan';

export type { MemoryReleasePolicy } from './memory-release-plan';

/** `gc` as `--expose-gc` defines it; 'last-resort' is V8's CollectAllAvailableGarbage. */
type ExposedGc = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

export interface MemoryReleaseOptions {
  registry: Registry;
  /** How often to look (ms). */
  intervalMs?: number;
  policy?: Partial<MemoryReleasePolicy>;
  /** For tests; defaults to the global `gc` that `--expose-gc` defines. */
  gc?: ExposedGc;
  /** Each release is logged at debug level. */
  logger?: { debug(fields: object, msg: string): void };
  /** Called after each release (for tests). */
  onRelease?: (released: { rssBeforeBytes: number; rssAfterBytes: number; seconds: number }) => void;
}

export const DEFAULT_RELEASE_POLICY: MemoryReleasePolicy = {
  idleUtilization: 0.1,
  idleTicks: 2,
  growthBytes: 8 * 1024 * 1024,
  minIntervalMs: 30_000,
};

/** Starts watching; returns a stop function. Inert (and says so by `enabled`) without `--expose-gc`. */
export function startMemoryRelease(options: MemoryReleaseOptions): { enabled: boolean; stop: () => void } {
  const gc = options.gc ?? (globalThis as { gc?: ExposedGc }).gc;
  if (typeof gc !== 'function') return { enabled: false, stop: () => undefined };
  const policy = { ...DEFAULT_RELEASE_POLICY, ...options.policy };
  const releases = metric(options.registry, 'nodejs_memory_releases_total', 'Last-resort GCs run after a burst, once the process went idle, to give freed heap pages back.');
  const seconds = metric(options.registry, 'nodejs_memory_release_seconds_total', 'Time spent in those GCs.');
  const releasedBytes = metric(options.registry, 'nodejs_memory_released_bytes_total', 'Resident memory given back by those GCs (RSS before minus after).');
  let state: ReleaseState = initialReleaseState(process.memoryUsage.rss());
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const utilization = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    const rss = process.memoryUsage.rss();
    const decision = planRelease(state, { nowMs: Date.now(), utilization, rssBytes: rss }, policy);
    state = decision.state;
    if (!decision.release) return;
    const start = performance.now();
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    const took = (performance.now() - start) / 1000;
    const after = process.memoryUsage.rss();
    state = { ...state, baselineRssBytes: after };
    releases.inc();
    seconds.inc(took);
    releasedBytes.inc(Math.max(0, rss - after));
    // The GC's own time is not the application's: start the next utilization window after it.
    last = performance.eventLoopUtilization();
    options.logger?.debug({ rssBeforeMb: mb(rss), rssAfterMb: mb(after), ms: Math.round(took * 1000) }, 'gave freed memory back');
    options.onRelease?.({ rssBeforeBytes: rss, rssAfterBytes: after, seconds: took });
  }, options.intervalMs ?? 2000);
  timer.unref();
  return { enabled: true, stop: () => clearInterval(timer) };
}

const mb = (bytes: number) => Math.round(bytes / 104857.6) / 10;

function metric(registry: Registry, name: string, help: string): Counter {
  return (registry.getSingleMetric(name) as Counter | undefined) ?? new Counter({ name, help, registers: [registry] });
}
