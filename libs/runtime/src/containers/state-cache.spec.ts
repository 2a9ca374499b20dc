import { ContainerStateCache, FULL_RELIST_MS, relistMode, CachedObservation } from './state-cache';
import { ContainerState } from './types';

const state = (status: ContainerState['status']): ContainerState => ({ id: 'c1', createdAt: 1, labels: {}, status });

describe('relistMode', () => {
  const cases: Array<[string, CachedObservation | undefined, boolean, ReturnType<typeof relistMode>]> = [
    ['never seen', undefined, false, 'full'],
    ['exited with its exit record is final', { state: state('exited'), exitRecorded: true }, false, 'reuse'],
    ['final even on a full pass', { state: state('exited'), exitRecorded: true }, true, 'reuse'],
    ['exited without a record (shim died) may still change', { state: state('exited'), exitRecorded: false }, false, 'full'],
    ['running with a live shim is only checked', { state: state('running'), shimPid: 42, exitRecorded: false }, false, 'check'],
    ['running is observed in full on a full pass', { state: state('running'), shimPid: 42, exitRecorded: false }, true, 'full'],
    ['running without a shim pid', { state: state('running'), exitRecorded: false }, false, 'full'],
    ['created is transient', { state: state('created'), exitRecorded: false }, false, 'full'],
    ['unknown is observed again', { state: state('unknown'), exitRecorded: false }, false, 'full'],
  ];
  it.each(cases)('%s', (_name, cached, fullDue, want) => {
    expect(relistMode(cached, fullDue)).toBe(want);
  });
});

describe('ContainerStateCache', () => {
  it('asks for a full relist at once, then once per interval', () => {
    let now = 1_000_000;
    const cache = new ContainerStateCache(() => now);
    expect(cache.takeFullRelist()).toBe(true);
    now += FULL_RELIST_MS - 1;
    expect(cache.takeFullRelist()).toBe(false);
    now += 1;
    expect(cache.takeFullRelist()).toBe(true);
    expect(cache.takeFullRelist()).toBe(false);
  });

  it('forgets containers that are gone and ones the driver changed', () => {
    const cache = new ContainerStateCache();
    cache.set('a', { state: state('running'), shimPid: 1, exitRecorded: false });
    cache.set('b', { state: state('running'), shimPid: 2, exitRecorded: false });
    cache.set('c', { state: state('running'), shimPid: 3, exitRecorded: false });
    cache.retainOnly(['a', 'b']);
    cache.invalidate('b');
    expect([cache.get('a')?.shimPid, cache.get('b'), cache.get('c')]).toEqual([1, undefined, undefined]);
  });

  it('does not keep an observation that began before the driver changed the container', () => {
    const cache = new ContainerStateCache();
    const before = cache.epoch('a');
    cache.invalidate('a'); // e.g. start() rewrote the record meanwhile
    cache.set('a', { state: state('created'), exitRecorded: false }, before);
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', { state: state('running'), shimPid: 7, exitRecorded: false }, cache.epoch('a'));
    expect(cache.get('a')?.state.status).toBe('running');
  });
});
