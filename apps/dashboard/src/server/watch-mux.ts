// One SSE stream per browser tab that carries several API watches: browsers allow only six
// HTTP/1.1 connections per host, so a page with nodes, pods, VMs and events shares one.
// Each subscription is resumed from its last resourceVersion when the API ends a watch
// (timeout); a 410 or an error Status is passed on and that watch stops — the browser
// relists and opens a new stream.
import { LineSplitter, sseComment, sseFrame } from './sse';
import { allowedApiPath, Upstream } from './upstream';

export interface WatchSubscription {
  /** The browser's key for this list; echoed as the SSE event name. */
  k: string;
  /** Collection path, e.g. /api/v1/namespaces/default/pods */
  p: string;
  /** Extra query: labelSelector, fieldSelector. */
  q?: string;
  /** resourceVersion to start from (from the list). */
  rv: string;
}

export const MAX_SUBSCRIPTIONS = 16;
const ALLOWED_QUERY = new Set(['labelSelector', 'fieldSelector']);

/** Parses and checks the `s` parameters; throws a message for a 400. */
export function parseSubscriptions(values: string[]): WatchSubscription[] {
  if (values.length === 0) throw new Error('no watch subscriptions');
  if (values.length > MAX_SUBSCRIPTIONS) throw new Error(`at most ${MAX_SUBSCRIPTIONS} watches per stream`);
  return values.map((raw) => {
    let sub: WatchSubscription;
    try {
      sub = JSON.parse(raw) as WatchSubscription;
    } catch {
      throw new Error('a subscription must be JSON {k,p,q,rv}');
    }
    if (typeof sub.k !== 'string' || !/^[\w.:/-]{1,200}$/.test(sub.k)) throw new Error('bad subscription key');
    if (typeof sub.p !== 'string' || !allowedApiPath(sub.p)) throw new Error(`path not allowed: ${String(sub.p)}`);
    if (typeof sub.rv !== 'string' || !/^\d*$/.test(sub.rv)) throw new Error('resourceVersion must be a number');
    const q = new URLSearchParams(sub.q ?? '');
    for (const key of q.keys()) if (!ALLOWED_QUERY.has(key)) throw new Error(`query parameter not allowed in a watch: ${key}`);
    return { k: sub.k, p: sub.p, q: q.toString(), rv: sub.rv };
  });
}

export function watchUrl(sub: WatchSubscription, rv: string): string {
  const q = new URLSearchParams(sub.q ?? '');
  q.set('watch', '1');
  q.set('allowWatchBookmarks', 'true');
  if (rv) q.set('resourceVersion', rv);
  return `${sub.p}?${q}`;
}

/** The resourceVersion a watch line moves us to, if any. */
export function lineResourceVersion(line: string): string | undefined {
  const match = /"resourceVersion"\s*:\s*"(\d+)"/.exec(line.slice(0, 4096));
  try {
    const event = JSON.parse(line) as { type?: string; object?: { metadata?: { resourceVersion?: string } } };
    if (event.type === 'ERROR') return undefined;
    return event.object?.metadata?.resourceVersion ?? match?.[1];
  } catch {
    return undefined;
  }
}

const encoder = new TextEncoder();

export function watchStream(upstream: Upstream, token: string, subs: WatchSubscription[], options: { heartbeatMs?: number; signal?: AbortSignal } = {}): ReadableStream<Uint8Array> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  options.signal?.addEventListener('abort', stop);
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          closed = true;
        }
      };
      const finish = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        abort.abort();
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      };
      abort.signal.addEventListener('abort', finish);
      send(sseComment('connected'));
      send('retry: 2000\n\n');
      heartbeat = setInterval(() => send(sseComment('ping')), options.heartbeatMs ?? 15_000);
      let live = subs.length;
      const done = () => {
        live--;
        if (live === 0) finish();
      };
      for (const sub of subs) {
        void follow(sub, send, abort.signal)
          .then(done)
          .catch(() => finish()); // API unreachable: close; the browser reconnects with backoff.
      }
    },
    cancel() {
      clearInterval(heartbeat);
      abort.abort();
    },
  });

  async function follow(sub: WatchSubscription, send: (text: string) => void, signal: AbortSignal): Promise<void> {
    let rv = sub.rv;
    while (!signal.aborted) {
      const opened = Date.now();
      const res = await upstream.fetch(token, watchUrl(sub, rv), { headers: { accept: 'application/json' }, signal });
      if (!res.ok) {
        const body = await res.text();
        let status: unknown;
        try {
          status = JSON.parse(body);
        } catch {
          status = { kind: 'Status', status: 'Failure', code: res.status, message: body.slice(0, 500) };
        }
        send(sseFrame(sub.k, JSON.stringify({ type: 'ERROR', object: status })));
        return;
      }
      const lines = new LineSplitter();
      const decoder = new TextDecoder();
      let stopped = false;
      const handle = (batch: string[]) => {
        let out = '';
        for (const line of batch) {
          if (line.includes('"type":"ERROR"') || /"type"\s*:\s*"ERROR"/.test(line.slice(0, 64))) stopped = true;
          const next = lineResourceVersion(line);
          if (next) rv = next;
          out += sseFrame(sub.k, line);
        }
        if (out) send(out);
      };
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        handle(lines.push(decoder.decode(chunk, { stream: true })));
        if (stopped) break;
      }
      handle(lines.flush());
      if (stopped) {
        await res.body?.cancel().catch(() => undefined);
        return;
      }
      // The API closed the watch (its timeout): resume from where we are, not in a tight loop.
      if (Date.now() - opened < 1000) await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
