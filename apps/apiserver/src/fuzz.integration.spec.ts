// Property-based requests against a real API server on a real etcd: random paths over every
// served resource and subresource, verbs, query parameters, content types and bodies (valid
// JSON, malformed JSON, YAML, patches, deep and huge documents). Whatever comes in, the answer
// is a 2xx or a 4xx Kubernetes Status whose code matches the HTTP status, never a 5xx; a
// refused request changes nothing in etcd; and the server keeps serving. The seed is fixed so CI
// is repeatable; FUZZ_SEED=<n> explores other inputs.
import fc from 'fast-check';
import { Etcd3 } from 'etcd3';
import { RESOURCES } from '@coxswain/api';
import { startApiServer, startEtcd, RunningApiServerHarness, RunningEtcd } from '@coxswain/harness';

jest.setTimeout(240_000);

let etcd: RunningEtcd;
let api: RunningApiServerHarness;
let raw: Etcd3;

beforeAll(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint });
  raw = new Etcd3({ hosts: [etcd.endpoint] });
});

afterAll(async () => {
  raw?.close();
  await api?.stop();
  await etcd?.stop();
});

const revision = async () => Number((await raw.get('fuzz-probe').exec()).header.revision);

const segment = fc.oneof(
  fc.constantFrom('default', 'kube-system', 'web', 'x', '..', '%2e%2e', 'a'.repeat(300), 'UPPER', '名前', ''),
  fc.stringMatching(/^[a-z0-9.-]{1,20}$/),
);

const path = fc
  .record({
    resource: fc.constantFrom(...RESOURCES),
    namespace: fc.option(segment, { nil: undefined }),
    name: fc.option(segment, { nil: undefined }),
    sub: fc.option(fc.oneof(fc.constantFrom('status', 'scale', 'binding', 'eviction', 'log', 'finalize', 'start', 'stop', 'nope')), { nil: undefined }),
    extra: fc.option(segment, { nil: undefined }),
  })
  .map(({ resource, namespace, name, sub, extra }) => {
    const base = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
    const parts = [base];
    if (namespace !== undefined && resource.namespaced) parts.push('namespaces', encodeURIComponent(namespace));
    parts.push(resource.plural);
    if (name !== undefined) {
      parts.push(encodeURIComponent(name));
      if (sub !== undefined) parts.push(sub);
      if (extra !== undefined) parts.push(encodeURIComponent(extra));
    }
    return parts.join('/').replace(/\/+/g, '/');
  });

const queryValue = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('1', 'true', 'True', '0', 'false', '-1', '99999999999999999999', 'a=b', 'a in (b,c)', '!a', 'x==y,z!=w', 'metadata.name=x', 'spec.nodeName!=', '=', ',,', '(', 'All'));
const query = fc
  .uniqueArray(fc.tuple(fc.constantFrom('labelSelector', 'fieldSelector', 'limit', 'continue', 'resourceVersion', 'watch', 'dryRun', 'fieldValidation', 'gracePeriodSeconds', 'propagationPolicy', 'pretty', 'container', 'tailLines', 'follow'), queryValue), { selector: ([k]) => k, maxLength: 4 })
  .map((pairs) => {
    const q = new URLSearchParams(pairs);
    // Bound any watch this produces.
    q.set('timeoutSeconds', '1');
    return q.toString();
  });

const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.record({ apiVersion: fc.constantFrom('v1', 'apps/v1', 'x/y', ''), kind: fc.constantFrom('Pod', 'Deployment', 'Node', 'Nope', ''), metadata: fc.record({ name: segment, labels: fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), { maxKeys: 3 }) }), spec: fc.jsonValue({ maxDepth: 4 }) }).map((v) => JSON.stringify(v)),
  fc.array(fc.record({ op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus'), path: fc.constantFrom('/metadata/labels/a', '/spec', '', '/metadata/name', '/~2'), value: fc.jsonValue({ maxDepth: 3 }) }), { maxLength: 3 }).map((v) => JSON.stringify(v)),
  fc.integer({ min: 100, max: 30_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.constant(`{"a":"${'x'.repeat(4 * 1024 * 1024)}"}`),
  fc.constant('a: [1, 2\nb: {'),
  fc.constant('apiVersion: v1\nkind: Pod\nmetadata:\n  name: yaml-pod\n---\nkind: Second\n'),
);

const contentType = fc.constantFrom('application/json', 'application/yaml', 'application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml', 'text/plain', 'application/vnd.kubernetes.protobuf', '', 'application/json; charset=utf-8');

const request = fc.record({ method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), path, query, body, contentType });

// Runs first: before any accepted write whose side effects (namespace cleanup, GC) could
// still be landing while a later refusal is checked.
it('refuses unauthenticated and under-privileged requests of any shape with 401/403, changing nothing', async () => {
  await fc.assert(
    fc.asyncProperty(request, fc.constantFrom(undefined, 'not-a-token', 'viewer'), async (r, who) => {
      if (r.method === 'GET') return; // viewers may read
      const before = await revision();
      const headers: Record<string, string> = {};
      if (who === 'viewer') headers.authorization = `Bearer ${api.tokens.viewer}`;
      else if (who) headers.authorization = `Bearer ${who}`;
      if (r.contentType) headers['content-type'] = r.contentType;
      const res = await fetch(`${api.url}${r.path}?${r.query}`, { method: r.method, headers, body: r.body, signal: AbortSignal.timeout(30_000) });
      await res.text();
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(await revision()).toBe(before);
    }),
    { numRuns: 100, seed: Number(process.env.FUZZ_SEED ?? 20261204), endOnFailure: true },
  );
});

it('answers every request with a 2xx or a 4xx Status, never a 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const headers: Record<string, string> = { authorization: `Bearer ${api.tokens.admin}` };
      if (r.contentType) headers['content-type'] = r.contentType;
      const res = await fetch(`${api.url}${r.path}?${r.query}`, { method: r.method, headers, body: r.method === 'GET' ? undefined : r.body, signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      expect(res.status).toBeLessThan(500);
      if (res.status >= 400) {
        const status = JSON.parse(text);
        expect(status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: res.status });
        expect(typeof status.reason).toBe('string');
      }
    }),
    { numRuns: 250, seed: Number(process.env.FUZZ_SEED ?? 20261204), endOnFailure: true },
  );
  expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
});
