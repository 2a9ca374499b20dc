import { deadlineAt, deadlineExceeded, nextDeadline } from './active-deadline';
import { PodView } from './model';

const START = '2026-01-01T00:00:00.000Z';
const T0 = Date.parse(START);
const pod = (activeDeadlineSeconds?: number, status: PodView['status'] = { startTime: START }, uid = 'u'): PodView =>
  ({ metadata: { uid, namespace: 'ns', name: uid }, spec: { containers: [], activeDeadlineSeconds }, status });

describe('activeDeadlineSeconds', () => {
  it.each<[string, PodView, number, boolean]>([
    ['no deadline', pod(undefined), T0 + 1e9, false],
    ['not started (no startTime): never', pod(3, {}), T0 + 1e9, false],
    ['before the deadline', pod(3), T0 + 2_999, false],
    ['at the deadline (≥)', pod(3), T0 + 3_000, true],
    ['after it', pod(3), T0 + 60_000, true],
  ])('%s', (_name, p, now, want) => {
    expect(deadlineExceeded(p, now)).toBe(want);
  });

  it('falls at startTime + activeDeadlineSeconds', () => {
    expect(deadlineAt(pod(30))).toBe(T0 + 30_000);
  });

  it.each<[string, PodView[], number | undefined]>([
    ['the earliest ahead', [pod(30, undefined, 'a'), pod(10, undefined, 'b'), pod(undefined, undefined, 'c')], T0 + 10_000],
    ['passed deadlines are not ahead', [pod(1, undefined, 'a'), pod(20, undefined, 'b')], T0 + 20_000],
    ['terminal pods have none', [pod(10, { startTime: START, phase: 'Failed' })], undefined],
    ['none', [], undefined],
  ])('nextDeadline: %s', (_name, pods, want) => {
    expect(nextDeadline(pods, T0 + 5_000)).toBe(want);
  });
});
