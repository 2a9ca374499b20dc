// `npm run bench -- spawn`: how long a host command blocks the caller's event loop, Node's
// child_process (DirectSpawner, the baseline) against the coxspawn helper (HelperSpawner, what
// libs/runtime now uses). The process first grows a heap like a node agent's (--heap-mb): a
// fork copies the page tables of the whole process, so a bare Node process would flatter the
// baseline. Figures:
//  - blocked_ms: the synchronous part of one call (execFile forks and waits for the exec; the
//    helper writes a frame into a pipe), per call, mean and p99;
//  - loop_delay_p99_ms / max: perf_hooks.monitorEventLoopDelay while `--concurrency` commands run
//    at a time (what a watch event, probe or DNS query would wait);
//  - wall_ms: one command's start to its exit (the helper adds a pipe hop each way).
// Ends with one JSON line; load average printed beside it (figures are noisy under load).
import { readFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DirectSpawner, HelperSpawner, Spawner } from '@coxswain/runtime';
import { round, summarize } from '../lib/stats';

const { values } = parseArgs({
  options: {
    'heap-mb': { type: 'string', default: '80' },
    calls: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '4' },
    command: { type: 'string', default: 'ip -j link show lo' },
  },
});
const calls = Number(values.calls);
const concurrency = Number(values.concurrency);
const [file, ...args] = values.command!.split(' ');

/** Live objects the size of an agent's heap (informer caches and the like). */
function growHeap(mb: number): unknown[] {
  const keep: unknown[] = [];
  for (let i = 0; i < mb * 1024; i++) keep.push({ i, name: `object-${i}`, data: Buffer.alloc(1024 - 64, i & 255).toString('latin1') });
  return keep;
}

async function measure(spawner: Spawner): Promise<Record<string, number>> {
  for (let i = 0; i < 10; i++) await spawner.run(file, args); // warm-up (helper start, page cache)
  const blocked: number[] = [];
  const wall: number[] = [];
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next++ < calls) {
      const t0 = performance.now();
      const pending = spawner.run(file, args);
      blocked.push(performance.now() - t0);
      const result = await pending;
      wall.push(performance.now() - t0);
      if (result.code !== 0) throw new Error(`${values.command}: exit ${result.code}: ${result.stderr}`);
    }
  }));
  delay.disable();
  const b = summarize(blocked);
  const w = summarize(wall);
  return { blocked_ms_mean: round(b.mean, 3), blocked_ms_p99: round(b.p99, 3), loop_delay_p99_ms: round(delay.percentile(99) / 1e6), loop_delay_max_ms: round(delay.max / 1e6), wall_ms_p50: w.p50, wall_ms_p99: w.p99 };
}

async function main(): Promise<void> {
  const heap = growHeap(Number(values['heap-mb']));
  const rss = Number(/VmRSS:\s+(\d+)/.exec(await readFile('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
  const load = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
  const helper = new HelperSpawner();
  const mode = await helper.mode();
  if (mode !== 'helper') throw new Error(`coxspawn unavailable: ${mode}`);
  // Alternating rounds, so both see the same machine.
  const direct1 = await measure(new DirectSpawner());
  const helper1 = await measure(helper);
  const direct2 = await measure(new DirectSpawner());
  const helper2 = await measure(helper);
  const best = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.keys(a).map((k) => [k, Math.min(a[k], b[k])]));
  const direct = best(direct1, direct2);
  const viaHelper = best(helper1, helper2);
  const loadAfter = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
  console.log(`spawn: ${calls} × "${values.command}", ${concurrency} at a time, RSS ${rss.toFixed(0)} MB, load ${load} → ${loadAfter}`);
  for (const [name, r] of [['child_process', direct], ['coxspawn', viaHelper]] as const) {
    console.log(`  ${name.padEnd(13)} blocked per call mean ${r.blocked_ms_mean} ms p99 ${r.blocked_ms_p99} ms; loop delay p99 ${r.loop_delay_p99_ms} ms max ${r.loop_delay_max_ms} ms; wall p50 ${r.wall_ms_p50} ms p99 ${r.wall_ms_p99} ms`);
  }
  helper.close();
  void heap.length;
  const out: Record<string, number | string> = { load_before: load, load_after: loadAfter, rss_mb: Math.round(rss) };
  for (const [k, v] of Object.entries(direct)) out[`${k}_direct`] = v;
  for (const [k, v] of Object.entries(viaHelper)) out[`${k}_helper`] = v;
  out.blocked_mean_ratio = round(direct.blocked_ms_mean / viaHelper.blocked_ms_mean, 1);
  console.log(JSON.stringify(out));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
