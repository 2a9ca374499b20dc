import { parseFlags } from './flags';

describe('parseFlags', () => {
  it.each([
    { name: 'defaults', argv: [], env: {}, want: { metricsPort: 10259 } },
    { name: 'flags', argv: ['--kubeconfig', '/k', '--config=/c.yaml', '--metrics-port', '0', '--leader-elect=false'], env: {}, want: { kubeconfig: '/k', config: '/c.yaml', metricsPort: 0, leaderElect: false } },
    { name: 'env fallbacks', argv: [], env: { SCHEDULER_CONFIG: '/e.yaml', SCHEDULER_METRICS_PORT: '9000', SCHEDULER_LEADER_ELECT: 'true', SCHEDULER_IDENTITY: 'me' }, want: { config: '/e.yaml', metricsPort: 9000, leaderElect: true, identity: 'me' } },
    { name: 'flags beat env', argv: ['--config', '/f.yaml'], env: { SCHEDULER_CONFIG: '/e.yaml' }, want: { config: '/f.yaml' } },
  ])('$name', ({ argv, env, want }) => {
    expect(parseFlags(argv, env)).toMatchObject(want);
  });

  it.each([
    { name: 'unknown flag', argv: ['--nope'], error: /Unknown option/ },
    { name: 'bad port', argv: ['--metrics-port', '70000'], error: /metrics-port/ },
    { name: 'bad boolean', argv: ['--leader-elect=maybe'], error: /leader-elect/ },
    { name: 'help', argv: ['--help'], error: /usage: scheduler/ },
  ])('rejects $name', ({ argv, error }) => {
    expect(() => parseFlags(argv, {})).toThrow(error);
  });
});
