import { KubeObject } from '@coxswain/api';
import { StoreEvent, WatchCallbacks } from './object-store';
import { Scope, WatchFanout } from './watch-fanout';

const obj = (ns: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name } });
const ev = (revision: number, ns = 'a', name = 'x', type: StoreEvent['type'] = 'MODIFIED'): [string, StoreEvent] => [`/registry/configmaps/${ns}/${name}`, { type, object: obj(ns, name), revision }];
const all: Scope = { prefix: '/registry/configmaps/', exact: false };
const nsA: Scope = { prefix: '/registry/configmaps/a/', exact: false };
const onlyAx: Scope = { prefix: '/registry/configmaps/a/x', exact: true };

function recorder() {
  const got: number[] = [];
  const lost: number[] = [];
  const callbacks: WatchCallbacks = { onEvent: (e) => got.push(e.revision), onError: () => undefined };
  return { got, lost, callbacks, onLost: (r: number) => lost.push(r) };
}

describe('WatchFanout', () => {
  it.each<[string, Scope, number, number[]]>([
    ['replays what came after the revision, then goes live', all, 11, [12, 13, 14, 15]],
    ['from the history start: everything kept', all, 10, [11, 12, 13, 14, 15]],
    ['a namespace: only its keys', nsA, 10, [11, 13, 15]],
    ['one object: only its key (not a/xy)', onlyAx, 10, [11, 15]],
    ['from the latest revision: live only', all, 13, [14, 15]],
  ])('%s', (_name, scope, after, want) => {
    const fanout = new WatchFanout(10);
    fanout.publish(...ev(11, 'a', 'x'));
    fanout.publish(...ev(12, 'b', 'x'));
    fanout.publish(...ev(13, 'a', 'xy'));
    const r = recorder();
    fanout.subscribe(scope, after, r.callbacks, () => 13, r.onLost);
    fanout.publish(...ev(14, 'b', 'y'));
    fanout.publish(...ev(15, 'a', 'x'));
    expect(r.got).toEqual(want);
  });

  it('covers revisions from its start; trimming the history moves the start', () => {
    const fanout = new WatchFanout(10, 2);
    expect([fanout.covers(9), fanout.covers(10), fanout.covers(99)]).toEqual([false, true, true]);
    fanout.publish(...ev(11));
    fanout.publish(...ev(12));
    expect(fanout.covers(10)).toBe(true);
    fanout.publish(...ev(13)); // 11 dropped: a watch after 10 would miss it
    expect([fanout.covers(10), fanout.covers(11)]).toEqual([false, true]);
    const r = recorder();
    fanout.subscribe(all, 11, r.callbacks, () => 13, r.onLost);
    expect(r.got).toEqual([12, 13]);
  });

  it('hands one event object to every watcher (serialized once upstream)', () => {
    const fanout = new WatchFanout(0);
    const seen: StoreEvent[] = [];
    for (let i = 0; i < 3; i++) fanout.subscribe(all, 0, { onEvent: (e) => seen.push(e), onError: () => undefined }, () => 0, () => undefined);
    fanout.publish(...ev(1));
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(1);
  });

  it('bookmarks at the later of the watch start and the cache revision; stop unsubscribes', async () => {
    const fanout = new WatchFanout(0);
    let cacheRevision = 5;
    const r = recorder();
    const handle = fanout.subscribe(all, 7, r.callbacks, () => cacheRevision, r.onLost);
    expect(handle.lastRevision()).toBe(7);
    cacheRevision = 9;
    expect(handle.lastRevision()).toBe(9);
    await handle.stop();
    expect(fanout.watchers).toBe(0);
    fanout.publish(...ev(10));
    expect(r.got).toEqual([]);
  });

  it('on failure tells each watcher where to resume (never before its own start)', () => {
    const fanout = new WatchFanout(0);
    const early = recorder();
    const late = recorder();
    fanout.subscribe(all, 3, early.callbacks, () => 0, early.onLost);
    fanout.subscribe(all, 20, late.callbacks, () => 0, late.onLost);
    fanout.fail(12);
    expect([early.lost, late.lost, fanout.watchers]).toEqual([[12], [20], 0]);
    fanout.publish(...ev(21));
    expect(late.got).toEqual([]);
  });
});
