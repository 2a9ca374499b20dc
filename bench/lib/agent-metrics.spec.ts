import { meanSeconds, startTotals } from './agent-metrics';

const exposition = (sandbox: [number, number], container: [number, number], pull?: [number, number]) =>
  [
    '# TYPE node_agent_workload_start_duration_seconds histogram',
    'node_agent_workload_start_duration_seconds_bucket{le="0.05",kind="sandbox"} 1',
    `node_agent_workload_start_duration_seconds_sum{kind="sandbox"} ${sandbox[0]}`,
    `node_agent_workload_start_duration_seconds_count{kind="sandbox"} ${sandbox[1]}`,
    `node_agent_workload_start_duration_seconds_sum{kind="container"} ${container[0]}`,
    `node_agent_workload_start_duration_seconds_count{kind="container"} ${container[1]}`,
    ...(pull ? [`node_agent_image_pull_duration_seconds_sum ${pull[0]}`, `node_agent_image_pull_duration_seconds_count ${pull[1]}`] : []),
  ].join('\n');

describe('agent start metrics', () => {
  it.each([
    ['all observations', exposition([0.5, 10], [1.2, 10], [3, 1]), undefined, { sandbox_s_mean: 0.05, container_s_mean: 0.12, pull_s_mean: 3 }],
    ['only those since an earlier reading', exposition([0.56, 11], [1.31, 11], [3, 1]), exposition([0.5, 10], [1.2, 10], [3, 1]), { sandbox_s_mean: 0.06, container_s_mean: 0.11 }],
    ['nothing observed: no means', exposition([0, 0], [0, 0]), undefined, {}],
    ['an exposition without the series', '# nothing here', undefined, {}],
  ])('%s', (_name, after, before, expected) => {
    expect(meanSeconds(startTotals(after), before === undefined ? undefined : startTotals(before))).toEqual(expected);
  });

  it('reads each kind from its own series', () => {
    expect(startTotals(exposition([0.5, 10], [1.2, 9], [3, 2]))).toEqual({ sandbox: { sum: 0.5, count: 10 }, container: { sum: 1.2, count: 9 }, pull: { sum: 3, count: 2 } });
  });
});
