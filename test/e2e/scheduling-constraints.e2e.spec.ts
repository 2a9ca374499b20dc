// Placement constraints users' YAML relies on, on the real 2-node harness (scheduler,
// controllers, node agents, runc): a Deployment whose replicas must not share a node gets
// one Running per node and the third Pending with the anti-affinity reason; a pod asking for
// an extended resource no node advertises stays Pending with `Insufficient <resource>`.
import { RunningCluster, startCluster } from '@coxswain/harness';
import { DIAGNOSIS_ANNOTATION } from '@coxswain/scheduling';
import { api, kubectl, manifest, Obj, waitFor } from './support';

jest.setTimeout(300_000);

let cluster: RunningCluster;
const NS = 'placement';

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, vms: false });
  expect((await api(cluster, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })).status).toBe(201);
}, 300_000);

afterAll(async () => {
  await cluster?.stop();
}, 120_000);

const apply = async (obj: Obj) => {
  const result = await kubectl(cluster, ['apply', '-f', await manifest(JSON.stringify(obj))]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
};
const pods = async (selector: string): Promise<Obj[]> => (await api(cluster, 'GET', `/api/v1/namespaces/${NS}/pods?labelSelector=${encodeURIComponent(selector)}`)).body.items ?? [];
const failedScheduling = async (pod: string): Promise<Obj | undefined> => {
  const events = (await api(cluster, 'GET', `/api/v1/namespaces/${NS}/events`)).body.items as Obj[];
  return events.find((e) => e.involvedObject?.name === pod && e.reason === 'FailedScheduling');
};
const container = { name: 'main', image: 'busybox', command: ['sh', '-c', 'exec sleep 3600'], resources: { requests: { cpu: '10m', memory: '8Mi' } } };

it('required pod anti-affinity on the hostname: 3 replicas on 2 nodes → 2 Running apart, 1 Pending with the reason', async () => {
  const labels = { app: 'apart' };
  await apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'apart', namespace: NS },
    spec: {
      replicas: 3,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 1,
          affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' }] } },
          containers: [container],
        },
      },
    },
  });
  const { running, pending } = await waitFor(
    '2 Running and 1 Pending',
    async () => {
      const items = await pods('app=apart');
      const running = items.filter((p) => p.status?.phase === 'Running');
      const pending = items.filter((p) => !p.spec.nodeName);
      return items.length === 3 && running.length === 2 && pending.length === 1 && { running, pending: pending[0] };
    },
    180_000,
  );
  expect(new Set(running.map((p) => p.spec.nodeName)).size).toBe(2);
  const event = await waitFor('FailedScheduling event', () => failedScheduling(pending.metadata.name));
  expect(event.message).toBe("0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules.");
  expect(JSON.parse(event.metadata.annotations[DIAGNOSIS_ANNOTATION]).nodes.map((n: Obj) => n.plugin)).toEqual(['InterPodAffinity', 'InterPodAffinity']);
  const now = (await api(cluster, 'GET', `/api/v1/namespaces/${NS}/pods/${pending.metadata.name}`)).body;
  expect(now.spec.nodeName).toBeUndefined();
  expect((now.status.conditions as Obj[]).find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable', message: event.message });
});

it('a pod asking for an extended resource no node has stays Pending with Insufficient example.com/widget', async () => {
  await apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'widget', namespace: NS },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ ...container, resources: { requests: { cpu: '10m', memory: '8Mi', 'example.com/widget': '1' }, limits: { 'example.com/widget': '1' } } }] },
  });
  const event = await waitFor('FailedScheduling event', () => failedScheduling('widget'), 60_000);
  expect(event.message).toBe('0/2 nodes are available: 2 Insufficient example.com/widget.');
  const pod = (await api(cluster, 'GET', `/api/v1/namespaces/${NS}/pods/widget`)).body;
  expect(pod.spec.nodeName).toBeUndefined();
  expect(pod.status.phase).toBe('Pending');
});
