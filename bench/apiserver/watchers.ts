// Watches on their own connections, as informers hold them, counting the events that arrive.
import { Pool } from 'undici';

export interface Watchers {
  counts: number[];
  stop(): Promise<void>;
}

export function startWatchers(url: string, headers: Record<string, string>, path: string, n: number): Watchers {
  const counts = new Array<number>(n).fill(0);
  const pool = new Pool(url, { connections: n, pipelining: 1 });
  const controller = new AbortController();
  for (let w = 0; w < n; w++) {
    void pool
      .request({ method: 'GET', path, headers, signal: controller.signal })
      .then(async (res) => {
        for await (const chunk of res.body) for (const byte of chunk as Buffer) if (byte === 10) counts[w]++;
      })
      .catch(() => undefined);
  }
  return { counts, stop: async () => (controller.abort(), await pool.close().catch(() => undefined)) };
}

/** Waits (up to a minute) until every watcher has seen `want` events; false if one has not. */
export async function waitForEvents(counts: number[], want: number): Promise<boolean> {
  const deadline = Date.now() + 60_000;
  while (counts.some((c) => c < want) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return counts.every((c) => c >= want);
}
