import { initialReleaseState, MemoryReleasePolicy, planRelease, ReleaseState } from './memory-release-plan';

const MB = 1024 * 1024;
const policy: MemoryReleasePolicy = { idleUtilization: 0.1, idleTicks: 2, growthBytes: 8 * MB, minIntervalMs: 30_000 };

describe('planRelease', () => {
  it.each<[string, ReleaseState, { nowMs: number; utilization: number; rssBytes: number }, boolean, Partial<ReleaseState>]>([
    ['first idle tick after growth waits for a second', { baselineRssBytes: 100 * MB, idleTicks: 0 }, { nowMs: 0, utilization: 0.02, rssBytes: 140 * MB }, false, { idleTicks: 1 }],
    ['second idle tick after growth releases', { baselineRssBytes: 100 * MB, idleTicks: 1 }, { nowMs: 0, utilization: 0.02, rssBytes: 140 * MB }, true, { idleTicks: 0, lastReleaseMs: 0 }],
    ['a busy tick resets idleness', { baselineRssBytes: 100 * MB, idleTicks: 5 }, { nowMs: 0, utilization: 0.5, rssBytes: 140 * MB }, false, { idleTicks: 0 }],
    ['utilization exactly at the bound counts as idle', { baselineRssBytes: 100 * MB, idleTicks: 1 }, { nowMs: 0, utilization: 0.1, rssBytes: 140 * MB }, true, {}],
    ['growth under the bound: no release', { baselineRssBytes: 100 * MB, idleTicks: 3 }, { nowMs: 0, utilization: 0, rssBytes: 107 * MB }, false, { idleTicks: 4 }],
    ['growth exactly at the bound releases', { baselineRssBytes: 100 * MB, idleTicks: 1 }, { nowMs: 0, utilization: 0, rssBytes: 108 * MB }, true, {}],
    ['too soon after the last release', { baselineRssBytes: 100 * MB, idleTicks: 1, lastReleaseMs: 10_000 }, { nowMs: 39_999, utilization: 0, rssBytes: 140 * MB }, false, { idleTicks: 2, lastReleaseMs: 10_000 }],
    ['min interval passed', { baselineRssBytes: 100 * MB, idleTicks: 1, lastReleaseMs: 10_000 }, { nowMs: 40_000, utilization: 0, rssBytes: 140 * MB }, true, { lastReleaseMs: 40_000 }],
    ['RSS under the baseline lowers it', { baselineRssBytes: 100 * MB, idleTicks: 0 }, { nowMs: 0, utilization: 0, rssBytes: 90 * MB }, false, { baselineRssBytes: 90 * MB }],
  ])('%s', (_name, state, sample, release, expected) => {
    const decision = planRelease(state, sample, policy);
    expect(decision.release).toBe(release);
    expect(decision.state).toMatchObject(expected);
  });

  it('growth is measured from the lowest RSS seen since the last release', () => {
    let state = initialReleaseState(100 * MB);
    state = planRelease(state, { nowMs: 0, utilization: 0, rssBytes: 95 * MB }, policy).state;
    // 104 MB is 9 MB over the 95 MB low, though only 4 over the start.
    const decision = planRelease(state, { nowMs: 1, utilization: 0, rssBytes: 104 * MB }, policy);
    expect(decision.release).toBe(true);
  });

  it('a steady busy process never releases', () => {
    let state = initialReleaseState(50 * MB);
    for (let t = 0; t < 100; t++) {
      const decision = planRelease(state, { nowMs: t * 2000, utilization: 0.4, rssBytes: 200 * MB }, policy);
      expect(decision.release).toBe(false);
      state = decision.state;
    }
  });
});
