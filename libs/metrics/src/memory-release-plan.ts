// When to give memory back (memory-release.ts): a pure decision over one sample at a time.

export interface MemoryReleasePolicy {
  /** Event-loop utilization (0–1) over one interval at or under which the process counts as idle. */
  idleUtilization: number;
  /** Consecutive idle intervals before releasing: a pause between two requests is not idleness. */
  idleTicks: number;
  /** RSS growth since the last release (or start) that makes a release worth a full GC. */
  growthBytes: number;
  /** At least this long between two releases. */
  minIntervalMs: number;
}

export interface ReleaseState {
  /** RSS right after the last release, or at start. */
  baselineRssBytes: number;
  idleTicks: number;
  lastReleaseMs?: number;
}

export interface ReleaseSample {
  nowMs: number;
  utilization: number;
  rssBytes: number;
}

export const initialReleaseState = (rssBytes: number): ReleaseState => ({ baselineRssBytes: rssBytes, idleTicks: 0 });

/**
 * Release once the process has been idle for `idleTicks` intervals in a row, RSS has grown by
 * `growthBytes` since the last release, and the last release is `minIntervalMs` old. The caller
 * sets the new baseline from the RSS it measures after the GC.
 */
export function planRelease(state: ReleaseState, sample: ReleaseSample, policy: MemoryReleasePolicy): { release: boolean; state: ReleaseState } {
  const idleTicks = sample.utilization <= policy.idleUtilization ? state.idleTicks + 1 : 0;
  // A process whose RSS fell below the baseline (the reducer ran after all) measures growth from there.
  const baselineRssBytes = Math.min(state.baselineRssBytes, sample.rssBytes);
  const release =
    idleTicks >= policy.idleTicks &&
    sample.rssBytes - baselineRssBytes >= policy.growthBytes &&
    (state.lastReleaseMs === undefined || sample.nowMs - state.lastReleaseMs >= policy.minIntervalMs);
  if (!release) return { release, state: { ...state, idleTicks, baselineRssBytes } };
  return { release, state: { baselineRssBytes, idleTicks: 0, lastReleaseMs: sample.nowMs } };
}
