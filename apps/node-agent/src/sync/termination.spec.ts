import { PodView, SyncAction } from './model';
import { splitTermination } from './termination';

const view = (uid: string): PodView => ({ metadata: { uid, namespace: 'default', name: uid }, spec: { containers: [] } }) as unknown as PodView;
const kill = (uid: string): SyncAction => ({ type: 'killContainer', uid, id: `${uid}-app-0`, container: 'app', gracePeriodSeconds: 30, reason: 'Killing' });
const remove = (uid: string): SyncAction => ({ type: 'removePod', uid, gracePeriodSeconds: 30, reason: 'PodNotBoundHere' });
const removeOld = (uid: string): SyncAction => ({ type: 'removeContainer', uid, id: `${uid}-app-0` });
const start = (uid: string): SyncAction => ({ type: 'startContainer', pod: view(uid), container: 'app', attempt: 0, crashStreak: 0 });
const sandbox = (uid: string): SyncAction => ({ type: 'createSandbox', pod: view(uid) });
const finalize = (uid: string): SyncAction => ({ type: 'finalizeDeletion', pod: view(uid) });

const describeSplit = (actions: SyncAction[], inFlight: string[] = []) => {
  const { inline, background } = splitTermination(actions, new Set(inFlight));
  return { inline: inline.map((a) => `${a.type}:${'pod' in a ? a.pod.metadata.uid : a.uid}`), background: Object.fromEntries([...background].map(([uid, list]) => [uid, list.map((a) => a.type)])) };
};

describe('splitTermination', () => {
  it.each([
    {
      name: 'stops of many pods all go to the background, one list per pod',
      actions: [kill('a'), kill('b'), kill('b'), remove('c')],
      inFlight: [],
      expected: { inline: [], background: { a: ['killContainer'], b: ['killContainer', 'killContainer'], c: ['removePod'] } },
    },
    {
      name: 'starts stay inline, in order',
      actions: [sandbox('a'), start('a'), kill('b')],
      inFlight: [],
      expected: { inline: ['createSandbox:a', 'startContainer:a'], background: { b: ['killContainer'] } },
    },
    {
      name: 'a pod mixing a stop with a start stays inline as a whole',
      actions: [removeOld('a'), start('a')],
      inFlight: [],
      expected: { inline: ['removeContainer:a', 'startContainer:a'], background: {} },
    },
    {
      name: 'removing the sandbox then finalizing stays inline (finalize must follow the removal)',
      actions: [remove('a'), finalize('a')],
      inFlight: [],
      expected: { inline: ['removePod:a', 'finalizeDeletion:a'], background: {} },
    },
    {
      name: 'pods already terminating get nothing new',
      actions: [kill('a'), finalize('b'), start('c')],
      inFlight: ['a', 'b'],
      expected: { inline: ['startContainer:c'], background: {} },
    },
  ])('$name', ({ actions, inFlight, expected }) => {
    expect(describeSplit(actions, inFlight)).toEqual(expected);
  });
});
