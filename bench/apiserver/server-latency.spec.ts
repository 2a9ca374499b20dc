import { durationBuckets, histogramQuantile } from './server-latency';

const exposition = [
  'apiserver_request_duration_seconds_bucket{le="0.001",verb="GET",group="",version="v1",resource="pods",subresource="",scope="resource"} 90',
  'apiserver_request_duration_seconds_bucket{le="0.01",verb="GET",group="",version="v1",resource="pods",subresource="",scope="resource"} 99',
  'apiserver_request_duration_seconds_bucket{le="0.1",verb="GET",group="",version="v1",resource="pods",subresource="",scope="resource"} 100',
  'apiserver_request_duration_seconds_bucket{le="+Inf",verb="GET",group="",version="v1",resource="pods",subresource="",scope="resource"} 100',
  'apiserver_request_duration_seconds_bucket{le="0.001",verb="GET",group="",version="v1",resource="pods",subresource="status",scope="resource"} 10',
  'apiserver_request_duration_seconds_bucket{le="0.01",verb="GET",group="",version="v1",resource="pods",subresource="status",scope="resource"} 10',
  'apiserver_request_duration_seconds_bucket{le="0.1",verb="GET",group="",version="v1",resource="pods",subresource="status",scope="resource"} 10',
  'apiserver_request_duration_seconds_bucket{le="+Inf",verb="GET",group="",version="v1",resource="pods",subresource="status",scope="resource"} 10',
  'apiserver_request_duration_seconds_bucket{le="0.001",verb="POST",group="",version="v1",resource="pods",subresource="",scope="namespace"} 0',
  'apiserver_request_duration_seconds_bucket{le="+Inf",verb="POST",group="",version="v1",resource="pods",subresource="",scope="namespace"} 4',
  'apiserver_request_duration_seconds_count{verb="GET",group="",version="v1",resource="pods",subresource="",scope="resource"} 100',
].join('\n');

describe('server-side latency', () => {
  it('sums the series of one verb and resource', () => {
    expect([...durationBuckets(exposition, 'GET', 'pods')]).toEqual([[0.001, 100], [0.01, 109], [0.1, 110], [Infinity, 110]]);
  });

  it.each([
    [0.5, 0.00055], // rank 55 of 110, inside the first bucket (0 to 1 ms)
    [0.99, 0.0099], // rank 108.9: 8.9 of the 9 in (1 ms, 10 ms]
    [1, 0.1],
  ])('histogram_quantile(%p)', (q, want) => {
    expect(histogramQuantile(q, durationBuckets(exposition, 'GET', 'pods'))).toBeCloseTo(want, 6);
  });

  it('answers the highest finite bound when the rank falls in +Inf, and NaN with no requests', () => {
    expect(histogramQuantile(0.99, durationBuckets(exposition, 'POST', 'pods'))).toBe(0.001);
    expect(histogramQuantile(0.99, durationBuckets(exposition, 'DELETE', 'pods'))).toBeNaN();
  });
});
