import { promtoolFindings } from '@coxswain/metrics/testing';
import { ApiServerMetrics } from './metrics';

describe('ApiServerMetrics', () => {
  it('reads flow-control seats and queues at scrape time, by lane and kind', async () => {
    const metrics = new ApiServerMetrics();
    metrics.flowSource = () => [
      { lane: 'workload-low', kind: 'mutating', inflight: 3, waiting: 7 },
      { lane: 'system', kind: 'readonly', inflight: 1, waiting: 0 },
    ] as ReturnType<ApiServerMetrics['flowSource']>;
    const text = await metrics.registry.metrics();
    expect(text).toContain('apiserver_flowcontrol_current_executing_requests{priority_level="workload-low",kind="mutating"} 3');
    expect(text).toContain('apiserver_flowcontrol_current_inqueue_requests{priority_level="workload-low",kind="mutating"} 7');
    expect(text).toContain('apiserver_flowcontrol_current_executing_requests{priority_level="system",kind="readonly"} 1');
  });

  it('passes promtool check metrics, process metrics included', async () => {
    const metrics = new ApiServerMetrics();
    metrics.requests.inc({ verb: 'GET', group: '', version: 'v1', resource: 'pods', subresource: '', scope: 'namespace', code: '200' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('nodejs_active_handles ');
    expect(text).not.toContain('nodejs_active_handles_total');
    expect(promtoolFindings(text)).toEqual([]);
  });
});
