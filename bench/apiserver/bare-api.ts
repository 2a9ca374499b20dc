// The floor under the API server's CPU per write, measured in the same run: bare-api-server.ts
// (the I/O every create needs and nothing else) driven by the same client, at the same
// concurrency, with the same number of watchers, against the same etcd. What the API server
// spends per create above this one's is what its own logic costs. BARE_API_NODE_OPTIONS
// (e.g. "--cpu-prof --cpu-prof-dir=DIR") is its NODE_OPTIONS.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { round, runConcurrent, summarize } from '../lib/stats';
import { cpuMeter } from '../scheduler/cpu';
import { startWatchers, waitForEvents } from './watchers';

export interface BareApiFigures {
  cpuMsPerWrite: number;
  etcdCpuMsPerWrite: number;
  p50: number;
  p99: number;
  createsPerS: number;
}

export async function bareApiCreates(etcd: { endpoint: string; pid: number }, pod: (i: number) => object, objects: number, concurrency: number, watcherCount: number): Promise<BareApiFigures> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'bare-api-server.ts')], {
    env: { ...process.env, NODE_OPTIONS: process.env.BARE_API_NODE_OPTIONS ?? '', BARE_ETCD: etcd.endpoint },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bare API server exited (${code})`)));
      createInterface({ input: child.stdout! }).once('line', resolve);
    });
    const url = `http://127.0.0.1:${port}`;
    const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
    const watchers = startWatchers(url, {}, '/watch', watcherCount);
    try {
      const latencies: number[] = [];
      const cpu = cpuMeter({ bare: child.pid!, etcd: etcd.pid });
      const seconds = await runConcurrent(objects, concurrency, async (i) => {
        const start = performance.now();
        const res = await pool.request({ method: 'POST', path: '/pods', headers: { 'content-type': 'application/json' }, body: JSON.stringify(pod(i)) });
        const text = await res.body.text();
        if (res.statusCode !== 201) throw new Error(`bare API create → ${res.statusCode}: ${text.slice(0, 200)}`);
        latencies.push(performance.now() - start);
      });
      const used = cpu();
      if (!(await waitForEvents(watchers.counts, objects))) throw new Error(`bare API watchers missed events: ${watchers.counts.join(',')} of ${objects} each`);
      const s = summarize(latencies);
      return { cpuMsPerWrite: round((used.bare * 1000) / objects, 3), etcdCpuMsPerWrite: round((used.etcd * 1000) / objects, 3), p50: s.p50, p99: s.p99, createsPerS: round(objects / seconds, 0) };
    } finally {
      await watchers.stop();
      await pool.close();
    }
  } finally {
    // SIGTERM, and its exit awaited: a --cpu-prof profile is written on exit.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
