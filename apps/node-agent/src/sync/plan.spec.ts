import { BackoffSettings, NodeMemory, ObservedContainer, ObservedPod, PodView, SyncAction } from './model';
import { planSync } from './plan';

const backoff: BackoffSettings = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };
const NOW = 1_000_000;

function pod(over: Partial<PodView['spec']> = {}, meta: Partial<PodView['metadata']> = {}, phase?: string): PodView {
  return {
    metadata: { uid: 'u1', namespace: 'default', name: 'web', ...meta },
    spec: { restartPolicy: 'Always', containers: [{ name: 'app', image: 'busybox', imagePullPolicy: 'IfNotPresent' }], ...over },
    status: phase ? { phase } : undefined,
  };
}

function ctr(over: Partial<ObservedContainer>): ObservedContainer {
  return { id: `c${over.attempt ?? 0}`, name: 'app', attempt: 0, state: 'running', startedAt: NOW - 5_000, ...over };
}

function seen(containers: ObservedContainer[], over: Partial<ObservedPod> = {}): ObservedPod {
  return { uid: 'u1', namespace: 'default', name: 'web', sandbox: { ready: true, ip: '10.0.0.2' }, containers, ...over };
}

const mem = (over: Partial<NodeMemory> = {}): NodeMemory => ({ pods: {}, images: new Set(['busybox']), ...over });

/** A pod with two init containers (`one`, then `two`) before `app`. */
function initPod(restartPolicy: 'Always' | 'OnFailure' | 'Never' = 'Always', status?: PodView['status'], meta: Partial<PodView['metadata']> = {}): PodView {
  return { ...pod({ restartPolicy, initContainers: [{ name: 'one', image: 'busybox' }, { name: 'two', image: 'migrate:1' }] }, meta), ...(status ? { status } : {}) };
}
/** An instance of an init container, its id named after it. */
const init = (name: string, over: Partial<ObservedContainer>) => ctr({ id: `${name}${over.attempt ?? 0}`, name, ...over });
const done = (name: string) => init(name, { state: 'exited', exitCode: 0, finishedAt: NOW - 1_000 });
const initImages = mem({ images: new Set(['busybox', 'migrate:1']) });

/** Actions reduced to comparable summaries. */
function brief(actions: SyncAction[]): string[] {
  return actions.map((a) => {
    switch (a.type) {
      case 'createSandbox': return `createSandbox ${a.pod.metadata.uid}`;
      case 'pullImage': return `pull ${a.container} ${a.image}`;
      case 'startContainer': return `start ${a.container}#${a.attempt} streak=${a.crashStreak}`;
      case 'killContainer': return `kill ${a.id} grace=${a.gracePeriodSeconds} ${a.reason}`;
      case 'removeContainer': return `rm ${a.id}`;
      case 'removePod': return `removePod ${a.uid} grace=${a.gracePeriodSeconds} ${a.reason}`;
      case 'finalizeDeletion': return `finalize ${a.pod.metadata.uid}`;
    }
  });
}

describe('planSync', () => {
  const cases: Array<{ name: string; desired: PodView[]; observed: ObservedPod[]; memory?: NodeMemory; now?: number; want: string[] }> = [
    { name: 'new pod: sandbox, then start (image present)', desired: [pod()], observed: [], want: ['createSandbox u1', 'start app#0 streak=0'] },
    { name: 'new pod, image missing: pull before start', desired: [pod()], observed: [], memory: mem({ images: new Set() }),
      want: ['createSandbox u1', 'pull app busybox', 'start app#0 streak=0'] },
    { name: 'pull policy Always pulls even when present', desired: [pod({ containers: [{ name: 'app', image: 'busybox', imagePullPolicy: 'Always' }] })], observed: [],
      want: ['createSandbox u1', 'pull app busybox', 'start app#0 streak=0'] },
    { name: 'pull policy Never with image missing: nothing to start', desired: [pod({ containers: [{ name: 'app', image: 'busybox', imagePullPolicy: 'Never' }] })],
      observed: [], memory: mem({ images: new Set() }), want: ['createSandbox u1'] },
    { name: 'running and healthy: nothing to do', desired: [pod()], observed: [seen([ctr({})])], want: [] },
    // The plan is applied only to pods without a worker in flight, so a created container it
    // sees was left by an agent that died between runc create and start.
    { name: 'created and left behind: replaced, same attempt', desired: [pod()], observed: [seen([ctr({ state: 'created' })])], want: ['rm c0', 'start app#0 streak=0'] },
    { name: 'a left-behind restart keeps its attempt and streak', desired: [pod()],
      observed: [seen([ctr({ state: 'exited', exitCode: 1, finishedAt: NOW - 60_000 }), ctr({ attempt: 1, state: 'created' })])],
      memory: mem({ pods: { u1: { app: { crashStreak: 1 } } } }), want: ['rm c1', 'start app#1 streak=1'] },
    { name: 'sandbox lost: recreate it', desired: [pod()], observed: [seen([], { sandbox: undefined })], want: ['createSandbox u1', 'start app#0 streak=0'] },
    { name: 'sandbox failed moments ago: wait', desired: [pod()], observed: [], memory: mem({ sandboxRetryAt: new Map([['u1', NOW + 1]]) }), want: [] },
    { name: 'sandbox failed, its wait is over: try again', desired: [pod()], observed: [], memory: mem({ sandboxRetryAt: new Map([['u1', NOW]]) }), want: ['createSandbox u1', 'start app#0 streak=0'] },
    { name: 'evicted (emptyDir over its limit): everything stops, nothing restarts', desired: [pod({ terminationGracePeriodSeconds: 7 })], observed: [seen([ctr({})])],
      memory: mem({ evictions: new Map([['u1', 'over']]) }), want: ['kill c0 grace=7 Evicted'] },
    { name: 'evicted, read back from the last status: a killed container is not restarted', desired: [{ ...pod(), status: { evicted: 'over' } }],
      observed: [seen([ctr({ state: 'exited', exitCode: 137, finishedAt: NOW - 60_000 })])], want: [] },
    { name: 'liveness failed: kill with the pod grace', desired: [pod({ terminationGracePeriodSeconds: 7 })], observed: [seen([ctr({})])],
      memory: mem({ pods: { u1: { app: { livenessFailed: true } } } }), want: ['kill c0 grace=7 LivenessProbeFailed'] },
    { name: 'liveness failed: the liveness probe\'s own grace', desired: [pod({ terminationGracePeriodSeconds: 7, containers: [{ name: 'app', image: 'busybox', probeGrace: { liveness: 2, startup: 4 } }] })],
      observed: [seen([ctr({})])], memory: mem({ pods: { u1: { app: { livenessFailed: true, failedProbe: 'liveness' } } } }), want: ['kill c0 grace=2 LivenessProbeFailed'] },
    { name: 'startup failed: the startup probe\'s own grace', desired: [pod({ terminationGracePeriodSeconds: 7, containers: [{ name: 'app', image: 'busybox', probeGrace: { liveness: 2, startup: 4 } }] })],
      observed: [seen([ctr({})])], memory: mem({ pods: { u1: { app: { livenessFailed: true, failedProbe: 'startup' } } } }), want: ['kill c0 grace=4 LivenessProbeFailed'] },
    { name: 'startup failed, only liveness has a grace: the pod\'s', desired: [pod({ terminationGracePeriodSeconds: 7, containers: [{ name: 'app', image: 'busybox', probeGrace: { liveness: 2 } }] })],
      observed: [seen([ctr({})])], memory: mem({ pods: { u1: { app: { livenessFailed: true, failedProbe: 'startup' } } } }), want: ['kill c0 grace=7 LivenessProbeFailed'] },
    { name: 'Always: exited 0 restarts after the first back-off', desired: [pod()],
      observed: [seen([ctr({ state: 'exited', exitCode: 0, startedAt: NOW - 20_000, finishedAt: NOW - 10_000 })])], want: ['start app#1 streak=1'] },
    { name: 'Always: still inside the back-off window', desired: [pod()],
      observed: [seen([ctr({ state: 'exited', exitCode: 1, startedAt: NOW - 6_000, finishedAt: NOW - 5_000 })])], want: [] },
    { name: 'back-off doubles with the crash streak', desired: [pod()],
      observed: [seen([ctr({ attempt: 3, state: 'exited', exitCode: 1, startedAt: NOW - 40_000, finishedAt: NOW - 39_000 })])],
      memory: mem({ pods: { u1: { app: { crashStreak: 3 } } } }), want: [] },
    { name: 'back-off doubled delay has passed', desired: [pod()],
      observed: [seen([ctr({ attempt: 3, state: 'exited', exitCode: 1, startedAt: NOW - 81_000, finishedAt: NOW - 80_000 })])],
      memory: mem({ pods: { u1: { app: { crashStreak: 3 } } } }), want: ['start app#4 streak=4'] },
    { name: 'back-off is capped', desired: [pod()],
      observed: [seen([ctr({ attempt: 9, state: 'exited', exitCode: 1, startedAt: NOW - 301_000, finishedAt: NOW - 300_000 })])],
      memory: mem({ pods: { u1: { app: { crashStreak: 9 } } } }), want: ['start app#10 streak=10'] },
    { name: 'a long run resets the streak', desired: [pod()],
      observed: [seen([ctr({ attempt: 5, state: 'exited', exitCode: 1, startedAt: NOW - 700_000, finishedAt: NOW - 10_000 })])],
      memory: mem({ pods: { u1: { app: { crashStreak: 5 } } } }), want: ['start app#6 streak=1'] },
    { name: 'OnFailure: exit 0 is final', desired: [pod({ restartPolicy: 'OnFailure' })],
      observed: [seen([ctr({ state: 'exited', exitCode: 0, finishedAt: NOW - 60_000 })])], want: [] },
    { name: 'OnFailure: exit 2 restarts', desired: [pod({ restartPolicy: 'OnFailure' })],
      observed: [seen([ctr({ state: 'exited', exitCode: 2, startedAt: NOW - 61_000, finishedAt: NOW - 60_000 })])], want: ['start app#1 streak=1'] },
    { name: 'Never: a failure is final', desired: [pod({ restartPolicy: 'Never' })],
      observed: [seen([ctr({ state: 'exited', exitCode: 2, finishedAt: NOW - 60_000 })])], want: [] },
    { name: 'Never, its process could not be started: not started again', desired: [pod({ restartPolicy: 'Never' })], observed: [seen([])],
      memory: mem({ pods: { u1: { app: { startFailed: { message: 'x', at: NOW - 60_000 } } } } }), want: [] },
    { name: 'a start failure read back from the last status (agent restarted): not started again',
      desired: [{ ...pod({ restartPolicy: 'Never' }), status: { startFailures: { app: { message: 'x', at: NOW - 60_000 } } } }], observed: [seen([])], want: [] },
    { name: 'a start failure with a created leftover: removed, not started', desired: [pod({ restartPolicy: 'Never' })], observed: [seen([ctr({ state: 'created' })])],
      memory: mem({ pods: { u1: { app: { startFailed: { message: 'x', at: NOW - 60_000 } } } } }), want: ['rm c0'] },
    { name: 'RunContainerError (Always, OnFailure): waits out its back-off', desired: [pod()], observed: [seen([])],
      memory: mem({ pods: { u1: { app: { configError: { reason: 'RunContainerError', message: 'x', retryAt: NOW + 1, backoffMs: 10_000 } } } } }), want: [] },
    { name: 'RunContainerError, back-off over: started again', desired: [pod({ restartPolicy: 'OnFailure' })], observed: [seen([])],
      memory: mem({ pods: { u1: { app: { configError: { reason: 'RunContainerError', message: 'x', retryAt: NOW, backoffMs: 10_000 } } } } }), want: ['start app#0 streak=0'] },
    { name: 'image pull back-off: wait until retry time', desired: [pod()], observed: [seen([])],
      memory: mem({ images: new Set(), pods: { u1: { app: { pullError: { reason: 'ImagePullBackOff', message: 'x', retryAt: NOW + 1, backoffMs: 10_000 } } } } }), want: [] },
    { name: 'image pull back-off over: pull again', desired: [pod()], observed: [seen([])],
      memory: mem({ images: new Set(), pods: { u1: { app: { pullError: { reason: 'ImagePullBackOff', message: 'x', retryAt: NOW, backoffMs: 10_000 } } } } }),
      want: ['pull app busybox', 'start app#0 streak=0'] },
    { name: 'old exited instances beyond the previous one are removed', desired: [pod()],
      observed: [seen([ctr({ attempt: 0, state: 'exited' }), ctr({ attempt: 1, state: 'exited' }), ctr({ attempt: 2, state: 'running' })])], want: ['rm c0'] },
    { name: 'deleting pod: containers killed with the deletion grace', desired: [pod({}, { deletionTimestamp: 't', deletionGracePeriodSeconds: 3 })],
      observed: [seen([ctr({})])], want: ['kill c0 grace=3 Killing'] },
    { name: 'deleting pod, all stopped: remove sandbox and finalize', desired: [pod({}, { deletionTimestamp: 't' })],
      observed: [seen([ctr({ state: 'exited', exitCode: 143 })])], want: ['removePod u1 grace=0 PodDeleted', 'finalize u1'] },
    { name: 'deleting pod never started here: just finalize', desired: [pod({}, { deletionTimestamp: 't' })], observed: [], want: ['finalize u1'] },
    { name: 'evicted (Failed) while away: stop, do not restart', desired: [pod({}, {}, 'Failed')], observed: [seen([ctr({})])], want: ['kill c0 grace=30 PodTerminated'] },
    { name: 'running without a bound pod: removed with its recorded grace', desired: [], observed: [seen([ctr({})], { gracePeriodSeconds: 12 })],
      want: ['removePod u1 grace=12 PodNotBoundHere'] },
    { name: 'two containers planned independently', desired: [pod({ containers: [{ name: 'app', image: 'busybox' }, { name: 'side', image: 'busybox' }] })],
      observed: [seen([ctr({})])], want: ['start side#0 streak=0'] },
  ];

  it.each(cases)('$name', ({ desired, observed, memory, now, want }) => {
    expect(brief(planSync(desired, observed, memory ?? mem(), now ?? NOW, backoff))).toEqual(want);
  });
});

describe('planSync with init containers', () => {
  const cases: Array<{ name: string; desired: PodView[]; observed: ObservedPod[]; memory?: NodeMemory; want: string[] }> = [
    { name: 'new pod: sandbox, then the first init container alone', desired: [initPod()], observed: [], memory: initImages, want: ['createSandbox u1', 'start one#0 streak=0'] },
    { name: 'its image missing: pulled first, as for any container', desired: [initPod()], observed: [], memory: mem({ images: new Set() }),
      want: ['createSandbox u1', 'pull one busybox', 'start one#0 streak=0'] },
    { name: 'the first runs: nothing else starts', desired: [initPod()], observed: [seen([init('one', {})])], memory: initImages, want: [] },
    { name: 'the first completed: the second starts (its image pulled)', desired: [initPod()], observed: [seen([done('one')])],
      want: ['pull two migrate:1', 'start two#0 streak=0'] },
    { name: 'all completed: the app starts', desired: [initPod()], observed: [seen([done('one'), done('two')])], memory: initImages, want: ['start app#0 streak=0'] },
    { name: 'completed under Always: not run again', desired: [initPod('Always')], observed: [seen([done('one'), done('two'), ctr({})])], memory: initImages, want: [] },
    { name: 'Always: a failed init container waits out its back-off', desired: [initPod('Always')],
      observed: [seen([init('one', { state: 'exited', exitCode: 1, startedAt: NOW - 6_000, finishedAt: NOW - 5_000 })])], memory: initImages, want: [] },
    { name: 'Always: back-off over, the same init container again (not the next, not the app)', desired: [initPod('Always')],
      observed: [seen([init('one', { state: 'exited', exitCode: 1, startedAt: NOW - 21_000, finishedAt: NOW - 20_000 })])], memory: initImages, want: ['start one#1 streak=1'] },
    { name: 'OnFailure: restarted with the doubled back-off', desired: [initPod('OnFailure')],
      observed: [seen([init('one', { attempt: 2, state: 'exited', exitCode: 1, startedAt: NOW - 41_000, finishedAt: NOW - 40_000 })])],
      memory: mem({ images: initImages.images, pods: { u1: { one: { crashStreak: 2 } } } }), want: ['start one#3 streak=3'] },
    { name: 'Never: a failed init container is final, the app never starts', desired: [initPod('Never')],
      observed: [seen([init('one', { state: 'exited', exitCode: 3, finishedAt: NOW - 60_000 })])], memory: initImages, want: [] },
    { name: 'Never, its process could not be started: neither it again nor the app', desired: [initPod('Never')], observed: [seen([])],
      memory: mem({ images: initImages.images, pods: { u1: { one: { startFailed: { message: 'x', at: NOW - 60_000 } } } } }), want: [] },
    { name: 'that start failure read back from the last status (agent restarted)', desired: [initPod('Never', { startFailures: { one: { message: 'x', at: NOW - 60_000 } } })],
      observed: [seen([])], memory: initImages, want: [] },
    { name: 'done: an app container has an instance, init instances gone', desired: [initPod()], observed: [seen([ctr({ state: 'exited', exitCode: 1, startedAt: NOW - 700_000, finishedAt: NOW - 600_000 })])],
      memory: initImages, want: ['start app#1 streak=1'] },
    { name: 'done: the last status reports both completed, no instance left', desired: [initPod('Always', { completedInit: { one: { restartCount: 0 }, two: { restartCount: 1 } } })],
      observed: [seen([])], memory: initImages, want: ['start app#0 streak=0'] },
    { name: 'the last status reports the first completed: the second runs next', desired: [initPod('Always', { completedInit: { one: { restartCount: 0 } } })],
      observed: [seen([])], memory: initImages, want: ['start two#0 streak=0'] },
    { name: 'an instance is newer than the last status: a failed one is not taken for completed', desired: [initPod('Never', { completedInit: { one: { restartCount: 0 } } })],
      observed: [seen([init('one', { state: 'exited', exitCode: 1, finishedAt: NOW - 60_000 })])], memory: initImages, want: [] },
    { name: 'old init instances beyond the previous one are removed', desired: [initPod()],
      observed: [seen([init('one', { attempt: 0, state: 'exited', exitCode: 1 }), init('one', { attempt: 1, state: 'exited', exitCode: 1 }), init('one', { attempt: 2, state: 'running' })])],
      memory: initImages, want: ['rm one0'] },
    { name: 'an init container left created: replaced, same attempt', desired: [initPod()], observed: [seen([init('one', { state: 'created' })])], memory: initImages,
      want: ['rm one0', 'start one#0 streak=0'] },
    { name: 'deleting while an init container runs: it is killed like any container', desired: [initPod('Always', undefined, { deletionTimestamp: 't', deletionGracePeriodSeconds: 2 })],
      observed: [seen([done('one'), init('two', {})])], memory: initImages, want: ['kill two0 grace=2 Killing'] },
  ];

  it.each(cases)('$name', ({ desired, observed, memory, want }) => {
    expect(brief(planSync(desired, observed, memory ?? mem(), NOW, backoff))).toEqual(want);
  });
});

describe('planSync: activeDeadlineSeconds', () => {
  const started = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();
  const deadlined = (startedSecondsAgo: number, restartPolicy: 'Always' | 'Never' = 'Always'): PodView =>
    ({ ...pod({ activeDeadlineSeconds: 3, restartPolicy, terminationGracePeriodSeconds: 5 }), status: { startTime: started(startedSecondsAgo) } });
  it.each<[string, PodView, ObservedPod, SyncAction['type'][]]>([
    ['within the deadline: nothing to do', deadlined(2), seen([ctr({})]), []],
    ['past it: the running container is killed', deadlined(3), seen([ctr({})]), ['killContainer']],
    ['past it, exited under Always: not restarted', deadlined(10), seen([ctr({ state: 'exited', exitCode: 137, finishedAt: NOW - 100_000 })]), []],
    ['past it, nothing started yet: nothing starts', deadlined(10), seen([]), []],
  ])('%s', (_name, p, observed, want) => {
    const actions = planSync([p], [observed], mem(), NOW, backoff);
    expect(actions.map((a) => a.type)).toEqual(want);
    for (const a of actions) if (a.type === 'killContainer') expect(a).toMatchObject({ reason: 'DeadlineExceeded', gracePeriodSeconds: 5 });
  });
});
