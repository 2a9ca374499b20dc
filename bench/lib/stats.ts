// Small helpers for benchmarks: percentiles and RSS of a process.
import { readFile } from 'node:fs/promises';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function summarize(samples: number[]): { n: number; p50: number; p99: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / (samples.length || 1);
  return { n: samples.length, p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), mean: round(mean) };
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return round(kb / 1024, 1);
}

/**
 * A process's memory beyond RSS (/proc/<pid>/smaps_rollup): PSS (shared pages split among
 * their users) and anonymous memory (heap and the like, without the binary's file pages —
 * a bare Node process is ~40 MB RSS, ~34 MB of it file pages).
 */
export async function memoryMb(pid: number): Promise<{ rss: number; pss: number; anon: number }> {
  const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rss: round(kb('Rss') / 1024, 1), pss: round(kb('Pss') / 1024, 1), anon: round(kb('Anonymous') / 1024, 1) };
}

/** Runs `worker` on `concurrency` lanes until `total` operations are done. */
export async function runConcurrent(total: number, concurrency: number, worker: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        await worker(i);
      }
    }),
  );
  return (performance.now() - start) / 1000;
}

/** Proportional set size: private memory plus a fair share of shared pages (the Node binary). */
export async function pssMb(pid: number): Promise<number> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
  return round(kb / 1024, 1);
}

/**
 * What a Node process costs at least on this machine, to judge an agent's RSS by: idle with
 * nothing loaded (`bare`), and with the built-ins any component serving and calling mutual
 * TLS over HTTP/1 and HTTP/2 loads (`tls`: node:https, node:http2, one secure context). Most
 * of either is the Node binary's own pages (file-backed, shared by every Node process).
 */
export async function nodeFloorMb(): Promise<{ bare: number; tls: number; bareAnon: number; tlsAnon: number }> {
  const measure = async (script: string) => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['-e', `${script};setTimeout(()=>{},3000)`], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return await memoryMb(child.pid!);
    } finally {
      child.kill();
    }
  };
  const bare = await measure('');
  const tls = await measure("require('node:https');require('node:http2');require('node:tls').createSecureContext({})");
  return { bare: bare.rss, tls: tls.rss, bareAnon: bare.anon, tlsAnon: tls.anon };
}
