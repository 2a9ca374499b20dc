import { PodView, SyncAction } from './model';
import { splitWork, WorkerFinishes } from './termination';

const view = (uid: string): PodView => ({ metadata: { uid, namespace: 'default', name: uid }, spec: { containers: [] } }) as unknown as PodView;
const kill = (uid: string): SyncAction => ({ type: 'killContainer', uid, id: `${uid}-app-0`, container: 'app', gracePeriodSeconds: 30, reason: 'Killing' });
const remove = (uid: string): SyncAction => ({ type: 'removePod', uid, gracePeriodSeconds: 30, reason: 'PodNotBoundHere' });
const removeOld = (uid: string): SyncAction => ({ type: 'removeContainer', uid, id: `${uid}-app-0` });
const start = (uid: string): SyncAction => ({ type: 'startContainer', pod: view(uid), container: 'app', attempt: 0, crashStreak: 0 });
const sandbox = (uid: string): SyncAction => ({ type: 'createSandbox', pod: view(uid) });
const finalize = (uid: string): SyncAction => ({ type: 'finalizeDeletion', pod: view(uid) });

const describeSplit = (actions: SyncAction[], inFlight: string[] = [], freeSlots?: number) => {
  const { launch, deferred } = splitWork(actions, new Set(inFlight), freeSlots);
  return {
    launch: Object.fromEntries(launch.map((w) => [w.uid, `${w.stopping ? 'stop' : 'start'}: ${w.actions.map((a) => a.type).join(',')}`])),
    deferred,
  };
};

describe('splitWork', () => {
  it.each([
    {
      name: 'stops of many pods all launch, one list per pod',
      actions: [kill('a'), kill('b'), kill('b'), remove('c')],
      inFlight: [],
      expected: { launch: { a: 'stop: killContainer', b: 'stop: killContainer,killContainer', c: 'stop: removePod' }, deferred: [] },
    },
    {
      name: 'starts launch as workers too, in order within the pod',
      actions: [sandbox('a'), start('a'), kill('b')],
      inFlight: [],
      expected: { launch: { a: 'start: createSandbox,startContainer', b: 'stop: killContainer' }, deferred: [] },
    },
    {
      name: 'a pod mixing a stop with a start is one start worker',
      actions: [removeOld('a'), start('a')],
      inFlight: [],
      expected: { launch: { a: 'start: removeContainer,startContainer' }, deferred: [] },
    },
    {
      name: 'removing the sandbox then finalizing is one worker, finalize last',
      actions: [remove('a'), finalize('a')],
      inFlight: [],
      expected: { launch: { a: 'start: removePod,finalizeDeletion' }, deferred: [] },
    },
    {
      name: 'pods with a worker in flight get nothing new',
      actions: [kill('a'), finalize('b'), start('c')],
      inFlight: ['a', 'b'],
      expected: { launch: { c: 'start: startContainer' }, deferred: [] },
    },
    {
      name: 'starts beyond the free slots wait; stops never do',
      actions: [sandbox('a'), sandbox('b'), kill('x'), sandbox('c'), kill('y')],
      inFlight: [],
      freeSlots: 2,
      expected: { launch: { a: 'start: createSandbox', b: 'start: createSandbox', x: 'stop: killContainer', y: 'stop: killContainer' }, deferred: ['c'] },
    },
    {
      name: 'no free slot: every start waits',
      actions: [sandbox('a'), start('b')],
      inFlight: [],
      freeSlots: 0,
      expected: { launch: {}, deferred: ['a', 'b'] },
    },
  ])('$name', ({ actions, inFlight, freeSlots, expected }) => {
    expect(describeSplit(actions, inFlight, freeSlots)).toEqual(expected);
  });
});

describe('WorkerFinishes', () => {
  // Steps: 'mark' takes a mark, 'finish x' records a finished worker, 'since' reads the pods
  // whose workers finished after the last mark.
  it.each([
    { name: 'nothing finished: nothing stale', steps: ['mark', 'since'], expected: [[]] },
    { name: 'a worker finishing during the relist makes its pod stale', steps: ['mark', 'finish a', 'since'], expected: [['a']] },
    { name: 'a finish before the relist began is not stale', steps: ['finish a', 'mark', 'since'], expected: [[]] },
    { name: 'stale once: the next pass observes after the finish', steps: ['mark', 'finish a', 'since', 'mark', 'since'], expected: [['a'], []] },
    { name: 'only pods finished since the mark', steps: ['finish a', 'mark', 'finish b', 'finish c', 'since'], expected: [['b', 'c']] },
    { name: 'a pod finishing again after a pass is stale again', steps: ['mark', 'finish a', 'since', 'mark', 'finish a', 'since'], expected: [['a'], ['a']] },
  ])('$name', ({ steps, expected }) => {
    const finishes = new WorkerFinishes();
    let mark = 0;
    const seen: string[][] = [];
    for (const step of steps) {
      if (step === 'mark') mark = finishes.mark();
      else if (step === 'since') seen.push([...finishes.since(mark)].sort());
      else finishes.record(step.split(' ')[1]);
    }
    expect(seen).toEqual(expected);
  });
});
