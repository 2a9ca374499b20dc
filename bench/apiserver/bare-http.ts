// The floor under the API server's get latency on this machine: a bare node:http server in a
// process of its own answers every GET with the same bytes (a pod as the API server returns
// it), driven by the same client at the same concurrency, in the same run. What the API server
// adds to a get is its p99 above this one's; what the client and two shared cores cost is
// this one's.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { runConcurrent, summarize } from '../lib/stats';

const SERVER = `
const body = Buffer.from(process.env.BARE_BODY);
const server = require('node:http').createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

export interface BareHttpFigures {
  p50: number;
  p99: number;
  reqPerS: number;
}

/** `requests` GETs at `concurrency` against a bare server answering `body`. */
export async function bareHttpGets(body: string, requests: number, concurrency: number): Promise<BareHttpFigures> {
  const child = spawn(process.execPath, ['-e', SERVER], { env: { ...process.env, NODE_OPTIONS: '', BARE_BODY: body }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bare http server exited (${code})`)));
      createInterface({ input: child.stdout! }).once('line', resolve);
    });
    const pool = new Pool(`http://127.0.0.1:${port}`, { connections: concurrency, pipelining: 1 });
    const latencies: number[] = [];
    try {
      // Connections opened first, as the API server's are by the time its gets are timed.
      await runConcurrent(concurrency * 4, concurrency, async () => void (await (await pool.request({ method: 'GET', path: '/' })).body.text()));
      const seconds = await runConcurrent(requests, concurrency, async () => {
        const start = performance.now();
        const res = await pool.request({ method: 'GET', path: '/' });
        await res.body.text();
        latencies.push(performance.now() - start);
      });
      const s = summarize(latencies);
      return { p50: s.p50, p99: s.p99, reqPerS: Math.round(requests / seconds) };
    } finally {
      await pool.close();
    }
  } finally {
    child.kill('SIGKILL');
  }
}
