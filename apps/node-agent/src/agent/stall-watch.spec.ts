import { StallWatch } from './stall-watch';

describe('StallWatch', () => {
  it('reports work past its bound with the step it is on, then again once per bound', () => {
    const watch = new StallWatch(60_000);
    watch.begin('pass', 'sync pass', 'listing containers', 0);
    expect(watch.check(59_999)).toEqual([]);
    watch.step('pass', 'writing 3 statuses');
    expect(watch.check(60_000)).toEqual([{ key: 'pass', what: 'sync pass', step: 'writing 3 statuses', forMs: 60_000 }]);
    expect(watch.check(90_000)).toEqual([]);
    expect(watch.check(120_000)).toEqual([{ key: 'pass', what: 'sync pass', step: 'writing 3 statuses', forMs: 120_000 }]);
  });

  it('forgets work that ended, and a new begin under the same key starts the clock again', () => {
    const watch = new StallWatch(1000);
    watch.begin('u1', 'pod worker a/b', 'createSandbox', 0);
    watch.end('u1');
    expect(watch.check(5000)).toEqual([]);
    expect(watch.size).toBe(0);
    watch.begin('u1', 'pod worker a/b', 'createSandbox', 4000);
    expect(watch.check(4500)).toEqual([]);
    expect(watch.check(5000).map((o) => o.forMs)).toEqual([1000]);
  });

  it('lists the longest-running first and ignores steps of unknown keys', () => {
    const watch = new StallWatch(1000);
    watch.begin('late', 'pod worker x/late', 'pullImage', 500);
    watch.begin('early', 'pod worker x/early', 'startContainer', 0);
    watch.step('gone', 'killContainer');
    expect(watch.check(2000).map((o) => o.key)).toEqual(['early', 'late']);
  });
});
