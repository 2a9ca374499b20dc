// When each pod was first seen bound to a node and first seen Running, from one watch on the
// namespace (exact to the event, where polling added up to its interval and a GET per poll).
import { request } from 'undici';
import { RunningCluster, tlsDispatcher } from '@coxswain/harness';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface PodTimes {
  bound?: number;
  running?: number;
}

/** Folds watch events into first-seen times per pod name (pure: `now` comes with each event). */
export class PodTimeline {
  private readonly times = new Map<string, PodTimes>();
  private readonly waiters = new Map<string, (times: PodTimes) => void>();

  see(event: { type: string; object: Obj }, now: number): void {
    const name = event.object?.metadata?.name;
    if (typeof name !== 'string' || event.type === 'DELETED' || event.type === 'BOOKMARK') return;
    const times = this.times.get(name) ?? {};
    if (times.bound === undefined && event.object.spec?.nodeName) times.bound = now;
    if (times.running === undefined && event.object.status?.phase === 'Running') times.running = now;
    this.times.set(name, times);
    if (times.running !== undefined) this.waiters.get(name)?.(times);
  }

  /** Resolves once `name` has been seen Running. */
  running(name: string, timeoutMs: number): Promise<PodTimes> {
    const seen = this.times.get(name);
    if (seen?.running !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`pod ${name} not seen Running within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.set(name, (times) => {
        clearTimeout(timer);
        this.waiters.delete(name);
        resolve(times);
      });
    });
  }
}

/** A timeline fed by a watch of the namespace's pods from now on; close() ends the watch. */
export async function watchPods(cluster: RunningCluster, namespace: string): Promise<{ timeline: PodTimeline; close: () => void }> {
  const headers = { authorization: `Bearer ${cluster.api.tokens.admin}` };
  const dispatcher = tlsDispatcher(cluster.api.ca!);
  const base = `${cluster.api.url}/api/v1/namespaces/${namespace}/pods`;
  const list = (await (await request(base, { headers, dispatcher })).body.json()) as Obj;
  const controller = new AbortController();
  const res = await request(`${base}?watch=1&resourceVersion=${list.metadata.resourceVersion}`, { headers, dispatcher, signal: controller.signal });
  if (res.statusCode !== 200) throw new Error(`watch ${base}: ${res.statusCode} ${await res.body.text()}`);
  const timeline = new PodTimeline();
  let buffered = '';
  res.body.on('data', (chunk: Buffer) => {
    const now = performance.now();
    buffered += chunk.toString();
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      if (line.trim()) timeline.see(JSON.parse(line), now);
    }
  });
  res.body.on('error', () => undefined); // aborted by close()
  return { timeline, close: () => controller.abort() };
}
