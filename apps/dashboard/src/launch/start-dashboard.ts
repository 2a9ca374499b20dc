// startDashboard(): runs the dashboard server (src/main.ts) as a child process, as `npm run up`
// and the e2e tests do, and resolves once it listens. Next.js stays out of the caller's process.
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { DASHBOARD_DIR, Mode } from './build-state';

export interface StartDashboardOptions {
  apiUrl: string;
  /** PEM file of the cluster CA. */
  caFile?: string;
  /** Default 3000; 127.0.0.1 only. */
  port?: number;
  /** `auto` (default): the production build when it is current, else dev mode. */
  mode?: Mode;
  /** Build first when the production build is missing or stale. */
  build?: boolean;
  prometheusUrl?: string;
  /** Metrics sampling period for the charts' ring buffer (default 10 s). */
  sampleIntervalMs?: number;
  env?: NodeJS.ProcessEnv;
  onLog?: (line: string) => void;
  /** How long to wait for the server (default 180 s, enough for a first build). */
  timeoutMs?: number;
}

export interface RunningDashboard {
  url: string;
  mode: 'dev' | 'production';
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

export async function startDashboard(options: StartDashboardOptions): Promise<RunningDashboard> {
  // NODE_ENV is left out: main.ts sets it from the mode.
  const { NODE_ENV: _nodeEnv, ...inherited } = { ...process.env, ...options.env };
  const env = {
    ...inherited,
    COXSWAIN_API_URL: options.apiUrl,
    COXSWAIN_DASHBOARD_PORT: String(options.port ?? 3000),
    NEXT_TELEMETRY_DISABLED: '1',
  } as unknown as NodeJS.ProcessEnv;
  if (options.caFile) env.COXSWAIN_API_CA = options.caFile;
  if (options.prometheusUrl) env.COXSWAIN_PROMETHEUS_URL = options.prometheusUrl;
  if (options.sampleIntervalMs) env.COXSWAIN_DASHBOARD_SAMPLE_MS = String(options.sampleIntervalMs);
  // The child's stdin is a pipe from us: when this process dies, it closes and the child stops.
  const args = ['-r', '@swc-node/register', join(DASHBOARD_DIR, 'src', 'main.ts'), '--mode', options.mode ?? 'auto', '--exit-with-stdin', ...(options.build ? ['--build'] : [])];
  const child = spawn(process.execPath, args, { cwd: join(DASHBOARD_DIR, '..', '..'), env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<{ url: string; mode: 'dev' | 'production' }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dashboard did not start within ${options.timeoutMs ?? 180_000} ms:\n${output.slice(-4000)}`)), options.timeoutMs ?? 180_000);
    const onData = (d: Buffer) => {
      const text = d.toString();
      output = (output + text).slice(-200_000);
      for (const line of text.split('\n')) if (line.trim()) options.onLog?.(line);
      const match = /^dashboard: (http\S+) \((dev|production)\)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], mode: match[2] as 'dev' | 'production' });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`dashboard exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
  try {
    const { url, mode } = await ready;
    return { url, mode, pid: child.pid!, output: () => output, stop: () => stopChild(child, exited) };
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
