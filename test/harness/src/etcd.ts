import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { ManagedProcess, spawnManaged, waitUntil } from './process';

export interface EtcdOptions {
  /** etcd binary; defaults to the Debian package's. */
  binary?: string;
  /** Keep the data dir (for the launcher); tests leave it to be removed. */
  dataDir?: string;
  clientPort?: number;
  startTimeoutMs?: number;
  /** Extra etcd flags (e.g. a short --experimental-watch-progress-notify-interval). */
  args?: string[];
}

export interface RunningEtcd {
  /** Client URL, e.g. http://127.0.0.1:23791 */
  readonly endpoint: string;
  readonly dataDir: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Starts a real etcd on free loopback ports with its own data dir. Retries a couple of times
 * because a port picked by freePort() can be taken before etcd binds it.
 */
export async function startEtcd(options: EtcdOptions = {}): Promise<RunningEtcd> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(options: EtcdOptions): Promise<RunningEtcd> {
  const ownDir = !options.dataDir;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'cox-etcd-')));
  const clientPort = options.clientPort ?? (await freePort());
  const peerPort = await freePort();
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const proc = spawnManaged(options.binary ?? 'etcd', [
    '--name', 'cox',
    '--data-dir', dataDir,
    '--listen-client-urls', endpoint,
    '--advertise-client-urls', endpoint,
    '--listen-peer-urls', peer,
    '--initial-advertise-peer-urls', peer,
    '--initial-cluster', `cox=${peer}`,
    '--logger', 'zap',
    '--log-level', 'warn',
    ...(options.args ?? []),
  ]);
  const stop = async () => {
    await proc.stop();
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      async () => {
        if (proc.child.exitCode !== null) throw new Error('etcd exited');
        const res = await fetch(`${endpoint}/health`);
        return res.ok && ((await res.json()) as { health?: string }).health === 'true';
      },
      options.startTimeoutMs ?? 20_000,
      () => `etcd at ${endpoint} did not become healthy; output:\n${proc.output()}`,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, dataDir, process: proc, stop };
}
