// Mean request latencies from the API server's own /metrics over a phase, to tell time in
// the API server from time in etcd.
const SERIES = {
  create: ['apiserver_request_duration_seconds', { verb: 'POST', resource: 'pods', subresource: '' }],
  bind: ['apiserver_request_duration_seconds', { verb: 'POST', resource: 'pods', subresource: 'binding' }],
  etcdCreate: ['etcd_request_duration_seconds', { operation: 'create', type: 'pods' }],
  etcdUpdate: ['etcd_request_duration_seconds', { operation: 'update', type: 'pods' }],
  etcdGet: ['etcd_request_duration_seconds', { operation: 'get', type: 'pods' }],
} as const;

export type Sample = Record<keyof typeof SERIES, { sum: number; count: number }>;

/** The lines of one series family (`name{…}`) whose labels include `labels`, with their values. */
export function seriesLines(text: string, name: string, labels: Record<string, string>): Array<{ line: string; value: number }> {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
    .map((line) => ({ line, value: Number(line.slice(line.lastIndexOf(' ') + 1)) }));
}

function total(text: string, name: string, labels: Record<string, string>, suffix: string): number {
  return seriesLines(text, `${name}_${suffix}`, labels).reduce((s, l) => s + l.value, 0);
}

export async function sampleApi(url: string, token: string): Promise<Sample> {
  const text = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text(), () => '');
  const out = {} as Sample;
  for (const [key, [name, labels]] of Object.entries(SERIES)) {
    out[key as keyof Sample] = { sum: total(text, name, labels, 'sum'), count: total(text, name, labels, 'count') };
  }
  return out;
}

/** Mean ms per request between two samples. */
export function meanMs(before: Sample, after: Sample): Record<keyof Sample, number> {
  const out = {} as Record<keyof Sample, number>;
  for (const key of Object.keys(SERIES) as Array<keyof Sample>) {
    const count = after[key].count - before[key].count;
    out[key] = count > 0 ? Math.round(((after[key].sum - before[key].sum) / count) * 10_000) / 10 : NaN;
  }
  return out;
}
