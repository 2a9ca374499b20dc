import { ApiMetricsSource, FakeMetricsSource, parsePodMetricsList } from './metrics-source';

describe('parsePodMetricsList', () => {
  it('reads metrics-server PodMetrics', () => {
    const list = {
      items: [
        {
          metadata: { name: 'web-1', namespace: 'ns' },
          timestamp: '2025-01-01T00:00:10Z',
          window: '15.012s',
          containers: [
            { name: 'app', usage: { cpu: '250m', memory: '64Mi' } },
            { name: 'side', usage: { cpu: '1234567n', memory: '1000Ki' } },
          ],
        },
        { metadata: { name: 'vm-1' }, containers: [{ name: 'compute', usage: { cpu: '1', memory: '128Mi' } }] },
      ],
    };
    expect(parsePodMetricsList(list, 42)).toEqual([
      {
        name: 'web-1',
        timestamp: Date.parse('2025-01-01T00:00:10Z'),
        windowMs: 15_012,
        containers: [
          { name: 'app', cpuMillis: 250, memoryBytes: 64 * 1024 * 1024 },
          { name: 'side', cpuMillis: 2, memoryBytes: 1_024_000 },
        ],
      },
      { name: 'vm-1', timestamp: 42, windowMs: 0, containers: [{ name: 'compute', cpuMillis: 1000, memoryBytes: 128 * 1024 * 1024 }] },
    ]);
  });
});

describe('ApiMetricsSource', () => {
  it('asks the resource metrics API for the namespace', async () => {
    const calls: unknown[] = [];
    const source = new ApiMetricsSource({ request: async (req: unknown) => (calls.push(req), { items: [] }) } as never);
    expect(await source.podMetrics('team a')).toEqual([]);
    expect(calls).toEqual([{ method: 'GET', path: '/apis/metrics.k8s.io/v1beta1/namespaces/team%20a/pods' }]);
  });
});

describe('FakeMetricsSource', () => {
  it('serves what was set, per namespace, and can fail', async () => {
    const fake = new FakeMetricsSource(() => 7);
    fake.setAll('a', ['p1', 'p2'], { cpuMillis: 100 });
    fake.set('b', 'q', { memoryBytes: 5 });
    expect((await fake.podMetrics('a')).map((u) => [u.name, u.containers[0].cpuMillis, u.timestamp])).toEqual([
      ['p1', 100, 7],
      ['p2', 100, 7],
    ]);
    fake.failure = new Error('metrics API unavailable');
    await expect(fake.podMetrics('a')).rejects.toThrow('unavailable');
  });
});

describe('FakeMetricsSource per namespace', () => {
  it('gives every listed pod the namespace usage', async () => {
    const fake = new FakeMetricsSource(() => 1, async (ns) => (ns === 'a' ? ['x', 'y'] : []));
    fake.setNamespaceUsage('a', { cpuMillis: 50 });
    expect((await fake.podMetrics('a')).map((u) => [u.name, u.containers[0].cpuMillis])).toEqual([
      ['x', 50],
      ['y', 50],
    ]);
    expect(await fake.podMetrics('b')).toEqual([]);
  });
});
