import { startLatencySeconds } from './start-latency';

const created = '2026-12-05T08:00:00Z';
const at = (s: number) => Date.parse(created) + s * 1000;

describe('startLatencySeconds (apply → Running)', () => {
  it.each([
    ['Pending → Running', { creationTimestamp: created, previousPhase: 'Pending', nextPhase: 'Running' }, at(1.5), 1.5],
    ['no phase yet → Running', { creationTimestamp: created, nextPhase: 'Running' }, at(3), 3],
    ['already Running', { creationTimestamp: created, previousPhase: 'Running', nextPhase: 'Running' }, at(9), undefined],
    ['not Running yet', { creationTimestamp: created, previousPhase: 'Pending', nextPhase: 'Pending' }, at(1), undefined],
    ['phase unchanged in this write', { creationTimestamp: created, previousPhase: 'Pending' }, at(1), undefined],
    ['Failed', { creationTimestamp: created, previousPhase: 'Scheduled', nextPhase: 'Failed' }, at(1), undefined],
    ['no creationTimestamp', { previousPhase: 'Pending', nextPhase: 'Running' }, at(1), undefined],
    ['clock behind the second-truncated timestamp', { creationTimestamp: created, nextPhase: 'Running' }, at(-0.2), 0],
  ])('%s', (_name, input, now, want) => expect(startLatencySeconds(input, now)).toBe(want));
});
