import { toTable } from '@coxswain/api/browser';
import { BackoffSettings, ObservedContainer, ObservedPod, PodMemory, PodView } from './model';
import { computePodStatus, ContainerStatusView } from './status';

const backoff: BackoffSettings = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };
const NOW = 1_000_000;

function pod(restartPolicy: 'Always' | 'OnFailure' | 'Never' = 'Always', containers = [{ name: 'app', image: 'busybox' }]): PodView {
  return { metadata: { uid: 'u1', namespace: 'ns', name: 'web' }, spec: { restartPolicy, containers } };
}
const ctr = (over: Partial<ObservedContainer>): ObservedContainer =>
  ({ id: `c${over.attempt ?? 0}`, name: 'app', attempt: 0, state: 'running', startedAt: NOW - 5_000, ...over });
const seen = (containers: ObservedContainer[]): ObservedPod =>
  ({ uid: 'u1', namespace: 'ns', name: 'web', sandbox: { ready: true, ip: '10.1.0.5' }, containers });

describe('computePodStatus', () => {
  const cases: Array<{
    name: string; pod: PodView; seen?: ObservedPod; memory?: PodMemory;
    phase: string; ready: boolean; state: string; reason?: string; restarts?: number; lastExit?: number;
  }> = [
    { name: 'nothing started yet', pod: pod(), phase: 'Pending', ready: false, state: 'waiting', reason: 'ContainerCreating' },
    { name: 'image cannot be pulled', pod: pod(), seen: seen([]),
      memory: { app: { pullError: { reason: 'ImagePullBackOff', message: 'not found', retryAt: NOW + 1, backoffMs: 1 } } },
      phase: 'Pending', ready: false, state: 'waiting', reason: 'ImagePullBackOff' },
    { name: 'created, not yet started the first time: still Pending', pod: pod(), seen: seen([ctr({ state: 'created' })]),
      phase: 'Pending', ready: false, state: 'waiting', reason: 'ContainerCreating' },
    { name: 'a restart created but not yet started keeps the pod Running', pod: pod(),
      seen: seen([ctr({ attempt: 0, state: 'exited', exitCode: 1, finishedAt: NOW - 20_000 }), ctr({ attempt: 1, state: 'created' })]),
      phase: 'Running', ready: false, state: 'waiting', reason: 'ContainerCreating', restarts: 1, lastExit: 1 },
    { name: 'running without readiness probe is ready', pod: pod(), seen: seen([ctr({})]), phase: 'Running', ready: true, state: 'running' },
    { name: 'running with an unprobed readiness probe is not ready', pod: pod('Always', [{ name: 'app', image: 'b', readinessProbe: {} } as never]),
      seen: seen([ctr({})]), phase: 'Running', ready: false, state: 'running' },
    { name: 'readiness probe passed', pod: pod('Always', [{ name: 'app', image: 'b', readinessProbe: {} } as never]),
      seen: seen([ctr({})]), memory: { app: { ready: true } }, phase: 'Running', ready: true, state: 'running' },
    { name: 'crashing under Always: CrashLoopBackOff with last exit', pod: pod(),
      seen: seen([ctr({ attempt: 2, state: 'exited', exitCode: 1, startedAt: NOW - 2_000, finishedAt: NOW - 1_000 }), ctr({ attempt: 1, state: 'exited', exitCode: 1 })]),
      memory: { app: { crashStreak: 2 } }, phase: 'Running', ready: false, state: 'waiting', reason: 'CrashLoopBackOff', restarts: 2, lastExit: 1 },
    { name: 'OOM-killed reported as such', pod: pod('Never'), seen: seen([ctr({ state: 'exited', exitCode: 137, oomKilled: true, finishedAt: NOW })]),
      phase: 'Failed', ready: false, state: 'terminated', reason: 'OOMKilled' },
    { name: 'Never and exit 0: Succeeded', pod: pod('Never'), seen: seen([ctr({ state: 'exited', exitCode: 0, finishedAt: NOW })]),
      phase: 'Succeeded', ready: false, state: 'terminated', reason: 'Completed' },
    { name: 'OnFailure and exit 3: restarting', pod: pod('OnFailure'), seen: seen([ctr({ state: 'exited', exitCode: 3, startedAt: NOW - 2_000, finishedAt: NOW - 1_000 })]),
      phase: 'Running', ready: false, state: 'waiting', reason: 'CrashLoopBackOff', lastExit: 3 },
    { name: 'Never, its process could not be started: terminated StartError, Failed', pod: pod('Never'), seen: seen([]),
      memory: { app: { startFailed: { message: 'exec: "/nope": stat /nope: no such file or directory', at: NOW } } },
      phase: 'Failed', ready: false, state: 'terminated', reason: 'StartError' },
    { name: 'a start failure read back from the last status (agent restarted): still Failed',
      pod: { ...pod('Never'), status: { phase: 'Failed', startFailures: { app: { message: 'x', at: NOW } } } }, seen: seen([]),
      phase: 'Failed', ready: false, state: 'terminated', reason: 'StartError' },
    { name: 'Always, its process could not be started: waiting RunContainerError, retried', pod: pod(), seen: seen([]),
      memory: { app: { configError: { reason: 'RunContainerError', message: 'x', retryAt: NOW + 1, backoffMs: 10_000 } } },
      phase: 'Pending', ready: false, state: 'waiting', reason: 'RunContainerError' },
  ];

  it.each(cases)('$name', (c) => {
    const status = computePodStatus(c.pod, c.seen, c.memory ?? {}, '192.168.1.10', NOW, backoff);
    const cs = status.containerStatuses[0];
    expect(status.phase).toBe(c.phase);
    expect(status.conditions.find((x) => x.type === 'Ready')?.status).toBe(c.ready ? 'True' : 'False');
    expect(Object.keys(cs.state)).toEqual([c.state]);
    if (c.reason) expect(cs.state.waiting?.reason ?? cs.state.terminated?.reason).toBe(c.reason);
    expect(cs.restartCount).toBe(c.restarts ?? 0);
    if (c.lastExit !== undefined) expect(cs.lastState.terminated?.exitCode).toBe(c.lastExit);
  });

  it('reports a start failure as the kubelet does: exit 128, the runtime\'s message, startedAt the zero time', () => {
    const why = 'exec: "/nope": stat /nope: no such file or directory';
    const status = computePodStatus(pod('Never'), seen([]), { app: { startFailed: { message: why, at: NOW } } }, '192.168.1.10', NOW + 5_000, backoff);
    expect(status.containerStatuses[0]).toMatchObject({
      started: false, restartCount: 0, lastState: {},
      state: { terminated: { exitCode: 128, reason: 'StartError', message: why, startedAt: '1970-01-01T00:00:00Z', finishedAt: new Date(NOW).toISOString() } },
    });
    expect(status.conditions.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('one container failing to start under Never fails the pod only once the others have stopped', () => {
    const two = pod('Never', [{ name: 'app', image: 'busybox' }, { name: 'side', image: 'busybox' }]);
    const memory: PodMemory = { app: { startFailed: { message: 'x', at: NOW } } };
    const side = (over: Partial<ObservedContainer>) => ctr({ id: 's0', name: 'side', ...over });
    expect(computePodStatus(two, seen([side({})]), memory, '192.168.1.10', NOW, backoff).phase).toBe('Running');
    expect(computePodStatus(two, seen([side({ state: 'exited', exitCode: 0, finishedAt: NOW })]), memory, '192.168.1.10', NOW, backoff).phase).toBe('Failed');
  });

  it('reports pod and host IPs and the CrashLoopBackOff message kubectl shows', () => {
    const status = computePodStatus(pod(), seen([ctr({ state: 'exited', exitCode: 1, startedAt: NOW - 2_000, finishedAt: NOW - 1_000 })]), {}, '192.168.1.10', NOW, backoff);
    expect(status.podIP).toBe('10.1.0.5');
    expect(status.hostIPs).toEqual([{ ip: '192.168.1.10' }]);
    expect(status.containerStatuses[0].state.waiting?.message).toBe('back-off 10s restarting failed container=app pod=web_ns(u1)');
  });
});

describe('computePodStatus with init containers', () => {
  function initPod(restartPolicy: 'Always' | 'OnFailure' | 'Never' = 'Always', status?: PodView['status']): PodView {
    return { ...pod(restartPolicy), spec: { restartPolicy, initContainers: [{ name: 'one', image: 'busybox' }, { name: 'two', image: 'busybox' }], containers: [{ name: 'app', image: 'busybox' }] }, ...(status ? { status } : {}) };
  }
  const init = (name: string, over: Partial<ObservedContainer>) => ctr({ id: `${name}${over.attempt ?? 0}`, name, ...over });
  const done = (name: string) => init(name, { state: 'exited', exitCode: 0, startedAt: NOW - 3_000, finishedAt: NOW - 2_000 });
  /** A container's state in one word or three: `running`, `waiting <reason>`, `terminated <reason> <exit>`. */
  const stateOf = (s: ContainerStatusView) => s.state.running ? 'running'
    : s.state.waiting ? `waiting ${s.state.waiting.reason}` : `terminated ${s.state.terminated!.reason} ${s.state.terminated!.exitCode}`;

  const cases: Array<{ name: string; pod: PodView; seen?: ObservedPod; memory?: PodMemory; phase: string; initialized: boolean; init: string[]; app: string; kubectl: string }> = [
    { name: 'nothing started yet', pod: initPod(), phase: 'Pending', initialized: false,
      init: ['waiting PodInitializing', 'waiting PodInitializing'], app: 'waiting PodInitializing', kubectl: 'Init:0/2' },
    { name: 'the first init container runs', pod: initPod(), seen: seen([init('one', {})]), phase: 'Pending', initialized: false,
      init: ['running', 'waiting PodInitializing'], app: 'waiting PodInitializing', kubectl: 'Init:0/2' },
    { name: 'the first completed, the second runs', pod: initPod(), seen: seen([done('one'), init('two', {})]), phase: 'Pending', initialized: false,
      init: ['terminated Completed 0', 'running'], app: 'waiting PodInitializing', kubectl: 'Init:1/2' },
    { name: 'the second cannot be pulled', pod: initPod(), seen: seen([done('one')]),
      memory: { two: { pullError: { reason: 'ImagePullBackOff', message: 'not found', retryAt: NOW + 1, backoffMs: 1 } } }, phase: 'Pending', initialized: false,
      init: ['terminated Completed 0', 'waiting ImagePullBackOff'], app: 'waiting PodInitializing', kubectl: 'Init:ImagePullBackOff' },
    { name: 'init done, the app not started yet', pod: initPod(), seen: seen([done('one'), done('two')]), phase: 'Pending', initialized: true,
      init: ['terminated Completed 0', 'terminated Completed 0'], app: 'waiting PodInitializing', kubectl: 'PodInitializing' },
    { name: 'init done, the app runs', pod: initPod(), seen: seen([done('one'), done('two'), ctr({})]), phase: 'Running', initialized: true,
      init: ['terminated Completed 0', 'terminated Completed 0'], app: 'running', kubectl: 'Running' },
    { name: 'Always: a failed init container crash-loops, the pod stays Pending', pod: initPod('Always'),
      seen: seen([init('one', { attempt: 1, state: 'exited', exitCode: 1, startedAt: NOW - 2_000, finishedAt: NOW - 1_000 })]), memory: { one: { crashStreak: 1 } },
      phase: 'Pending', initialized: false, init: ['waiting CrashLoopBackOff', 'waiting PodInitializing'], app: 'waiting PodInitializing', kubectl: 'Init:CrashLoopBackOff' },
    { name: 'OnFailure: the same', pod: initPod('OnFailure'), seen: seen([init('one', { state: 'exited', exitCode: 1, startedAt: NOW - 2_000, finishedAt: NOW - 1_000 })]),
      phase: 'Pending', initialized: false, init: ['waiting CrashLoopBackOff', 'waiting PodInitializing'], app: 'waiting PodInitializing', kubectl: 'Init:CrashLoopBackOff' },
    { name: 'Never: a failed init container fails the pod', pod: initPod('Never'), seen: seen([init('one', { state: 'exited', exitCode: 3, finishedAt: NOW })]),
      phase: 'Failed', initialized: false, init: ['terminated Error 3', 'waiting PodInitializing'], app: 'waiting PodInitializing', kubectl: 'Init:Error' },
    { name: 'Never, its process could not be started: StartError, the pod fails', pod: initPod('Never'), seen: seen([]), memory: { one: { startFailed: { message: 'x', at: NOW } } },
      phase: 'Failed', initialized: false, init: ['terminated StartError 128', 'waiting PodInitializing'], app: 'waiting PodInitializing', kubectl: 'Init:StartError' },
    { name: 'Always, its process could not be started: waiting RunContainerError', pod: initPod('Always'), seen: seen([]),
      memory: { one: { configError: { reason: 'RunContainerError', message: 'x', retryAt: NOW + 1, backoffMs: 10_000 } } },
      phase: 'Pending', initialized: false, init: ['waiting RunContainerError', 'waiting PodInitializing'], app: 'waiting PodInitializing', kubectl: 'Init:RunContainerError' },
    { name: 'init instances gone, the app runs: init reads completed', pod: initPod(), seen: seen([ctr({})]), phase: 'Running', initialized: true,
      init: ['terminated Completed 0', 'terminated Completed 0'], app: 'running', kubectl: 'Running' },
    { name: 'completed per the last status, no instance left: the app is next', pod: initPod('Always', { completedInit: { one: { restartCount: 0 }, two: { restartCount: 0 } } }), seen: seen([]),
      phase: 'Pending', initialized: true, init: ['terminated Completed 0', 'terminated Completed 0'], app: 'waiting PodInitializing', kubectl: 'PodInitializing' },
  ];

  it.each(cases)('$name', (c) => {
    const status = computePodStatus(c.pod, c.seen, c.memory ?? {}, '192.168.1.10', NOW, backoff);
    expect(status.phase).toBe(c.phase);
    expect(status.conditions.find((x) => x.type === 'Initialized')?.status).toBe(c.initialized ? 'True' : 'False');
    expect(status.initContainerStatuses!.map(stateOf)).toEqual(c.init);
    expect(stateOf(status.containerStatuses[0])).toBe(c.app);
    // What kubectl's STATUS column makes of it (the API's pod printer).
    const asStored = { metadata: { name: 'web', namespace: 'ns' }, spec: { initContainers: c.pod.spec.initContainers, containers: c.pod.spec.containers }, status };
    expect(toTable('Pod', [asStored as never], { now: NOW }).rows[0].cells[2]).toBe(c.kubectl);
  });

  it('names the incomplete init containers in Initialized, and keeps Ready False', () => {
    const status = computePodStatus(initPod(), seen([done('one'), init('two', {})]), {}, '192.168.1.10', NOW, backoff);
    expect(status.conditions).toEqual(expect.arrayContaining([
      { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [two]' },
      { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' },
    ]));
    expect(computePodStatus(initPod(), seen([]), {}, '192.168.1.10', NOW, backoff).conditions.find((x) => x.type === 'Initialized')?.message)
      .toBe('containers with incomplete status: [one two]');
  });

  it('reports an init container ready once completed, never while it runs; started while it runs', () => {
    const running = computePodStatus(initPod(), seen([init('one', {})]), {}, '192.168.1.10', NOW, backoff).initContainerStatuses![0];
    expect(running).toMatchObject({ name: 'one', ready: false, started: true, restartCount: 0, containerID: 'runc://one0' });
    const completed = computePodStatus(initPod(), seen([done('one'), init('two', {})]), {}, '192.168.1.10', NOW, backoff).initContainerStatuses![0];
    expect(completed).toMatchObject({ ready: true, started: false, state: { terminated: { exitCode: 0, reason: 'Completed', containerID: 'runc://one0', finishedAt: new Date(NOW - 2_000).toISOString() } } });
  });

  it('counts an init container\'s restarts and shows its last failure', () => {
    const status = computePodStatus(initPod(), seen([
      init('one', { attempt: 1, state: 'exited', exitCode: 2, startedAt: NOW - 40_000, finishedAt: NOW - 39_000 }),
      init('one', { attempt: 2, state: 'running' }),
    ]), {}, '192.168.1.10', NOW, backoff);
    expect(status.initContainerStatuses![0]).toMatchObject({ restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 2, reason: 'Error' } } });
  });

  it('reports init containers whose instances are gone as the last status had them', () => {
    const carried = { restartCount: 2, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', containerID: 'runc://u1-one-2' };
    const status = computePodStatus(initPod('Always', { completedInit: { one: carried, two: { restartCount: 0 } } }), seen([ctr({})]), {}, '192.168.1.10', NOW, backoff);
    expect(status.initContainerStatuses![0]).toEqual({
      name: 'one', image: 'busybox', imageID: '', containerID: carried.containerID, ready: true, started: false, restartCount: 2, lastState: {},
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: carried.startedAt, finishedAt: carried.finishedAt, containerID: carried.containerID } },
    });
  });

  it('a pod without init containers reports no initContainerStatuses and Initialized True', () => {
    const status = computePodStatus(pod(), seen([ctr({})]), {}, '192.168.1.10', NOW, backoff);
    expect(status).not.toHaveProperty('initContainerStatuses');
    expect(status.conditions.find((x) => x.type === 'Initialized')).toEqual({ type: 'Initialized', status: 'True' });
  });
});

describe('computePodStatus: termination messages', () => {
  it.each<[string, 'Never' | 'Always', Record<string, string> | undefined, string | undefined, string | undefined]>([
    ['terminated carries the message read after the exit', 'Never', { c0: 'bye' }, 'bye', undefined],
    ['an empty message is left out', 'Never', { c0: '' }, undefined, undefined],
    ['not read yet: no message', 'Never', undefined, undefined, undefined],
    ['a restarted container\'s lastState carries it', 'Always', { c0: 'crashed: disk full' }, undefined, 'crashed: disk full'],
  ])('%s', (_name, policy, messages, stateMessage, lastMessage) => {
    const exited = ctr({ state: 'exited', exitCode: 3, finishedAt: NOW - 100_000 });
    const instances = policy === 'Always' ? [exited, ctr({ id: 'c1', attempt: 1 })] : [exited];
    const status = computePodStatus(pod(policy), seen(instances), { app: { terminationMessages: messages } }, '10.0.0.1', NOW, backoff).containerStatuses[0];
    expect(status.state.terminated?.message).toBe(stateMessage);
    expect(status.lastState.terminated?.message).toBe(lastMessage);
  });
});

describe('computePodStatus: readiness gates (the kubelet\'s GeneratePodReadyCondition)', () => {
  const gated = (conditions?: Array<{ type: string; status: string }>, gates = ['example.com/lb']): PodView => ({
    ...pod(), spec: { ...pod().spec, readinessGates: gates.map((conditionType) => ({ conditionType })) }, status: { conditions },
  });
  const readyOf = (p: PodView, instances = [ctr({})]) => computePodStatus(p, seen(instances), {}, '10.0.0.1', NOW, backoff).conditions.find((c) => c.type === 'Ready');
  it.each<[string, PodView, object]>([
    ['no gates: Ready with the containers', pod(), { status: 'True' }],
    ['gate condition missing', gated(undefined), { status: 'False', reason: 'ReadinessGatesNotReady', message: 'corresponding condition of pod readiness gate "example.com/lb" does not exist.' }],
    ['gate condition False', gated([{ type: 'example.com/lb', status: 'False' }]), { status: 'False', reason: 'ReadinessGatesNotReady', message: 'the status of pod readiness gate "example.com/lb" is not "True", but False' }],
    ['gate condition True', gated([{ type: 'example.com/lb', status: 'True' }]), { status: 'True' }],
    ['two gates, both unmet: messages joined', gated([{ type: 'b', status: 'Unknown' }], ['a', 'b']),
      { status: 'False', reason: 'ReadinessGatesNotReady', message: 'corresponding condition of pod readiness gate "a" does not exist., the status of pod readiness gate "b" is not "True", but Unknown' }],
  ])('%s', (_name, p, want) => {
    expect(readyOf(p)).toEqual({ type: 'Ready', ...want });
  });

  it('containers not ready: Ready says so, whatever the gates', () => {
    const ready = readyOf(gated([{ type: 'example.com/lb', status: 'True' }]), [ctr({ state: 'created' })]);
    expect(ready).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
  });

  it('ContainersReady ignores the gates', () => {
    const conditions = computePodStatus(gated(undefined), seen([ctr({})]), {}, '10.0.0.1', NOW, backoff).conditions;
    expect(conditions.find((c) => c.type === 'ContainersReady')?.status).toBe('True');
  });
});

describe('computePodStatus: activeDeadlineSeconds', () => {
  const withDeadline = (startedMsAgo: number): PodView => ({ ...pod('Always'), spec: { ...pod('Always').spec, activeDeadlineSeconds: 3 }, status: { startTime: new Date(NOW - startedMsAgo).toISOString() } });
  it.each<[string, PodView, ObservedContainer[], object]>([
    ['within the deadline: Running', withDeadline(2_000), [ctr({})], { phase: 'Running', reason: undefined }],
    ['past it while still running: Failed, DeadlineExceeded', withDeadline(3_000), [ctr({})], { phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' }],
    ['past it, killed: Failed, DeadlineExceeded', withDeadline(60_000), [ctr({ state: 'exited', exitCode: 137, finishedAt: NOW - 1_000 })], { phase: 'Failed', reason: 'DeadlineExceeded' }],
  ])('%s', (_name, p, instances, want) => {
    const status = computePodStatus(p, seen(instances), {}, '10.0.0.1', NOW, backoff);
    expect({ phase: status.phase, reason: status.reason, message: status.message }).toMatchObject(want);
  });

  it('a killed container reads terminated, not waiting for a restart that never comes (restartPolicy Always)', () => {
    const status = computePodStatus(withDeadline(60_000), seen([ctr({ state: 'exited', exitCode: 137, finishedAt: NOW - 1_000 })]), {}, '10.0.0.1', NOW, backoff);
    expect(status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(status.containerStatuses[0].state.waiting).toBeUndefined();
  });
});

describe('computePodStatus: evicted (emptyDir over its sizeLimit)', () => {
  const message = 'Usage of EmptyDir volume "scratch" exceeds the limit "1Mi". ';
  const evicted: PodView = { ...pod('Always'), status: { evicted: message } };
  it.each<[string, ObservedContainer[]]>([
    ['still running: Failed, Evicted', [ctr({})]],
    ['killed: Failed, Evicted', [ctr({ state: 'exited', exitCode: 137, finishedAt: NOW - 1_000 })]],
  ])('%s', (_name, instances) => {
    const status = computePodStatus(evicted, seen(instances), {}, '10.0.0.1', NOW, backoff);
    expect({ phase: status.phase, reason: status.reason, message: status.message }).toEqual({ phase: 'Failed', reason: 'Evicted', message });
  });

  it('a killed container reads terminated under restartPolicy Always: it is not restarted', () => {
    const status = computePodStatus(evicted, seen([ctr({ state: 'exited', exitCode: 137, finishedAt: NOW - 1_000 })]), {}, '10.0.0.1', NOW, backoff);
    expect(status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 137 });
  });
});
