// The dashboard server: `node -r @swc-node/register apps/dashboard/src/main.ts [--mode auto|dev|production] [--build]`
// with COXSWAIN_API_URL, COXSWAIN_API_CA (optional), COXSWAIN_DASHBOARD_PORT (default 3000)
// and COXSWAIN_PROMETHEUS_URL (optional). Prints `dashboard: <url> (<mode>)` when listening.
// `--build-only` builds the production bundle when stale and exits. `--exit-with-stdin`
// stops the server when stdin closes, so a launcher that dies cannot leave it behind.
import { parseArgs } from 'node:util';
import { buildDashboard } from './launch/build';
import { buildIsCurrent, DASHBOARD_DIR, Mode, resolveMode } from './launch/build-state';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mode: { type: 'string', default: 'auto' }, build: { type: 'boolean', default: false }, 'build-only': { type: 'boolean', default: false }, 'exit-with-stdin': { type: 'boolean', default: false } }, strict: true });
  const requested = values.mode as Mode;
  if (!['auto', 'dev', 'production'].includes(requested)) throw new Error(`--mode must be auto, dev or production, got ${values.mode}`);
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  if (values.build || values['build-only']) {
    const result = await buildDashboard({ onLog: (line) => console.log(`build: ${line}`) });
    console.log(result.built ? `dashboard: built in ${(result.ms / 1000).toFixed(1)} s` : 'dashboard: build is current');
    if (values['build-only']) return;
  }
  const mode = resolveMode(requested, buildIsCurrent());
  // React and Next pick their builds from NODE_ENV, so set it before loading them.
  (process.env as Record<string, string>).NODE_ENV = mode === 'production' ? 'production' : 'development';
  const { serveDashboard } = await import('./server/http-server');
  const running = await serveDashboard({ dir: DASHBOARD_DIR, dev: mode === 'dev' });
  console.log(`dashboard: ${running.url} (${mode})`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  if (values['exit-with-stdin']) {
    process.stdin.on('end', () => void stop());
    process.stdin.on('close', () => void stop());
    process.stdin.resume();
  }
}

main().catch((error) => {
  console.error('dashboard: failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
