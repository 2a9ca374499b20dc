// Command-line flags (with environment fallbacks) → settings. Pure, so the parsing and the
// defaults are table-tested; main.ts only passes process.argv and process.env in.
import { parseArgs } from 'node:util';
import { ALL_CONTROLLERS, ControllerName } from './controller-names';
import { parseDuration } from '@coxswain/api';

export { parseDuration };

export interface ControllerSettings {
  /** No node heartbeat for this long → Ready=Unknown and the unreachable taint. */
  nodeMonitorGracePeriodMs: number;
  /** Default toleration of not-ready/unreachable before workloads are evicted. */
  podEvictionTimeoutMs: number;
  /** How often each HorizontalPodAutoscaler is evaluated. */
  hpaSyncPeriodMs: number;
  /** Scale-down stabilization window for HPAs without `behavior`. */
  hpaDownscaleStabilizationMs: number;
  /** Relative metric change an HPA ignores. */
  hpaTolerance: number;
  /** Tests only: the CronJob controller's clock runs this many times faster (1 = real time). */
  cronJobClockScale: number;
}

export const DEFAULT_SETTINGS: ControllerSettings = {
  nodeMonitorGracePeriodMs: 20_000,
  podEvictionTimeoutMs: 15_000,
  hpaSyncPeriodMs: 15_000,
  hpaDownscaleStabilizationMs: 300_000,
  hpaTolerance: 0.1,
  cronJobClockScale: 1,
};

export interface ManagerConfig extends ControllerSettings {
  kubeconfig?: string;
  metricsPort: number;
  metricsHost: string;
  leaderElect: boolean;
  leaseNamespace: string;
  leaseName: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  controllers: ControllerName[];
  /** --cluster-signing-cert-file/--cluster-signing-key-file/--cluster-signing-duration (the CSR signer). */
  clusterSigning?: { certFile: string; keyFile: string; durationMs: number };
}

export const USAGE = `usage: controller-manager [--kubeconfig FILE] [--metrics-port N] [--metrics-bind-address HOST]
  [--node-monitor-grace-period 20s] [--pod-eviction-timeout 15s]
  [--hpa-sync-period 15s] [--hpa-downscale-stabilization 5m] [--hpa-tolerance 0.1]
  [--leader-elect=true|false] [--leader-elect-lease-duration 15s] [--leader-elect-renew-deadline 10s]
  [--leader-elect-retry-period 2s] [--controllers replicaset,deployment,...] [--cronjob-clock-scale 1 (tests only)]
  [--cluster-signing-cert-file F --cluster-signing-key-file F] [--cluster-signing-duration 8760h]
Every flag falls back to an environment variable: COXSWAIN_<FLAG> (e.g. COXSWAIN_NODE_MONITOR_GRACE_PERIOD),
and --kubeconfig to KUBECONFIG.`;

const envName = (flag: string) => `COXSWAIN_${flag.replace(/-/g, '_').toUpperCase()}`;

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): ManagerConfig | 'help' {
  const flags = ['kubeconfig', 'metrics-port', 'metrics-bind-address', 'node-monitor-grace-period', 'pod-eviction-timeout', 'hpa-sync-period', 'hpa-downscale-stabilization', 'hpa-tolerance', 'leader-elect', 'leader-elect-lease-duration', 'leader-elect-renew-deadline', 'leader-elect-retry-period', 'controllers', 'cronjob-clock-scale', 'cluster-signing-cert-file', 'cluster-signing-key-file', 'cluster-signing-duration'] as const;
  const { values } = parseArgs({
    args: argv,
    options: { ...Object.fromEntries(flags.map((f) => [f, { type: 'string' as const }])), help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) return 'help';
  const given = values as Record<string, string | undefined>;
  const get = (flag: (typeof flags)[number]): string | undefined => given[flag] ?? env[envName(flag)];
  const duration = (flag: (typeof flags)[number], fallback: number) => {
    const text = get(flag);
    return text === undefined ? fallback : parseDuration(text);
  };
  const metricsPort = Number(get('metrics-port') ?? 10257);
  if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535) throw new Error(`invalid --metrics-port "${get('metrics-port')}"`);
  const tolerance = Number(get('hpa-tolerance') ?? DEFAULT_SETTINGS.hpaTolerance);
  if (!(tolerance >= 0 && tolerance < 1)) throw new Error(`invalid --hpa-tolerance "${get('hpa-tolerance')}"`);
  const clockScale = Number(get('cronjob-clock-scale') ?? 1);
  if (!(clockScale >= 1 && clockScale <= 3600)) throw new Error(`invalid --cronjob-clock-scale "${get('cronjob-clock-scale')}"`);
  const leaderElect = (get('leader-elect') ?? 'true').toLowerCase();
  if (!['true', 'false'].includes(leaderElect)) throw new Error(`invalid --leader-elect "${leaderElect}"`);
  const controllerList = get('controllers');
  const controllers = controllerList ? controllerList.split(',').map((c) => c.trim()).filter(Boolean) : [...ALL_CONTROLLERS];
  const unknown = controllers.filter((c) => !(ALL_CONTROLLERS as readonly string[]).includes(c));
  if (unknown.length) throw new Error(`unknown controllers: ${unknown.join(', ')} (known: ${ALL_CONTROLLERS.join(', ')})`);
  const signingCert = get('cluster-signing-cert-file');
  const signingKey = get('cluster-signing-key-file');
  if (Boolean(signingCert) !== Boolean(signingKey)) throw new Error('--cluster-signing-cert-file and --cluster-signing-key-file go together');
  const clusterSigning = signingCert && signingKey ? { certFile: signingCert, keyFile: signingKey, durationMs: duration('cluster-signing-duration', 365 * 24 * 3600_000) } : undefined;
  return {
    clusterSigning,
    kubeconfig: given.kubeconfig ?? env.COXSWAIN_KUBECONFIG ?? env.KUBECONFIG,
    metricsPort,
    metricsHost: get('metrics-bind-address') ?? '127.0.0.1',
    nodeMonitorGracePeriodMs: duration('node-monitor-grace-period', DEFAULT_SETTINGS.nodeMonitorGracePeriodMs),
    podEvictionTimeoutMs: duration('pod-eviction-timeout', DEFAULT_SETTINGS.podEvictionTimeoutMs),
    hpaSyncPeriodMs: duration('hpa-sync-period', DEFAULT_SETTINGS.hpaSyncPeriodMs),
    hpaDownscaleStabilizationMs: duration('hpa-downscale-stabilization', DEFAULT_SETTINGS.hpaDownscaleStabilizationMs),
    hpaTolerance: tolerance,
    cronJobClockScale: clockScale,
    leaderElect: leaderElect === 'true',
    leaseNamespace: 'kube-system',
    leaseName: 'coxswain-controller-manager',
    leaseDurationMs: duration('leader-elect-lease-duration', 15_000),
    renewDeadlineMs: duration('leader-elect-renew-deadline', 10_000),
    retryPeriodMs: duration('leader-elect-retry-period', 2_000),
    controllers: controllers as ControllerName[],
  };
}
