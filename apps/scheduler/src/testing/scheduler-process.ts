// Runs the real scheduler entry point as a child process (as the launcher does), for
// integration tests and the benchmark.
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAIN = resolve(__dirname, '..', 'main.ts');
const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

export interface SchedulerProcessOptions {
  kubeconfig: string;
  /** Config document (written to a temp file and passed with --config). */
  config?: Record<string, unknown>;
  identity?: string;
  env?: NodeJS.ProcessEnv;
  /** Wait for /readyz (informers synced). Default true. */
  waitReady?: boolean;
  startTimeoutMs?: number;
}

export interface SchedulerProcess {
  readonly child: ChildProcess;
  readonly metricsUrl: string;
  readonly identity: string;
  output(): string;
  metrics(): Promise<string>;
  /** SIGTERM, SIGKILL after graceMs; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export async function startSchedulerProcess(options: SchedulerProcessOptions): Promise<SchedulerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'cox-scheduler-'));
  const configPath = join(dir, 'scheduler.json');
  writeFileSync(configPath, JSON.stringify(options.config ?? {}));
  const port = await freePort();
  const identity = options.identity ?? `scheduler-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN, '--kubeconfig', options.kubeconfig, '--config', configPath, '--metrics-port', String(port), '--identity', identity], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => void (tail = (tail + chunk.toString()).slice(-16_384));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  void exited.then(() => {
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  });
  const metricsUrl = `http://127.0.0.1:${port}`;
  const proc: SchedulerProcess = {
    child,
    metricsUrl,
    identity,
    exited,
    output: () => tail,
    metrics: async () => (await fetch(`${metricsUrl}/metrics`)).text(),
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
  };
  if (options.waitReady ?? true) {
    const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
    for (;;) {
      if (child.exitCode !== null) throw new Error(`scheduler exited with ${child.exitCode}:\n${tail}`);
      const ok = await fetch(`${metricsUrl}/readyz`).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (Date.now() > deadline) {
        await proc.stop();
        throw new Error(`scheduler not ready after ${options.startTimeoutMs ?? 60_000} ms:\n${tail}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return proc;
}

/** Reads one sample from Prometheus text, e.g. metricValue(text, 'leader_election_master_status'). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const body = match[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => body.includes(`${k}="${v}"`))) return Number(match[3]);
  }
  return undefined;
}
