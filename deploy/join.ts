// `npm run up -- --join <API URL> --token <TOKEN> --ca-file <ca.crt>`: this machine becomes a
// node of an existing cluster — only the node agent runs, no control plane. The agent starts
// with the bootstrap token, asks for its own client certificate (system:node:<name>) and a
// serving certificate for its addresses, and is restarted with back-off if it dies.
import { hostname } from 'node:os';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseBootstrapToken } from '@coxswain/api';
import { appArgs, kubeconfigYaml, spawnManaged, supervise } from '@coxswain/harness';

export interface JoinOptions {
  apiUrl: string;
  token: string;
  /** The cluster CA (the control plane's .coxswain/pki/ca.crt): trusts the API server and the API server's client certificate. */
  caFile: string;
  stateDir: string;
  nodeName?: string;
  /** The address other nodes and the API server reach this machine on. */
  nodeIp?: string;
  logLevel: string;
  extraArgs?: string[];
}

/** The node agent's arguments for a joining machine (pure). */
export function joinAgentArgs(options: JoinOptions & { nodeName: string }): string[] {
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
  if (!parseBootstrapToken(options.token)) throw new Error('--token must be a bootstrap token: [a-z0-9]{6}.[a-z0-9]{16} (coxctl token create)');
  if (!/^https:\/\//.test(options.apiUrl)) throw new Error('--join needs the API server\'s https:// URL');
  const nodeName = options.nodeName ?? hostname().toLowerCase();
  const dir = join(options.stateDir, 'node');
  await mkdir(dir, { recursive: true });
  const ca = await readFile(options.caFile, 'utf8');
  await writeFile(join(dir, 'bootstrap-kubeconfig'), kubeconfigYaml(options.apiUrl, options.token, ca, 'kubelet-bootstrap'), { mode: 0o600 });
  const args = [...(await appArgs('node-agent')), ...joinAgentArgs({ ...options, nodeName })];
  const agent = supervise(
    () => {
      const proc = spawnManaged(process.execPath, args, { env: { ...process.env, LOG_LEVEL: options.logLevel } });
      proc.child.stdout?.on('data', (d: Buffer) => process.stdout.write(`[${nodeName}] ${d}`));
      proc.child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[${nodeName}] ${d}`));
      return proc;
    },
    { onRestart: (info) => console.log(`up: node agent exited (${info.signal ?? `code ${info.code}`}); restarting in ${info.delayMs} ms`) },
  );
  console.log(`up: node ${nodeName} joining ${options.apiUrl} (state in ${dir})`);
  return { stop: () => agent.stop(15_000) };
}
