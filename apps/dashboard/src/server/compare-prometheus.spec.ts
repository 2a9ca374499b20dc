import { COMPARE_PROMQL, fetchPrometheusFigures, prometheusFigures } from './compare-prometheus';

const v = (metric: Record<string, string>, value: number | string) => ({ metric, value: [0, String(value)] as [number, string] });

describe('compare Prometheus figures', () => {
  it('sorts buckets per kind (+Inf last) and keys overhead by namespace/name', () => {
    const got = prometheusFigures(
      [v({ kind: 'vm', le: '+Inf' }, 2), v({ kind: 'vm', le: '5' }, 1), v({ kind: 'container', le: '0.1' }, 3), v({ kind: 'other', le: '1' }, 9), v({ kind: 'vm', le: 'x' }, 1)],
      [v({ namespace: 'ns', name: 'vm' }, 20e6)],
      [v({ namespace: 'ns', pod: 'web' }, 1e5)],
    );
    expect(got).toEqual({
      startBuckets: { container: [{ le: 0.1, count: 3 }], vm: [{ le: 5, count: 1 }, { le: Infinity, count: 2 }] },
      overhead: { 'ns/vm': 20e6, 'ns/web': 1e5 },
    });
  });

  it('asks the three instant queries and fails on an error answer', async () => {
    const asked: string[] = [];
    const ok = (async (url: string) => {
      asked.push(new URL(url).searchParams.get('query')!);
      return { ok: true, json: async () => ({ status: 'success', data: { result: [] } }) };
    }) as unknown as typeof fetch;
    await expect(fetchPrometheusFigures('http://prom:9090/', ok)).resolves.toEqual({ startBuckets: { container: [], vm: [] }, overhead: {} });
    expect(asked.sort()).toEqual(Object.values(COMPARE_PROMQL).sort());
    const bad = (async () => ({ ok: false, status: 503 })) as unknown as typeof fetch;
    await expect(fetchPrometheusFigures('http://prom:9090', bad)).rejects.toThrow('prometheus answered 503');
  });
});
