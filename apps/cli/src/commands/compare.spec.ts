import { bar, COMPARE_QUERIES, fetchComparison, prometheusQuery, renderComparison } from './compare';

const vector = (pairs: Array<[Record<string, string>, number]>) => pairs.map(([metric, v]) => ({ metric, value: [0, String(v)] as [number, string] }));

const ANSWERS: Record<string, ReturnType<typeof vector>> = {
  [COMPARE_QUERIES.startP50]: vector([[{ kind: 'container' }, 0.12], [{ kind: 'vm' }, 3]]),
  [COMPARE_QUERIES.startP90]: vector([[{ kind: 'container' }, 0.3], [{ kind: 'vm' }, 6]]),
  [COMPARE_QUERIES.starts]: vector([[{ kind: 'container' }, 14], [{ kind: 'vm' }, 2]]),
  [COMPARE_QUERIES.running]: vector([[{ kind: 'container' }, 12], [{ kind: 'vm' }, 1]]),
  [COMPARE_QUERIES.containerMemory]: vector([[{}, 4 * 1024 * 1024]]),
  [COMPARE_QUERIES.vmMemory]: vector([[{}, 120 * 1024 * 1024]]),
};

describe('coxctl compare', () => {
  it.each([
    [undefined, 10, 4, '    '],
    [0, 10, 4, '    '],
    [10, 10, 4, '████'],
    [5, 10, 4, '██  '],
    [0.01, 10, 4, '█   '], // anything measured shows
  ])('bar(%p, max %p)', (value, max, width, want) => expect(bar(value, max, width)).toBe(want));

  it('asks Prometheus the instant queries and sorts the answers by kind', async () => {
    const asked: string[] = [];
    const fakeFetch = (async (url: string) => {
      const q = decodeURIComponent(new URL(url).searchParams.get('query')!);
      asked.push(q);
      return { status: 200, json: async () => ({ status: 'success', data: { result: ANSWERS[q] ?? [] } }) };
    }) as unknown as typeof fetch;
    const c = await fetchComparison(prometheusQuery('http://prom:9090/', fakeFetch));
    expect(new Set(asked)).toEqual(new Set(Object.values(COMPARE_QUERIES)));
    expect(c).toEqual({
      container: { startP50: 0.12, startP90: 0.3, starts: 14, running: 12, memoryPerWorkload: 4 * 1024 * 1024 },
      vm: { startP50: 3, startP90: 6, starts: 2, running: 1, memoryPerWorkload: 120 * 1024 * 1024 },
    });
  });

  it('a Prometheus error is the command\'s error', async () => {
    const fakeFetch = (async () => ({ status: 400, json: async () => ({ status: 'error', error: 'parse error' }) })) as unknown as typeof fetch;
    await expect(prometheusQuery('http://p', fakeFetch)('up')).rejects.toThrow('Prometheus: parse error');
  });

  it('draws both kinds on one scale per chart, with the isolation each gives', () => {
    const text = renderComparison(
      { container: { startP50: 0.12, startP90: 0.3, starts: 14, running: 12, memoryPerWorkload: 4 * 1024 * 1024 }, vm: { startP50: 3, startP90: 6, starts: 2, running: 1, memoryPerWorkload: 120 * 1024 * 1024 } },
      10,
    );
    expect(text.split('\n').slice(0, 3)).toEqual([
      'START LATENCY (apply → Running), p50 / p90',
      'container  █          120 ms / 300 ms  (14 starts)',
      'vm         ██████████ 3.00 s / 6.00 s  (2 starts)',
    ]);
    expect(text).toContain('vm         ██████████ 120.0 MiB');
    expect(text).toContain('container  ██████████ 12');
    expect(text).toContain('ISOLATION\ncontainer  namespaces');
  });

  it('says when nothing was measured yet', () => {
    const text = renderComparison({ container: {}, vm: {} });
    expect(text).toMatch(/^container +no starts measured yet$/m);
    expect(text).toMatch(/^vm +no starts measured yet$/m);
    expect(text).not.toContain('█');
  });
});
