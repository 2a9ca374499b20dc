import { loadConfig } from './config';

describe('loadConfig', () => {
  it('reads the documented variables with defaults', () => {
    expect(loadConfig({ COXSWAIN_API_URL: 'https://10.0.0.1:6443/' })).toEqual({ apiUrl: 'https://10.0.0.1:6443', caFile: undefined, port: 3000, host: '127.0.0.1', prometheusUrl: undefined, sampleIntervalMs: 10_000, sampleCapacity: 180 });
    expect(loadConfig({ COXSWAIN_API_URL: 'http://a:1', COXSWAIN_API_CA: '/ca.pem', COXSWAIN_DASHBOARD_PORT: '4000', COXSWAIN_PROMETHEUS_URL: 'http://p:9090/', COXSWAIN_DASHBOARD_SAMPLE_MS: '2000' })).toMatchObject({ caFile: '/ca.pem', port: 4000, prometheusUrl: 'http://p:9090', sampleIntervalMs: 2000 });
  });
  it.each([
    [{}, /COXSWAIN_API_URL/],
    [{ COXSWAIN_API_URL: 'ftp://x' }, /COXSWAIN_API_URL/],
    [{ COXSWAIN_API_URL: 'https://x/path' }, /without a path/],
    [{ COXSWAIN_API_URL: 'https://x', COXSWAIN_DASHBOARD_PORT: 'abc' }, /COXSWAIN_DASHBOARD_PORT/],
    [{ COXSWAIN_API_URL: 'https://x', COXSWAIN_DASHBOARD_SAMPLE_MS: '10' }, /≥ 250/],
    [{ COXSWAIN_API_URL: 'https://x', COXSWAIN_PROMETHEUS_URL: 'p:9090' }, /PROMETHEUS/],
  ])('rejects %p', (env, error) => expect(() => loadConfig(env as Record<string, string>)).toThrow(error));
});
