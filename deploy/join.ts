// `npm run up -- --join <API address> --token <T> --discovery-token-ca-cert-hash sha256:<hex>`
// (what `coxctl token create --print-join-command` prints): this machine becomes a node of an
// existing cluster — only the node agent runs, no control plane. As `kubeadm join` does, it
// first discovers the cluster: reads kube-public/cluster-info without trusting the server,
// checks the token's signature over it and the CA's public-key hash, and only then trusts that
// CA. The agent starts with the bootstrap token, asks for its own client certificate
// (system:node:<name>) and a serving certificate for its addresses, and is restarted with
// back-off if it dies. `--ca-file` instead trusts a CA file copied from the control plane
// (kubeadm's file discovery).
import { hostname } from 'node:os';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseBootstrapToken, parseCaCertHash } from '@coxswain/api';
import { appArgs, appEnv, discoverBootstrapKubeconfig, kubeconfigYaml, spawnManaged, supervise } from '@coxswain/harness';

/** How the joining machine comes to trust the cluster's CA. */
export type Discovery =
  | { kind: 'token'; caCertHashes: string[]; unsafeSkipCaVerification: boolean }
  | { kind: 'file'; caFile: string };

export interface JoinOptions {
  apiUrl: string;
  token: string;
  discovery: Discovery;
  stateDir: string;
  nodeName?: string;
  /** The address other nodes and the API server reach this machine on. */
  nodeIp?: string;
  logLevel: string;
  extraArgs?: string[];
}

export interface JoinFlags {
  join?: string;
  token?: string;
  'discovery-token-ca-cert-hash'?: string[];
  'discovery-token-unsafe-skip-ca-verification'?: boolean;
  'ca-file'?: string;
}

/** The join flags checked (pure): kubeadm's rules — a pin, or an explicit unsafe skip, or a CA file. */
export function parseJoinFlags(flags: JoinFlags): { apiUrl: string; token: string; discovery: Discovery } {
  const usage = 'usage: --join <https://API address:port> --token <id.secret> --discovery-token-ca-cert-hash sha256:<hex> (see coxctl token create --print-join-command)';
  if (!flags.join || !flags.token) throw new Error(`--join needs the API server's address and --token\n${usage}`);
  if (!parseBootstrapToken(flags.token)) throw new Error('--token must be a bootstrap token: [a-z0-9]{6}.[a-z0-9]{16} (coxctl token create)');
  // kubeadm takes host:port; the scheme is implied.
  const apiUrl = /^[a-z]+:\/\//.test(flags.join) ? flags.join : `https://${flags.join}`;
  if (!/^https:\/\/[^/]+\/?$/.test(apiUrl)) throw new Error(`--join needs the API server's https:// address (host:port), got ${flags.join}`);
  const pins = flags['discovery-token-ca-cert-hash'] ?? [];
  const unsafe = flags['discovery-token-unsafe-skip-ca-verification'] === true;
  if (flags['ca-file']) {
    if (pins.length || unsafe) throw new Error('--ca-file and --discovery-token-* are alternatives: give one');
    return { apiUrl, token: flags.token, discovery: { kind: 'file', caFile: flags['ca-file'] } };
  }
  const parsed = pins.map((pin) => {
    const hash = parseCaCertHash(pin);
    if (!hash) throw new Error(`--discovery-token-ca-cert-hash ${JSON.stringify(pin)}: expected sha256:<64 hex digits>`);
    return hash;
  });
  if (!parsed.length && !unsafe) {
    throw new Error(`--join needs --discovery-token-ca-cert-hash sha256:<hex> (the CA's public-key hash; coxctl token create --print-join-command prints it), or --discovery-token-unsafe-skip-ca-verification to trust any CA the token signs\n${usage}`);
  }
  return { apiUrl, token: flags.token, discovery: { kind: 'token', caCertHashes: parsed, unsafeSkipCaVerification: unsafe } };
}

/** The node agent's arguments for a joining machine (pure). */
export function joinAgentArgs(options: { stateDir: string; nodeName: string; caFile: string; nodeIp?: string; extraArgs?: string[] }): string[] {
  const dir = join(options.stateDir, 'node');
  return [
    '--node-name', options.nodeName,
    '--bootstrap-kubeconfig', join(dir, 'bootstrap-kubeconfig'),
    '--kubeconfig', join(dir, 'kubeconfig'),
    '--rotate-server-certificates', '--client-ca-file', options.caFile,
    '--root', join(dir, 'root'),
    ...(options.nodeIp ? ['--node-ip', options.nodeIp, '--grpc-address', `${options.nodeIp}:10250`, '--metrics-address', options.nodeIp] : ['--grpc-address', '0.0.0.0:10250']),
    ...(options.extraArgs ?? []),
  ];
}

export async function join_(options: JoinOptions): Promise<{ stop(): Promise<void> }> {
  const nodeName = options.nodeName ?? hostname().toLowerCase();
  const dir = join(options.stateDir, 'node');
  await mkdir(dir, { recursive: true });
  const bootstrapKubeconfig = join(dir, 'bootstrap-kubeconfig');
  // The trusted CA also tells the agent whose client certificate (the API server's) to accept.
  const caFile = join(dir, 'ca.crt');
  if (options.discovery.kind === 'file') {
    const ca = await readFile(options.discovery.caFile, 'utf8');
    await writeFile(bootstrapKubeconfig, kubeconfigYaml(options.apiUrl, options.token, ca, 'kubelet-bootstrap'), { mode: 0o600 });
    await writeFile(caFile, ca);
  } else {
    console.log(`up: discovering the cluster at ${options.apiUrl} (token ${options.token.split('.')[0]})`);
    const { server, caPem } = await discoverBootstrapKubeconfig(bootstrapKubeconfig, {
      apiUrl: options.apiUrl,
      token: options.token,
      caCertHashes: options.discovery.caCertHashes,
      unsafeSkipCaVerification: options.discovery.unsafeSkipCaVerification,
      log: (line) => console.log(`up: ${line}`),
    });
    await writeFile(caFile, caPem);
    console.log(`up: cluster-info signature and CA pin verified; API server ${server}`);
  }
  const args = [...(await appArgs('node-agent')), ...joinAgentArgs({ ...options, nodeName, caFile })];
  const agent = supervise(
    () => {
      const proc = spawnManaged(process.execPath, args, { env: { ...process.env, ...appEnv('node-agent'), LOG_LEVEL: options.logLevel } });
      proc.child.stdout?.on('data', (d: Buffer) => process.stdout.write(`[${nodeName}] ${d}`));
      proc.child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[${nodeName}] ${d}`));
      return proc;
    },
    { onRestart: (info) => console.log(`up: node agent exited (${info.signal ?? `code ${info.code}`}); restarting in ${info.delayMs} ms`) },
  );
  console.log(`up: node ${nodeName} joining ${options.apiUrl} (state in ${dir})`);
  return { stop: () => agent.stop(15_000) };
}
