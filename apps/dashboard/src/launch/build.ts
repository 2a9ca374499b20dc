// `next build` of the dashboard when the production build is missing or stale, serialised
// by a lock directory so two processes (a test worker and `npm run up`) never write .next
// at the same time.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIsCurrent, DASHBOARD_DIR, inputHash, INPUTS_STAMP } from './build-state';

const LOCK = join(DASHBOARD_DIR, '.next-build.lock');
const STALE_LOCK_MS = 10 * 60_000;

function tryLock(): boolean {
  try {
    mkdirSync(LOCK);
    return true;
  } catch {
    try {
      if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
    } catch {
      /* released meanwhile */
    }
    return false;
  }
}

export interface BuildResult {
  built: boolean;
  ms: number;
}

export async function buildDashboard(options: { onLog?: (line: string) => void; timeoutMs?: number } = {}): Promise<BuildResult> {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 300_000);
  while (!tryLock()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for another dashboard build');
    await new Promise((r) => setTimeout(r, 500));
  }
  try {
    if (buildIsCurrent()) return { built: false, ms: Date.now() - started };
    // Hashed before building: an edit made while `next build` runs leaves the result stale.
    const hash = inputHash();
    const nextBin = join(DASHBOARD_DIR, '..', '..', 'node_modules', 'next', 'dist', 'bin', 'next');
    let output = '';
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [nextBin, 'build', DASHBOARD_DIR], { env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      const timer = setTimeout(() => child.kill('SIGKILL'), Math.max(1000, deadline - Date.now()));
      const onData = (d: Buffer) => {
        output = (output + d.toString()).slice(-20_000);
        for (const line of d.toString().split('\n')) if (line.trim()) options.onLog?.(line);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('error', reject);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    if (code !== 0) throw new Error(`next build failed (${code}):\n${output}`);
    writeFileSync(join(DASHBOARD_DIR, INPUTS_STAMP), `${hash}\n`);
    return { built: true, ms: Date.now() - started };
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
