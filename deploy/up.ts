// All-in-one launcher behind `npm run up`: a whole cluster on this machine — etcd, a local
// registry seeded with busybox and the tiny VM image (the agents' docker.io mirror), the API
// server (TLS), scheduler, controller-manager, N node agents in their own network namespaces,
// and the dashboard. Writes .coxswain/kubeconfig, prints `ready: <API URL> <dashboard URL>`,
// and on Ctrl-C / SIGTERM stops every process, container and VM it started.
import { copyFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findRepoRoot, startCluster, RunningCluster } from '@coxswain/harness';
import { RunningPrometheus, startPrometheus } from './prometheus';
import { join_, parseJoinFlags } from './join';
import { onParentExit } from './parent-watch';

const REPO = findRepoRoot(__dirname);
const stateDir = join(REPO, '.coxswain');

interface Dashboard {
  url: string;
  stop(): Promise<void>;
}

interface DashboardChoice {
  /** Next's dev server instead of the production build (`--dev`). */
  dev: boolean;
  prometheusUrl?: string;
}

/**
 * Starts the dashboard (a child process; Next.js stays out of this one): the production build,
 * built first when missing or stale (content hash of its inputs), or dev mode with `--dev`.
 */
async function startDashboardIfPresent(cluster: RunningCluster, choice: DashboardChoice, log: (line: string) => void): Promise<Dashboard | undefined> {
  const entry = join(REPO, 'apps', 'dashboard', 'src', 'index.ts');
  if (!existsSync(entry)) return undefined;
  // The dashboard's launcher is TypeScript next to its Next.js app; load it through swc here.
  require('@swc-node/register'); // eslint-disable-line @typescript-eslint/no-require-imports
  type Options = { apiUrl: string; caFile?: string; port?: number; mode?: 'dev' | 'production'; build?: boolean; prometheusUrl?: string; timeoutMs?: number; onLog?: (line: string) => void };
  const mod = require(entry) as { startDashboard(options: Options): Promise<Dashboard> }; // eslint-disable-line @typescript-eslint/no-require-imports
  return mod.startDashboard({
    apiUrl: cluster.api.url,
    caFile: join(cluster.dir, 'pki', 'ca.crt'),
    port: Number(process.env.COXSWAIN_DASHBOARD_PORT ?? 3000),
    mode: choice.dev ? 'dev' : 'production',
    build: !choice.dev,
    prometheusUrl: choice.prometheusUrl,
    timeoutMs: 600_000, // a first build on a loaded machine
    onLog: log,
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '1' },
      'log-level': { type: 'string', default: 'warn' },
      'api-port': { type: 'string', default: '6443' },
      prometheus: { type: 'boolean', default: false },
      dev: { type: 'boolean', default: false },
      // HA control plane: 3 etcd members, 2 API servers, 2 schedulers, 2 controller-managers.
      ha: { type: 'boolean', default: false },
      'prometheus-port': { type: 'string', default: '9090' },
      // Join an existing cluster as a node (only the agent runs here): see deploy/join.ts.
      join: { type: 'string' },
      token: { type: 'string' },
      'discovery-token-ca-cert-hash': { type: 'string', multiple: true },
      'discovery-token-unsafe-skip-ca-verification': { type: 'boolean' },
      'ca-file': { type: 'string' },
      'node-name': { type: 'string' },
      'node-ip': { type: 'string' },
    },
    strict: true,
  });
  if (values.join !== undefined) {
    const joining = parseJoinFlags(values);
    await mkdir(stateDir, { recursive: true });
    const node = await join_({ ...joining, stateDir, nodeName: values['node-name'], nodeIp: values['node-ip'], logLevel: values['log-level']! });
    let leaving = false;
    const leave = (signal: string) => {
      if (leaving) return;
      leaving = true;
      void node.stop().finally(() => { console.log(`up: ${signal} received, node agent stopped`); process.exit(0); });
    };
    process.on('SIGINT', () => leave('SIGINT'));
    process.on('SIGTERM', () => leave('SIGTERM'));
    onParentExit(() => leave('parent exit'));
    return;
  }
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 20) throw new Error(`--nodes must be an integer from 1 to 20, got ${values.nodes}`);

  await mkdir(stateDir, { recursive: true });
  // Filled in as things start; the signal handler stops whatever exists.
  const running: { cluster?: RunningCluster; dashboard?: Dashboard; prometheus?: RunningPrometheus } = {};
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`up: ${signal} received, stopping everything`);
    await running.dashboard?.stop().catch((e) => console.error('up: dashboard stop failed:', e));
    await running.prometheus?.stop().catch((e) => console.error('up: prometheus stop failed:', e));
    await running.cluster?.stop().catch((e) => console.error('up: cluster stop failed:', e));
    console.log('up: stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // SIGTERM sent to `npm run up` stops at npm's sh (parent-watch.ts).
  onParentExit(() => void shutdown('parent exit'));

  console.log(`up: starting a ${nodes}-node cluster (state in .coxswain/)`);
  const cluster = await startCluster({
    nodes,
    dir: stateDir,
    apiserverPort: Number(values['api-port']),
    logLevel: values['log-level'],
    handleSignals: false,
    // debian:bookworm-slim, nginx, redis for deploy/examples (built once from Debian packages).
    debianImages: true,
    // coxswain/debian-disk: a containerDisk that boots from its own disk (deploy/examples/vm-disk.yaml).
    diskVmImage: true,
    // Restart whatever dies (kill -9, a crash) with back-off, like systemd's Restart=always.
    supervise: true,
    ha: values.ha,
    onLog: (component, text) => {
      for (const line of text.split('\n').filter(Boolean)) console.log(`[${component}] ${line}`);
    },
  });
  running.cluster = cluster;
  if (stopping) return;
  const kubeconfig = join(stateDir, 'kubeconfig');
  await copyFile(cluster.kubeconfigPath('admin'), kubeconfig);
  console.log(`up: Prometheus config for this cluster: .coxswain/prometheus.yml (prometheus --config.file .coxswain/prometheus.yml); discovery through the API: .coxswain/prometheus-sd.yml`);
  if (values.prometheus) {
    running.prometheus = startPrometheus(stateDir, Number(values['prometheus-port']), (line) => console.log(`[prometheus] ${line}`));
    console.log(`up: Prometheus on ${running.prometheus.url}`);
  }
  const choice = { dev: values.dev, prometheusUrl: running.prometheus?.url };
  const dashboard = await startDashboardIfPresent(cluster, choice, (line) => console.log(`[dashboard] ${line}`)).catch((error) => {
    console.error('up: dashboard failed to start:', error instanceof Error ? error.message : error);
    return undefined;
  });
  running.dashboard = dashboard;
  console.log(`up: kubeconfig written to .coxswain/kubeconfig (kubectl --kubeconfig .coxswain/kubeconfig get nodes)`);
  console.log(`up: admin token for the dashboard: ${cluster.api.tokens.admin}`);
  console.log(`up: registry mirror for docker.io: ${cluster.registry.url} (busybox, debian:bookworm-slim, nginx, redis, coxswain/tiny-vm, coxswain/debian-disk)`);
  if (values.ha) console.log(`up: HA control plane: API servers ${cluster.apis.map((a) => a.url).join(' ')}, etcd ${cluster.etcd.endpoint}`);
  console.log(`ready: ${cluster.api.url} ${dashboard?.url ?? '-'}`);
}

main().catch((error) => {
  console.error('up: failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
