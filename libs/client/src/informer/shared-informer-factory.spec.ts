import { BUILTIN_RESOURCES as R } from '../core/builtin-resources';
import { KubeClient } from '../core/kube-client';
import { KubeObject } from '../core/types';
import { FakeApiServer } from '../testing/fake-apiserver';
import { informerKey, SharedInformerFactory } from './shared-informer-factory';

interface TestPod extends KubeObject {
  spec?: { nodeName?: string };
}

const pod = (namespace: string, name: string, nodeName?: string, labels?: Record<string, string>): TestPod => ({
  metadata: { name, namespace, uid: `uid-${namespace}-${name}`, labels },
  spec: { nodeName },
});
const names = (objs: KubeObject[]) => objs.map((o) => o.metadata?.name).sort();
const lists = (server: FakeApiServer) => server.requests.filter((r) => r.method === 'GET' && !r.query.get('watch'));

let server: FakeApiServer;
let client: KubeClient;
let factory: SharedInformerFactory;

beforeEach(async () => {
  server = await FakeApiServer.start();
  client = new KubeClient({ server: server.url });
  server.put('/api/v1/namespaces/a/pods', pod('a', 'p1', 'n1', { app: 'web' }));
  server.put('/api/v1/namespaces/a/pods', pod('a', 'p2', 'n2'));
  server.put('/api/v1/namespaces/b/pods', pod('b', 'p3', 'n1', { app: 'web' }));
  server.put('/api/v1/nodes', { metadata: { name: 'n1', uid: 'uid-n1' } });
});

afterEach(async () => {
  await factory?.stop();
  await client.destroy();
  await server.stop();
});

describe('informerKey', () => {
  it.each([
    ['same resource, no scope', [R.Pod, {}], [R.Pod, undefined], true],
    ['different namespace', [R.Pod, { namespace: 'a' }], [R.Pod, { namespace: 'b' }], false],
    ['namespace vs all namespaces', [R.Pod, { namespace: 'a' }], [R.Pod, {}], false],
    ['a cluster-scoped kind ignores the namespace', [R.Node, { namespace: 'a' }], [R.Node, {}], true],
    ['label selector as string or pairs', [R.Pod, { labelSelector: 'app=web' }], [R.Pod, { labelSelector: { app: 'web' } }], true],
    ['different label selector', [R.Pod, { labelSelector: 'app=web' }], [R.Pod, { labelSelector: 'app=db' }], false],
    ['field selector vs none', [R.Pod, { fieldSelector: 'spec.nodeName=n1' }], [R.Pod, {}], false],
    ['different resource', [R.Pod, {}], [R.Node, {}], false],
  ] as const)('%s', (_name, [ra, sa], [rb, sb], same) => {
    expect(informerKey(ra, sa) === informerKey(rb, sb)).toBe(same);
  });
});

describe('SharedInformerFactory', () => {
  it('hands out one informer per resource and scope, fed by one list', async () => {
    factory = new SharedInformerFactory({ client });
    const pods = factory.for<TestPod>(R.Pod);
    expect(factory.for<TestPod>(R.Pod)).toBe(pods);
    expect(factory.for<TestPod>(R.Pod, {})).toBe(pods);
    const inA = factory.for<TestPod>(R.Pod, 'a');
    expect(factory.for<TestPod>(R.Pod, { namespace: 'a' })).toBe(inA);
    const onN1 = factory.for<TestPod>(R.Pod, { fieldSelector: 'spec.nodeName=n1' });
    const web = factory.for<TestPod>(R.Pod, { labelSelector: { app: 'web' } });
    const nodes = factory.for(R.Node);
    expect(new Set([pods, inA, onN1, web, nodes]).size).toBe(5);
    expect(factory.size).toBe(5);

    expect(factory.hasSynced()).toBe(false);
    factory.start();
    factory.start(); // idempotent
    await factory.waitForCacheSync();
    expect(factory.hasSynced()).toBe(true);
    expect(names(pods.store.list())).toEqual(['p1', 'p2', 'p3']);
    expect(names(inA.store.list())).toEqual(['p1', 'p2']);
    expect(names(onN1.store.list())).toEqual(['p1', 'p3']);
    expect(names(web.store.list())).toEqual(['p1', 'p3']);
    expect(names(nodes.store.list())).toEqual(['n1']);
    expect(lists(server)).toHaveLength(5);
  });

  it('starts an informer asked for after start() at once, and waits for it too', async () => {
    factory = new SharedInformerFactory({ client });
    factory.for(R.Node);
    factory.start();
    await factory.waitForCacheSync();
    const late = factory.for<TestPod>(R.Pod);
    expect(factory.hasSynced()).toBe(false);
    await factory.waitForCacheSync();
    expect(names(late.store.list())).toEqual(['p1', 'p2', 'p3']);
  });

  it('gives every informer the factory indexes, and adds a caller\'s index to a shared store', async () => {
    factory = new SharedInformerFactory({ client, indexers: { uid: (o) => (o.metadata?.uid ? [o.metadata.uid] : []) } });
    const pods = factory.for<TestPod>(R.Pod);
    factory.start();
    await factory.waitForCacheSync();
    expect(names(pods.store.byIndex('uid', 'uid-a-p2'))).toEqual(['p2']);
    expect(() => pods.store.byIndex('nodeName', 'n1')).toThrow(/no indexer/);

    // A second caller asks for the same informer with an index of its own, after the sync.
    const same = factory.for<TestPod>(R.Pod, { indexers: { nodeName: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) } });
    expect(same).toBe(pods);
    expect(names(pods.store.byIndex('nodeName', 'n1'))).toEqual(['p1', 'p3']);
    // Asking again with a name already present keeps the index as it is.
    factory.for<TestPod>(R.Pod, { indexers: { nodeName: () => ['elsewhere'] } });
    expect(names(pods.store.byIndex('nodeName', 'n1'))).toEqual(['p1', 'p3']);
    expect(lists(server)).toHaveLength(1);
  });

  it('stop() ends every watch', async () => {
    factory = new SharedInformerFactory({ client });
    factory.for(R.Pod);
    factory.for(R.Node);
    factory.start();
    await factory.waitForCacheSync();
    for (let i = 0; i < 1000 && server.openWatches < 2; i++) await new Promise((r) => setTimeout(r, 2));
    expect(server.openWatches).toBe(2);
    await factory.stop();
    for (let i = 0; i < 1000 && server.openWatches > 0; i++) await new Promise((r) => setTimeout(r, 2));
    expect(server.openWatches).toBe(0);
  });
});
