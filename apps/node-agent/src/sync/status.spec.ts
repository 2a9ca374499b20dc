import { BackoffSettings, ObservedContainer, ObservedPod, PodMemory, PodView } from './model';
import { computePodStatus } from './status';

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
