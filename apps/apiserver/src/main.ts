// coxswain-apiserver: flags (or COXSWAIN_* env) → createApiServer; SIGTERM stops it cleanly.
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { parseDuration } from '@coxswain/api';
import { startMemoryRelease } from '@coxswain/metrics';
import { createApiServer } from './server';
import { LISTENING, runPrimary, WORKER_INDEX_ENV } from './workers/primary';
import { ipcPeerWrites } from './workers/write-relay';
import { ipcMetrics } from './workers/metrics-relay';
import type { Registry } from 'prom-client';

/**
 * Half the cores: etcd, the scheduler and the controllers share a control-plane machine. On 2
 * cores one worker served 15 % more requests than two (bench apiserver) and bound pods 25 %
 * faster (bench scheduler): the second worker's cache decodes every event again and each
 * write takes two IPC hops, for a core etcd needed.
 */
const DEFAULT_WORKERS = Math.max(1, Math.floor(availableParallelism() / 2));

const USAGE = `usage: apiserver [--etcd-servers URLS] [--bind-address HOST] [--port N]
  [--tls-cert-file F --tls-private-key-file F] [--token-auth-file F] [--max-body-bytes N]
  [--max-requests-inflight N] [--max-mutating-requests-inflight N] [--etcd-compaction-interval 5m]
  [--service-cluster-ip-range CIDR] [--service-node-port-range A-B] [--advertise-address IP]
  [--encryption-provider-config F] [--client-ca-file F] [--enable-bootstrap-token-auth]
  [--workers N (default: half the cores, at least 1: ${DEFAULT_WORKERS} here)]`;

function parseFlags() {
  const { values } = parseArgs({
    options: {
      'etcd-servers': { type: 'string', default: process.env.COXSWAIN_ETCD ?? 'http://127.0.0.1:2379' },
      'bind-address': { type: 'string', default: process.env.COXSWAIN_BIND ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.COXSWAIN_PORT ?? '6443' },
      'tls-cert-file': { type: 'string' },
      'tls-private-key-file': { type: 'string' },
      'token-auth-file': { type: 'string' },
      'client-ca-file': { type: 'string' },
      'enable-bootstrap-token-auth': { type: 'boolean', default: false },
      'max-body-bytes': { type: 'string', default: String(3 * 1024 * 1024) },
      'service-cluster-ip-range': { type: 'string', default: process.env.COXSWAIN_SERVICE_CIDR ?? '10.96.0.0/12' },
      'service-node-port-range': { type: 'string', default: '30000-32767' },
      'advertise-address': { type: 'string' },
      'max-requests-inflight': { type: 'string', default: '400' },
      'etcd-compaction-interval': { type: 'string', default: '5m' },
      'max-mutating-requests-inflight': { type: 'string', default: '200' },
      'kubelet-certificate-authority': { type: 'string' },
      'kubelet-client-certificate': { type: 'string' },
      'kubelet-client-key': { type: 'string' },
      'encryption-provider-config': { type: 'string', default: process.env.COXSWAIN_ENCRYPTION_CONFIG },
      workers: { type: 'string', default: process.env.COXSWAIN_APISERVER_WORKERS ?? String(DEFAULT_WORKERS) },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  return values;
}

function positive(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be a positive integer, got ${JSON.stringify(text)}`);
  return n;
}

async function main(): Promise<void> {
  const flags = parseFlags();
  const logger = pino({ name: 'apiserver', level: process.env.LOG_LEVEL ?? 'info' });
  if (!flags['encryption-provider-config']) logger.warn('no --encryption-provider-config: Secrets are stored in etcd as plain text');
  if (!flags['token-auth-file'] && !flags['client-ca-file'] && !flags['enable-bootstrap-token-auth']) logger.warn('no --token-auth-file, --client-ca-file or --enable-bootstrap-token-auth: every request is rejected with 401');
  const host = flags['bind-address']!;
  if (!flags['tls-cert-file'] && !['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw new Error('plain HTTP is only allowed on loopback: pass --tls-cert-file and --tls-private-key-file');
  }
  const workers = positive(flags.workers!, 'workers');
  if (workers > 1 && cluster.isPrimary) {
    await runPrimary(workers, logger);
    return;
  }
  const worker = workers > 1 ? { peers: ipcPeerWrites(), singletons: process.env[WORKER_INDEX_ENV] === '0', scrape: (registry: Registry) => ipcMetrics(registry) } : undefined;
  // Flow control is per process: each of N workers gets 1/N of the server's seats.
  const share = (n: number) => Math.max(1, Math.ceil(n / workers));
  const server = await createApiServer({
    etcdEndpoints: flags['etcd-servers']!.split(','),
    host,
    port: Number(flags.port),
    tls: flags['tls-cert-file'] ? { cert: readFileSync(flags['tls-cert-file']), key: readFileSync(flags['tls-private-key-file'] ?? '') } : undefined,
    tokenFile: flags['token-auth-file'],
    clientCa: flags['client-ca-file'] ? readFileSync(flags['client-ca-file']) : undefined,
    bootstrapTokenAuth: flags['enable-bootstrap-token-auth'],
    nodeAgentTls: flags['kubelet-client-certificate']
      ? { ca: readFileSync(flags['kubelet-certificate-authority'] ?? ''), cert: readFileSync(flags['kubelet-client-certificate']), key: readFileSync(flags['kubelet-client-key'] ?? '') }
      : undefined,
    bodyLimit: Number(flags['max-body-bytes']),
    serviceCidr: flags['service-cluster-ip-range'],
    nodePortRange: flags['service-node-port-range'],
    advertiseAddress: flags['advertise-address'],
    etcdCompactionIntervalMs: parseDuration(flags['etcd-compaction-interval']!),
    flowControl: {
      maxRequestsInflight: share(positive(flags['max-requests-inflight']!, 'max-requests-inflight')),
      maxMutatingRequestsInflight: share(positive(flags['max-mutating-requests-inflight']!, 'max-mutating-requests-inflight')),
    },
    encryptionProviderConfig: flags['encryption-provider-config'],
    watch: process.env.COXSWAIN_WATCH_BOOKMARK_MS ? { bookmarkIntervalMs: Number(process.env.COXSWAIN_WATCH_BOOKMARK_MS) } : undefined,
    logger,
    worker,
  });
  if (worker) process.send?.(LISTENING);
  const memory = startMemoryRelease({ registry: server.metrics.registry, logger });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    memory.stop();
    logger.info({ signal }, 'shutting down');
    await server.close().catch((error) => logger.error({ err: error }, 'shutdown error'));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  console.error(JSON.stringify({ level: 50, msg: 'apiserver failed to start', err: String(error?.stack ?? error) }));
  process.exit(1);
});
