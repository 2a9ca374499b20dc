import { DEFAULT_SETTINGS, parseConfig, parseDuration } from './config';

describe('parseDuration', () => {
  it.each([
    { text: '20s', want: 20_000 },
    { text: '500ms', want: 500 },
    { text: '5m', want: 300_000 },
    { text: '1m30s', want: 90_000 },
    { text: '1h', want: 3_600_000 },
    { text: '15', want: 15_000 },
    { text: '0.5', want: 500 },
    { text: '1.5s', want: 1500 },
  ])('$text → $want ms', ({ text, want }) => expect(parseDuration(text)).toBe(want));

  it.each(['', 'abc', '10x', '5m junk', '-1s'])('rejects "%s"', (text) => expect(() => parseDuration(text)).toThrow(/invalid duration/));
});

describe('parseConfig', () => {
  it('has Coxswain defaults', () => {
    const config = parseConfig([], {});
    expect(config).toMatchObject({ ...DEFAULT_SETTINGS, metricsPort: 10257, metricsHost: '127.0.0.1', leaderElect: true, leaseNamespace: 'kube-system', leaseName: 'coxswain-controller-manager' });
    expect(config !== 'help' && config.controllers).toContain('deployment');
  });

  it.each([
    { name: 'flags', argv: ['--node-monitor-grace-period', '4s', '--pod-eviction-timeout=2s', '--hpa-sync-period', '1s', '--hpa-downscale-stabilization', '10s'], env: {}, want: { nodeMonitorGracePeriodMs: 4000, podEvictionTimeoutMs: 2000, hpaSyncPeriodMs: 1000, hpaDownscaleStabilizationMs: 10_000 } },
    { name: 'environment fallbacks', argv: [], env: { COXSWAIN_NODE_MONITOR_GRACE_PERIOD: '3s', COXSWAIN_METRICS_PORT: '0', KUBECONFIG: '/k' }, want: { nodeMonitorGracePeriodMs: 3000, metricsPort: 0, kubeconfig: '/k' } },
    { name: 'flags win over environment', argv: ['--metrics-port', '9000', '--kubeconfig', '/a'], env: { COXSWAIN_METRICS_PORT: '1', KUBECONFIG: '/b' }, want: { metricsPort: 9000, kubeconfig: '/a' } },
    { name: 'leader election timings', argv: ['--leader-elect-lease-duration', '3s', '--leader-elect-renew-deadline', '2s', '--leader-elect-retry-period', '500ms'], env: {}, want: { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 500 } },
    { name: 'leader election off and a controller subset', argv: ['--leader-elect=false', '--controllers', 'replicaset,garbagecollector'], env: {}, want: { leaderElect: false, controllers: ['replicaset', 'garbagecollector'] } },
  ])('$name', ({ argv, env, want }) => expect(parseConfig(argv, env)).toMatchObject(want));

  it.each([
    { argv: ['--metrics-port', 'x'], error: /metrics-port/ },
    { argv: ['--controllers', 'replicaset,bogus'], error: /unknown controllers: bogus/ },
    { argv: ['--leader-elect', 'maybe'], error: /leader-elect/ },
    { argv: ['--hpa-tolerance', '2'], error: /hpa-tolerance/ },
    { argv: ['--nope'], error: /Unknown option/ },
  ])('rejects $argv', ({ argv, error }) => expect(() => parseConfig(argv, {})).toThrow(error));

  it('--help', () => expect(parseConfig(['--help'], {})).toBe('help'));
});
