import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { ManagedProcess, spawnManaged, waitUntil } from './process';
import { supervise, SuperviseOptions } from './supervise';

export interface EtcdOptions {
  /** etcd binary; defaults to the Debian package's. */
  binary?: string;
  /** Keep the data dir (for the launcher); tests leave it to be removed. With several members each gets `member-<n>/` in it. */
  dataDir?: string;
  /** Client port of the first member. */
  clientPort?: number;
  startTimeoutMs?: number;
  /** Extra etcd flags (e.g. a short --experimental-watch-progress-notify-interval). */
  args?: string[];
  /** Members of one real etcd cluster on loopback ports (default 1; 3 for an HA control plane). */
  members?: number;
  /** Supervise each member: start it again (with back-off) when it dies, reporting each restart here. */
  onRestart?: (member: string, info: Parameters<NonNullable<SuperviseOptions['onRestart']>>[0]) => void;
}

export interface EtcdMember {
  readonly name: string;
  /** Client URL of this member. */
  readonly endpoint: string;
  readonly dataDir: string;
  readonly process: ManagedProcess;
}

export interface RunningEtcd {
  /** Client URLs, comma-separated (what --etcd-servers takes), e.g. http://127.0.0.1:23791 */
  readonly endpoint: string;
  readonly endpoints: string[];
  readonly dataDir: string;
  /** The first member's process. */
  readonly process: ManagedProcess;
  readonly members: EtcdMember[];
  stop(): Promise<void>;
}

/**
 * Starts a real etcd (or a cluster of `members`) on free loopback ports with its own data
 * dir. Retries a couple of times because a port picked by freePort() can be taken before
 * etcd binds it.
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
  const count = options.members ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new Error(`etcd members must be a positive integer, got ${count}`);
  const ownDir = !options.dataDir;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'cox-etcd-')));
  const specs: Array<{ name: string; endpoint: string; peer: string; dataDir: string }> = [];
  for (let i = 0; i < count; i++) {
    const clientPort = i === 0 && options.clientPort ? options.clientPort : await freePort();
    const peerPort = await freePort();
    specs.push({
      name: count === 1 ? 'cox' : `cox-${i + 1}`,
      endpoint: `http://127.0.0.1:${clientPort}`,
      peer: `http://127.0.0.1:${peerPort}`,
      dataDir: count === 1 ? dataDir : join(dataDir, `member-${i + 1}`),
    });
  }
  const initialCluster = specs.map((s) => `${s.name}=${s.peer}`).join(',');
  const clusterToken = `cox-${randomBytes(6).toString('hex')}`;
  const members: EtcdMember[] = [];
  for (const spec of specs) {
    await mkdir(spec.dataDir, { recursive: true, mode: 0o700 });
    // A restarted member finds its data dir and rejoins; the initial-cluster flags are then ignored.
    const spawnOnce = () =>
      spawnManaged(options.binary ?? 'etcd', [
        '--name', spec.name,
        '--data-dir', spec.dataDir,
        '--listen-client-urls', spec.endpoint,
        '--advertise-client-urls', spec.endpoint,
        '--listen-peer-urls', spec.peer,
        '--initial-advertise-peer-urls', spec.peer,
        '--initial-cluster', initialCluster,
        '--initial-cluster-token', clusterToken,
        '--initial-cluster-state', 'new',
        '--logger', 'zap',
        '--log-level', 'warn',
        ...(options.args ?? []),
      ]);
    const onRestart = options.onRestart;
    const proc = onRestart ? supervise(spawnOnce, { onRestart: (info) => onRestart(spec.name, info) }) : spawnOnce();
    members.push({ name: spec.name, endpoint: spec.endpoint, dataDir: spec.dataDir, process: proc });
  }
  const stop = async () => {
    // One member at a time: a member told to stop while its peers are stopping too waits for a
    // leader transfer that cannot happen (the whole 5 s grace); in turn, each stops at once.
    for (const m of members) await m.process.stop();
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    // A member reports healthy once the cluster has a leader, so every member is started first.
    for (const member of members) {
      await waitUntil(
        async () => {
          if (!options.onRestart && member.process.child.exitCode !== null) throw new Error(`etcd ${member.name} exited`);
          const res = await fetch(`${member.endpoint}/health`);
          return res.ok && ((await res.json()) as { health?: string }).health === 'true';
        },
        options.startTimeoutMs ?? 20_000,
        () => `etcd ${member.name} at ${member.endpoint} did not become healthy; output:\n${member.process.output()}`,
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const endpoints = members.map((m) => m.endpoint);
  return { endpoint: endpoints.join(','), endpoints, dataDir, process: members[0].process, members, stop };
}
