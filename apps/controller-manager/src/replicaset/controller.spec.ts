// The ReplicaSet controller's wiring against the in-memory FakeApiServer: informer events,
// expectations (no duplicate creates while the cache lags), failures as events and status.
import { Pod, ReplicaSet } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, createLogger, FakeApiServer, KubeClient, realClock } from '@coxswain/client';
import { MemoryRecorder } from '../framework/events';
import { SharedInformers } from '../framework/informers';
import { ReplicaSetController } from './controller';

let server: FakeApiServer;
let client: KubeClient;
let informers: SharedInformers;
let recorder: MemoryRecorder;
let controller: ReplicaSetController;

beforeEach(async () => {
  server = await FakeApiServer.start();
  client = new KubeClient({ server: server.url, maxRetries: 0 });
  informers = new SharedInformers({ client });
  recorder = new MemoryRecorder();
  controller = new ReplicaSetController({ client, informers, recorderFor: () => recorder, clock: realClock, logger: createLogger('test', { level: 'silent' }) });
  controller.register();
  informers.start();
  await informers.waitForCacheSync();
  void controller.run();
});

afterEach(async () => {
  await controller.shutdown();
  await informers.stop();
  await client.destroy();
  await server.stop();
});

const rs = (replicas: number): ReplicaSet =>
  ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'ns' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  }) as ReplicaSet;

async function until<T>(what: string, fn: () => Promise<T | undefined | false>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never saw ${what}`);
}

const podPosts = () => server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pods')).length;

describe('ReplicaSetController', () => {
  it('creates exactly N pods however often the key is queued', async () => {
    await client.create(R.ReplicaSet, rs(5));
    for (let i = 0; i < 20; i++) controller.enqueue('ns/web');
    await until('5 pods', async () => (await client.list<Pod>(R.Pod, { namespace: 'ns' })).items.length === 5);
    await until('status', async () => (await client.get<ReplicaSet>(R.ReplicaSet, 'web', { namespace: 'ns' })).status?.replicas === 5);
    for (let i = 0; i < 20; i++) controller.enqueue('ns/web');
    await new Promise((r) => setTimeout(r, 200));
    expect(podPosts()).toBe(5);
    expect(recorder.reasons().filter((r) => r === 'SuccessfulCreate')).toHaveLength(5);
  });

  it('a failed create shows as an event and ReplicaFailure, then the retry fills up', async () => {
    server.failNext(/\/pods$/, 500, { method: 'POST' });
    await client.create(R.ReplicaSet, rs(2));
    await until('FailedCreate event', async () => recorder.reasons().includes('FailedCreate'));
    await until('2 pods after the retry', async () => (await client.list<Pod>(R.Pod, { namespace: 'ns' })).items.length === 2);
    const failedStatus = server.requests.find((r) => r.method === 'PUT' && r.path.endsWith('/status') && r.body.includes('ReplicaFailure'));
    expect(failedStatus).toBeDefined();
    const status = await until('ReplicaFailure cleared', async () => {
      const current = await client.get<ReplicaSet>(R.ReplicaSet, 'web', { namespace: 'ns' });
      return current.status?.replicas === 2 && !current.status.conditions?.length && current.status;
    });
    expect(status.replicas).toBe(2);
  });
});
