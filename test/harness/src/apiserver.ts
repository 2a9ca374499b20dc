// Starts the real API server as a child process (as `npm run up` does) with a token file
// for every built-in role and a kubeconfig per role, on a free loopback port.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appArgs, REPO_ROOT } from './components';
import { makeTestPki } from '@coxswain/client';
import { Agent, request } from 'undici';
import { freePort } from './ports';
import { ManagedProcess, spawnManaged, waitUntil } from './process';
import { supervise } from './supervise';

export { REPO_ROOT };

export type Role = 'admin' | 'viewer' | 'scheduler' | 'controller';

export interface ApiServerHarnessOptions {
  etcdEndpoint: string;
  /** Node agents that get a token (`system:node:<name>`). */
  nodes?: string[];
  /** Serve HTTPS with a throwaway CA (default: plain HTTP on loopback). */
  tls?: boolean;
  /** Serve HTTPS with these files (PEM paths) instead; `ca` is what clients trust. */
  tlsFiles?: { cert: string; key: string; ca: string };
  /** Listen here instead of 127.0.0.1 (needs TLS). */
  bindAddress?: string;
  /** Fixed port instead of a free one. */
  port?: number;
  /** Keep state (tokens, kubeconfigs) here instead of a temp dir removed on stop. */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  /** Extra apiserver flags. */
  args?: string[];
  /**
   * API server worker processes (`--workers`); 1 unless asked, so a test's apiserver pid is
   * the process that serves (the server's own default is the number of cores).
   */
  workers?: number;
  /** The `server` the kubeconfigs name (default this server's URL; an HA pair lists both). */
  kubeconfigServer?: string;
  /** Reuse these bearer tokens (a second API server of an HA pair accepts the first one's). */
  tokens?: RunningApiServerHarness['tokens'];
  /** Supervise the process: start it again (with back-off) when it dies, reporting each restart here. */
  onRestart?: (info: { code: number | null; signal: string | null; delayMs: number; restarts: number }) => void;
}

export interface RunningApiServerHarness {
  url: string;
  /** Bearer token per role; nodes by name under `node`. */
  tokens: Record<Role, string> & { node: Record<string, string> };
  /** PEM of the CA when tls is on. */
  ca?: string;
  dir: string;
  /** A kubeconfig file for a role (or `node:<name>`). */
  kubeconfigPath(role: Role | `node:${string}`): string;
  output(): string;
  pid: number;
  port: number;
  stop(): Promise<void>;
}

const token = () => randomBytes(24).toString('hex');

/**
 * A kubeconfig for one user. With several API servers (`https://a,https://b`), `server` is the
 * first (what kubectl dials) and the `servers.coxswain.io` extension lists all of them, which
 * Coxswain's clients fail over between.
 */
export function kubeconfigYaml(url: string, userToken: string, ca?: string, user = 'user'): string {
  const caLine = ca ? `    certificate-authority-data: ${Buffer.from(ca).toString('base64')}\n` : '';
  const servers = url.split(',').map((s) => s.trim()).filter(Boolean);
  const extension = servers.length > 1 ? `    extensions:\n    - name: servers.coxswain.io\n      extension:\n        servers:\n${servers.map((s) => `        - ${s}\n`).join('')}` : '';
  return `apiVersion: v1
kind: Config
clusters:
- name: coxswain
  cluster:
    server: ${servers[0] ?? url}
${caLine}${extension}contexts:
- name: coxswain
  context:
    cluster: coxswain
    user: ${user}
    namespace: default
current-context: coxswain
users:
- name: ${user}
  user:
    token: ${userToken}
`;
}

export async function startApiServer(options: ApiServerHarnessOptions): Promise<RunningApiServerHarness> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'cox-apiserver-')));
  await mkdir(dir, { recursive: true });
  const nodes = options.nodes ?? (options.tokens ? Object.keys(options.tokens.node) : ['node-1', 'node-2', 'node-3']);
  const tokens = options.tokens ?? { admin: token(), viewer: token(), scheduler: token(), controller: token(), node: Object.fromEntries(nodes.map((n) => [n, token()])) };
  const lines = [
    `${tokens.admin},admin,admin,"system:masters"`,
    `${tokens.viewer},viewer,viewer,"coxswain:viewers"`,
    `${tokens.scheduler},system:kube-scheduler,scheduler,`,
    `${tokens.controller},system:kube-controller-manager,controller,`,
    ...nodes.map((n) => `${tokens.node[n]},system:node:${n},node-${n},"system:nodes"`),
  ];
  await writeFile(join(dir, 'tokens.csv'), `${lines.join('\n')}\n`, { mode: 0o600 });
  const port = options.port ?? (await freePort());
  const host = options.bindAddress ?? '127.0.0.1';
  const args = [...(await appArgs('apiserver')), '--etcd-servers', options.etcdEndpoint, '--port', String(port), '--bind-address', host, '--token-auth-file', join(dir, 'tokens.csv'), '--workers', String(options.workers ?? 1), ...(options.args ?? [])];
  let ca: string | undefined;
  if (options.tlsFiles) {
    ca = await readFile(options.tlsFiles.ca, 'utf8');
    args.push('--tls-cert-file', options.tlsFiles.cert, '--tls-private-key-file', options.tlsFiles.key);
  } else if (options.tls) {
    const pki = makeTestPki();
    ca = pki.ca;
    await writeFile(join(dir, 'server.crt'), pki.serverCert);
    await writeFile(join(dir, 'server.key'), pki.serverKey, { mode: 0o600 });
    args.push('--tls-cert-file', join(dir, 'server.crt'), '--tls-private-key-file', join(dir, 'server.key'));
  }
  const url = `${ca ? 'https' : 'http'}://${host}:${port}`;
  const spawnOnce = () => spawnManaged(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...options.env } });
  const proc: ManagedProcess = options.onRestart ? supervise(spawnOnce, { onRestart: options.onRestart }) : spawnOnce();
  const roles: Array<[string, string, string]> = [
    ['admin', tokens.admin, 'admin'],
    ['viewer', tokens.viewer, 'viewer'],
    ['scheduler', tokens.scheduler, 'system:kube-scheduler'],
    ['controller', tokens.controller, 'system:kube-controller-manager'],
    ...nodes.map((n): [string, string, string] => [`node:${n}`, tokens.node[n], `system:node:${n}`]),
  ];
  for (const [role, t, user] of roles) await writeFile(join(dir, `${role.replace(':', '-')}.kubeconfig`), kubeconfigYaml(options.kubeconfigServer ?? url, t, ca, user), { mode: 0o600 });
  try {
    const ready = waitUntil(
      async () => {
        const res = await request(`${url}/readyz`, ca ? { dispatcher: tlsDispatcher(ca) } : {});
        await res.body.text();
        return res.statusCode === 200;
      },
      60_000,
      () => `apiserver ready at ${url}: ${proc.output()}`,
      100,
    );
    const died = proc.exited.then((code) => {
      throw new Error(`apiserver exited with ${code}: ${proc.output()}`);
    });
    await Promise.race([ready, died]);
    died.catch(() => undefined);
  } catch (error) {
    await proc.stop();
    if (!options.dir) await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    tokens,
    ca,
    dir,
    get pid() {
      return proc.child.pid!;
    },
    port,
    output: proc.output,
    kubeconfigPath: (role) => join(dir, `${role.replace(':', '-')}.kubeconfig`),
    async stop() {
      await proc.stop(10_000);
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

const dispatchers = new Map<string, Agent>();
/** An undici dispatcher trusting the cluster CA (shared per CA). */
export function tlsDispatcher(ca: string): Agent {
  let agent = dispatchers.get(ca);
  if (!agent) {
    agent = new Agent({ connect: { ca } });
    dispatchers.set(ca, agent);
  }
  return agent;
}
