import { HealthCheck, runHealthChecks } from './health-checks';

const ok = (name: string): HealthCheck => ({ name, check: () => undefined });
const failing = (name: string, message: string): HealthCheck => ({ name, check: () => Promise.reject(new Error(message)) });
const hanging = (name: string): HealthCheck => ({ name, check: () => new Promise<void>(() => undefined) });

describe('runHealthChecks', () => {
  it.each<[string, HealthCheck[], Parameters<typeof runHealthChecks>[2], number, string]>([
    ['all healthy', [ok('ping'), ok('etcd')], {}, 200, 'ok'],
    ['all healthy, verbose', [ok('ping'), ok('etcd')], { verbose: true }, 200, '[+]ping ok\n[+]etcd ok\nreadyz check passed\n'],
    ['etcd failing withholds the reason', [ok('ping'), failing('etcd', 'connection refused')], {}, 500, '[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n'],
    ['etcd failing, verbose', [ok('ping'), failing('etcd', 'connection refused')], { verbose: true }, 500, '[+]ping ok\n[-]etcd failed: connection refused\nreadyz check failed\n'],
    ['a hanging check times out', [ok('ping'), hanging('etcd')], { verbose: true, timeoutMs: 20 }, 500, '[+]ping ok\n[-]etcd failed: timed out after 20ms\nreadyz check failed\n'],
    ['exclude skips a failing check', [ok('ping'), failing('etcd', 'down')], { exclude: ['etcd'], verbose: true }, 200, '[+]ping ok\n[+]etcd excluded: ok\nreadyz check passed\n'],
    ['one check by name', [ok('ping'), failing('etcd', 'down')], { only: 'ping' }, 200, 'ok'],
    ['one failing check by name', [ok('ping'), failing('etcd', 'down')], { only: 'etcd' }, 500, 'internal server error: down\n'],
    ['an unknown check', [ok('ping')], { only: 'nope' }, 404, '404 page not found\n'],
  ])('%s', async (_name, checks, options, code, body) => {
    expect(await runHealthChecks('readyz', checks, options)).toEqual({ code, body });
  });
});
