import { joinRanges, parseTarget, promQueries, seriesKey } from './prometheus';

describe('prometheus', () => {
  it.each([
    ['node/n1', { kind: 'node', name: 'n1' }, 'node/n1'],
    ['pod/d/web', { kind: 'pod', namespace: 'd', name: 'web' }, 'pod/d/web'],
    ['vmi/d/tiny', { kind: 'vmi', namespace: 'd', name: 'tiny' }, 'pod/d/tiny'],
  ])('target %p', (text, target, key) => {
    expect(parseTarget(text)).toEqual(target);
    expect(seriesKey(parseTarget(text)!)).toBe(key);
  });
  it.each(['', 'node/', 'pod/d', 'vm/d/x', 'pod/d/x/y'])('bad target %p', (t) => expect(parseTarget(t)).toBeUndefined());

  it('queries use cAdvisor and KubeVirt names, escaping label values', () => {
    expect(promQueries({ kind: 'pod', namespace: 'd', name: 'we"b' })).toEqual({ cpu: 'sum(rate(container_cpu_usage_seconds_total{namespace="d",pod="we\\"b"}[1m]))', mem: 'sum(container_memory_working_set_bytes{namespace="d",pod="we\\"b"})' });
    expect(promQueries({ kind: 'vmi', namespace: 'd', name: 't' }).cpu).toContain('kubevirt_vmi_cpu_usage_seconds_total{namespace="d",name="t"}');
    expect(promQueries({ kind: 'node', name: 'n1' }).mem).toContain('container_memory_working_set_bytes{node="n1"}');
  });

  it('joins cpu and memory on timestamps', () => {
    const cpu = { status: 'success', data: { result: [{ values: [[10, '0.5'], [20, '0.25']] as Array<[number, string]> }] } };
    const mem = { status: 'success', data: { result: [{ values: [[20, '2048'], [10, '1024']] as Array<[number, string]> }] } };
    expect(joinRanges(cpu, mem)).toEqual([{ t: 10_000, cpu: 0.5, mem: 1024 }, { t: 20_000, cpu: 0.25, mem: 2048 }]);
    expect(joinRanges({ status: 'success' }, mem)).toEqual([]);
  });
});
