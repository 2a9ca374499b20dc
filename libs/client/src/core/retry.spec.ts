import { Registry } from 'prom-client';
import { ApiError } from './api-error';
import { promRestClientMetrics } from './prom-rest-metrics';
import { retryOnConflict } from './retry';

const apiError = (code: number, reason: string) => new ApiError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason });

describe('retryOnConflict', () => {
  it.each([
    ['succeeds at once', [], 1, 'ok'],
    ['retries conflicts until success', [apiError(409, 'Conflict'), apiError(409, 'Conflict')], 3, 'ok'],
    ['gives up after steps conflicts', Array(5).fill(apiError(409, 'Conflict')), 5, 'Conflict'],
    ['does not retry other errors', [apiError(404, 'NotFound')], 1, 'NotFound'],
    ['does not retry AlreadyExists', [apiError(409, 'AlreadyExists')], 1, 'AlreadyExists'],
  ])('%s', async (_name, failures, wantCalls, want) => {
    let calls = 0;
    const result = await retryOnConflict(
      async () => {
        const failure = failures[calls++];
        if (failure) throw failure;
        return 'ok';
      },
      { delayMs: 0 },
    ).catch((e: ApiError) => e.reason);
    expect([calls, result]).toEqual([wantCalls, want]);
  });
});

describe('promRestClientMetrics', () => {
  it('counts requests by code and method and observes latency by verb', async () => {
    const registry = new Registry();
    const record = promRestClientMetrics(registry);
    record({ method: 'GET', path: '/api/v1/pods', code: 200, durationMs: 5 });
    record({ method: 'GET', path: '/api/v1/pods/x', code: 404, durationMs: 3 });
    promRestClientMetrics(registry)({ method: 'POST', path: '/api/v1/pods', code: 201, durationMs: 10 });
    const text = await registry.metrics();
    expect(text).toContain('rest_client_requests_total{code="200",method="GET"} 1');
    expect(text).toContain('rest_client_requests_total{code="404",method="GET"} 1');
    expect(text).toContain('rest_client_requests_total{code="201",method="POST"} 1');
    expect(text).toContain('rest_client_request_duration_seconds_count{verb="GET"} 2');
    expect(text).not.toContain('/api/v1');
  });
});
