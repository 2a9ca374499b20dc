import { fakeHubDeps, flush } from './testing';
import { WatchHub } from './watch-hub';

const pod = (name: string, rv: string, phase = 'Running') => ({ metadata: { name, namespace: 'd', resourceVersion: rv }, status: { phase } });

async function started(initial = { '/api/v1/pods': { rv: '10', items: [pod('a', '9'), pod('b', '10')] } }) {
  const deps = fakeHubDeps(initial);
  const hub = new WatchHub(deps);
  const notified = jest.fn();
  const unsubscribe = hub.subscribe('/api/v1/pods', '', notified);
  await flush();
  deps.tick(); // debounce → open the stream
  return { deps, hub, notified, unsubscribe };
}

describe('WatchHub', () => {
  it('lists, then follows the watch from the list version through one stream', async () => {
    const { deps, hub } = await started();
    expect(hub.state('/api/v1/pods', '').items.map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect(hub.state('/api/v1/pods', '').status).toBe('live');
    expect(deps.sources).toHaveLength(1);
    expect(deps.sources[0].subs()).toEqual([{ k: 'w1', p: '/api/v1/pods', q: '', rv: '10' }]);
  });

  it('applies ADDED / MODIFIED / DELETED in batches and tracks the version', async () => {
    const { deps, hub, notified } = await started();
    notified.mockClear();
    const src = deps.sources[0];
    src.emit('w1', { type: 'MODIFIED', object: pod('a', '11', 'Failed') });
    src.emit('w1', { type: 'ADDED', object: pod('c', '12') });
    src.emit('w1', { type: 'DELETED', object: pod('b', '13') });
    expect(notified).not.toHaveBeenCalled();
    deps.tick(); // batch flush
    expect(notified).toHaveBeenCalledTimes(1);
    const state = hub.state('/api/v1/pods', '');
    expect(state.items.map((p) => [p.metadata.name, p.status.phase])).toEqual([['a', 'Failed'], ['c', 'Running']]);
    expect(state.resourceVersion).toBe('13');
    src.emit('w1', { type: 'BOOKMARK', object: { metadata: { resourceVersion: '40' } } });
    expect(hub.state('/api/v1/pods', '').resourceVersion).toBe('13'); // snapshot unchanged by bookmarks…
    src.onerror?.({});
    deps.tick();
    expect(deps.sources[1].subs()[0].rv).toBe('40'); // …but the resume point moved
  });

  it('shares one list between subscribers and one stream between lists', async () => {
    const deps = fakeHubDeps({ '/api/v1/pods': { rv: '5', items: [] }, '/api/v1/nodes': { rv: '6', items: [] } });
    const hub = new WatchHub(deps);
    hub.subscribe('/api/v1/pods', '', () => {});
    hub.subscribe('/api/v1/pods', '', () => {});
    hub.subscribe('/api/v1/nodes', 'labelSelector=x%3Dy', () => {});
    await flush();
    deps.tick();
    expect(deps.lists).toHaveLength(2);
    expect(deps.sources).toHaveLength(1);
    expect(deps.sources[0].subs().map((s) => [s.p, s.q, s.rv])).toEqual([['/api/v1/pods', '', '5'], ['/api/v1/nodes', 'labelSelector=x%3Dy', '6']]);
  });

  it('relists on 410 Gone and resumes from the new version', async () => {
    const { deps, hub } = await started();
    deps.respond = async () => ({ metadata: { resourceVersion: '50' }, items: [pod('z', '50')] });
    deps.sources[0].emit('w1', { type: 'ERROR', object: { kind: 'Status', code: 410, message: 'too old' } as never });
    await flush();
    deps.tick();
    expect(hub.state('/api/v1/pods', '').items.map((p) => p.metadata.name)).toEqual(['z']);
    expect(deps.sources[0].closed).toBe(true);
    expect(deps.sources.at(-1)!.subs()[0].rv).toBe('50');
  });

  it('a forbidden watch marks the list as failed and leaves it out of the stream', async () => {
    const { deps, hub } = await started();
    deps.sources[0].emit('w1', { type: 'ERROR', object: { kind: 'Status', code: 403, message: 'pods is forbidden' } as never });
    deps.tick();
    expect(hub.state('/api/v1/pods', '')).toMatchObject({ status: 'error', error: 'pods is forbidden' });
    expect(deps.sources).toHaveLength(1); // nothing left to watch: no new stream
  });

  it('a failed list is an error state', async () => {
    const deps = fakeHubDeps();
    deps.respond = async () => {
      throw new Error('unable to parse requirement: bad selector');
    };
    const hub = new WatchHub(deps);
    hub.subscribe('/api/v1/pods', 'labelSelector=%3D%3D', () => {});
    await flush();
    expect(hub.state('/api/v1/pods', 'labelSelector=%3D%3D')).toMatchObject({ status: 'error', error: 'unable to parse requirement: bad selector' });
  });

  it('a dropped stream shows reconnecting and reopens from the last versions with back-off', async () => {
    const { deps, hub } = await started();
    deps.sources[0].emit('w1', { type: 'ADDED', object: pod('c', '15') });
    deps.sources[0].onerror?.({});
    expect(hub.state('/api/v1/pods', '').status).toBe('reconnecting');
    deps.tick();
    const again = deps.sources[1];
    expect(again.subs()[0].rv).toBe('15');
    again.onopen?.({});
    expect(hub.state('/api/v1/pods', '').status).toBe('live');
  });

  it('asks whether the session ended once the stream keeps failing', async () => {
    const { deps } = await started();
    deps.onRepeatedFailure = jest.fn();
    for (let i = 0; i < 3; i++) {
      deps.sources.at(-1)!.onerror?.({});
      deps.tick();
    }
    expect(deps.onRepeatedFailure).toHaveBeenCalledWith(3);
  });

  it('the last unsubscribe drops the list and closes the stream', async () => {
    const { deps, hub, unsubscribe } = await started();
    unsubscribe();
    deps.tick();
    expect(deps.sources[0].closed).toBe(true);
    expect(deps.sources).toHaveLength(1);
    expect(hub.state('/api/v1/pods', '').status).toBe('loading');
  });

  it('ignores events from a replaced stream', async () => {
    const { deps, hub } = await started();
    const old = deps.sources[0];
    old.onerror?.({});
    deps.tick();
    old.emit('w1', { type: 'ADDED', object: pod('ghost', '99') });
    deps.tick();
    expect(hub.state('/api/v1/pods', '').items.map((p) => p.metadata.name)).toEqual(['a', 'b']);
  });
});
