// Command line and environment: `--kubeconfig`, `--config`, `--metrics-port`, `--leader-elect`.
import { parseArgs } from 'node:util';

export interface Flags {
  /** Falls back to KUBECONFIG (handled by the kubeconfig loader) and ~/.kube/config. */
  kubeconfig?: string;
  config?: string;
  metricsPort: number;
  /** Overrides the config file's leaderElection.enabled when set. */
  leaderElect?: boolean;
  /** Lease holder identity; default hostname_pid. */
  identity?: string;
}

export const DEFAULT_METRICS_PORT = 10259;

export const USAGE = `usage: scheduler [--kubeconfig FILE] [--config FILE] [--metrics-port N] [--leader-elect=true|false] [--identity ID]
  env fallbacks: KUBECONFIG, SCHEDULER_CONFIG, SCHEDULER_METRICS_PORT, SCHEDULER_LEADER_ELECT, SCHEDULER_IDENTITY`;

function bool(text: string | undefined, what: string): boolean | undefined {
  if (text === undefined || text === '') return undefined;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new Error(`${what}: expected true or false, got ${text}`);
}

export function parseFlags(argv: string[], env: NodeJS.ProcessEnv): Flags {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      config: { type: 'string' },
      'metrics-port': { type: 'string' },
      'leader-elect': { type: 'string' },
      identity: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) throw new Error(USAGE);
  const portText = values['metrics-port'] ?? env.SCHEDULER_METRICS_PORT;
  const metricsPort = portText === undefined || portText === '' ? DEFAULT_METRICS_PORT : Number(portText);
  if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535) throw new Error(`--metrics-port: expected 0..65535, got ${portText}`);
  return {
    kubeconfig: values.kubeconfig,
    config: values.config ?? (env.SCHEDULER_CONFIG || undefined),
    metricsPort,
    leaderElect: bool(values['leader-elect'] ?? env.SCHEDULER_LEADER_ELECT, '--leader-elect'),
    identity: values.identity ?? (env.SCHEDULER_IDENTITY || undefined),
  };
}
