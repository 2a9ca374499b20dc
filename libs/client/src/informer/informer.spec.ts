import { BUILTIN_RESOURCES } from '../core/builtin-resources';
import { KubeClient } from '../core/kube-client';
import { KubeObject } from '../core/types';
import { FakeApiServer } from '../testing/fake-apiserver';
import { FakeClock } from '../testing/fake-clock';
import { Informer } from './informer';

interface TestPod extends KubeObject {
  spec?: { nodeName?: string };
}

const PODS = '/api/v1/namespaces/default/pods';
const pod = (name: string, nodeName?: string): TestPod => ({ metadata: { name, namespace: 'default' }, spec: { nodeName } });

let server: FakeApiServer;
let client: KubeClient;
let clock: FakeClock;
let informer: Informer<TestPod>;
let events: string[];

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 2));
  if (!check()) throw new Error(`never happened: ${what}`);
}

const watchRequests = () => server.requests.filter((r) => r.query.get('watch') === '1');
const listRequests = () => server.requests.filter((r) => r.method === 'GET' && !r.query.get('watch'));

function startInformer(options: Partial<ConstructorParameters<typeof Informer<TestPod>>[0]> = {}): Informer<TestPod> {
  informer = new Informer<TestPod>({
    client,
    resource: BUILTIN_RESOURCES.Pod,
    clock,
    watchTimeoutSeconds: 300,
    indexers: { nodeName: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) },
    ...options,
  });
  informer.addEventHandler({
    onAdd: (o) => events.push(`add ${o.metadata?.name}`),
    onUpdate: (a, b) => events.push(`update ${a.metadata?.name} ${a.spec?.nodeName ?? '-'}→${b.spec?.nodeName ?? '-'}`),
    onDelete: (o) => events.push(`delete ${o.metadata?.name}`),
  });
  return informer.start();
}

beforeEach(async () => {
  server = await FakeApiServer.start();
  client = new KubeClient({ server: server.url });
  clock = new FakeClock();
  events = [];
});

afterEach(async () => {
  await informer?.stop();
  await client.destroy();
  await server.stop();
});

describe('Informer', () => {
  it('lists, syncs, then follows watch events into the indexed cache', async () => {
    server.put(PODS, pod('a', 'n1'));
    server.put(PODS, pod('b'));
    startInformer();
    expect(informer.hasSynced()).toBe(false);
    await informer.waitForSync();
    expect(informer.hasSynced()).toBe(true);
    expect(events).toEqual(['add a', 'add b']);
    await waitFor(() => server.openWatches === 1, 'watch open');
    expect(watchRequests()[0].query.get('resourceVersion')).toBe(String(server.resourceVersion));

    server.put(PODS, pod('b', 'n1'));
    server.put(PODS, pod('c', 'n2'));
    server.remove(`${PODS}/a`);
    await waitFor(() => events.length === 5, 'three events');
    expect(events.slice(2)).toEqual(['update b -→n1', 'add c', 'delete a']);
    expect(informer.store.byIndex('nodeName', 'n1').map((p) => p.metadata?.name)).toEqual(['b']);
    expect(informer.store.byIndex('namespace', 'default')).toHaveLength(2);
    expect(informer.lastSyncResourceVersion()).toBe(String(server.resourceVersion));
  });

  it('resumes a closed watch from the last resourceVersion without relisting or replaying', async () => {
    server.put(PODS, pod('a'));
    startInformer();
    await informer.waitForSync();
    await waitFor(() => server.openWatches === 1, 'watch open');
    server.put(PODS, pod('b'));
    await waitFor(() => events.length === 2, 'add b');
    const lastRv = informer.lastSyncResourceVersion();
    server.closeWatches();
    server.put(PODS, pod('c')); // happens while nobody watches
    await waitFor(() => events.length === 3, 'add c after resume');
    expect(events).toEqual(['add a', 'add b', 'add c']);
    expect(watchRequests()[1].query.get('resourceVersion')).toBe(lastRv);
    expect(listRequests()).toHaveLength(1);
  });

  it('resumes from a BOOKMARK resourceVersion', async () => {
    startInformer();
    await informer.waitForSync();
    await waitFor(() => server.openWatches === 1, 'watch open');
    server.put('/api/v1/namespaces/other/events', { metadata: { name: 'unrelated' } }); // moves the global revision
    server.bookmark();
    await waitFor(() => informer.lastSyncResourceVersion() === String(server.resourceVersion), 'bookmark applied');
    expect(events).toEqual([]);
    expect(watchRequests()[0].query.get('allowWatchBookmarks')).toBe('true');
  });

  it('relists on 410 and emits the differences, including deletes it never saw', async () => {
    server.put(PODS, pod('keep'));
    server.put(PODS, pod('gone'));
    startInformer();
    await informer.waitForSync();
    await waitFor(() => server.openWatches === 1, 'watch open');
    // The watch ends with no events, so the informer backs off before resuming; meanwhile
    // things change and history is compacted, so resuming from its version is impossible.
    server.closeWatches();
    await waitFor(() => clock.pending() === 1, 'back-off timer');
    server.remove(`${PODS}/gone`);
    server.put(PODS, pod('keep', 'n9'));
    server.put(PODS, pod('new'));
    server.compact();
    await clock.advanceAsync(200); // first back-off step
    await waitFor(() => events.length === 5, 'relist diff');
    expect(events.slice(2).sort()).toEqual(['add new', 'delete gone', 'update keep -→n9']);
    expect(listRequests()).toHaveLength(2);
    expect(informer.store.keys().sort()).toEqual(['default/keep', 'default/new']);
  });

  it('backs off exponentially while the server keeps failing, then recovers', async () => {
    server.failNext(/\/pods$/, 503, { times: 3 });
    startInformer({ backoff: { initialMs: 100, maxMs: 1000 } });
    const attempts = () => server.requests.length;
    await waitFor(() => attempts() === 1 && clock.pending() === 1, 'first failure');
    expect(clock.nextTimerAt()! - clock.now()).toBe(100);
    await clock.advanceAsync(100);
    await waitFor(() => attempts() === 2 && clock.pending() === 1, 'second failure');
    expect(clock.nextTimerAt()! - clock.now()).toBe(200);
    await clock.advanceAsync(200);
    await waitFor(() => attempts() === 3 && clock.pending() === 1, 'third failure');
    expect(clock.nextTimerAt()! - clock.now()).toBe(400);
    await clock.advanceAsync(400);
    await informer.waitForSync();
    expect(informer.hasSynced()).toBe(true);
  });

  it('keeps going when a handler throws, and replays the cache to late subscribers', async () => {
    server.put(PODS, pod('a'));
    const warnings: string[] = [];
    startInformer({ logger: { warn: (_o: unknown, msg?: string) => warnings.push(msg ?? ''), debug: () => undefined } as never });
    informer.addEventHandler({
      onAdd: () => {
        throw new Error('boom');
      },
    });
    await informer.waitForSync();
    await waitFor(() => server.openWatches === 1, 'watch open');
    server.put(PODS, pod('b'));
    await waitFor(() => events.includes('add b'), 'add b');
    expect(warnings).toContain('informer event handler threw');

    const late: string[] = [];
    informer.addEventHandler({ onAdd: (o) => late.push(o.metadata!.name!) });
    expect(late.sort()).toEqual(['a', 'b']);
  });

  it('resyncs the cache to handlers on the clock', async () => {
    server.put(PODS, pod('a'));
    startInformer({ resyncMs: 60_000 });
    await informer.waitForSync();
    events.length = 0;
    clock.advance(60_000);
    expect(events).toEqual(['update a -→-']);
  });

  it('stop() closes the watch, ends the loop and rejects waiters', async () => {
    server.failNext(/\/pods$/, 500, { times: 100 });
    startInformer();
    const waiting = informer.waitForSync();
    await informer.stop();
    await expect(waiting).rejects.toThrow(/stopped/);

    server = await FakeApiServer.start().then(async (fresh) => {
      await server.stop();
      return fresh;
    });
    client = new KubeClient({ server: server.url });
    startInformer();
    await informer.waitForSync();
    await waitFor(() => server.openWatches === 1, 'watch open');
    await informer.stop();
    await waitFor(() => server.openWatches === 0, 'watch closed');
  });
});
