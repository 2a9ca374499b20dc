import { nodeStatus, podReadiness, podStatus, replicaStatus, rolloutTone, toneOf, vmStatus } from './status';

const running = (ready = true) => ({ name: 'app', ready, restartCount: 0, state: { running: { startedAt: 'x' } } });

describe('podStatus', () => {
  it.each([
    { name: 'phase when nothing else', pod: { status: { phase: 'Pending' } }, want: 'Pending' },
    { name: 'no status at all prints no phase, as kubectl does', pod: {}, want: '' },
    { name: 'running container', pod: { status: { phase: 'Running', containerStatuses: [running()] } }, want: 'Running' },
    { name: 'waiting reason wins', pod: { status: { phase: 'Running', containerStatuses: [{ name: 'a', state: { waiting: { reason: 'CrashLoopBackOff' } } }] } }, want: 'CrashLoopBackOff' },
    { name: 'terminated reason', pod: { status: { phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }] } }, want: 'OOMKilled' },
    { name: 'terminated by signal without reason', pod: { status: { phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { signal: 9, exitCode: 137 } } }] } }, want: 'Signal:9' },
    { name: 'exit code without reason', pod: { status: { phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 2 } } }] } }, want: 'ExitCode:2' },
    { name: 'pod-level reason', pod: { status: { phase: 'Failed', reason: 'Evicted' } }, want: 'Evicted' },
    { name: 'deleting', pod: { metadata: { deletionTimestamp: 'x' }, status: { phase: 'Running' } }, want: 'Terminating' },
    { name: 'deleting on a lost node', pod: { metadata: { deletionTimestamp: 'x' }, status: { phase: 'Running', reason: 'NodeLost' } }, want: 'Unknown' },
  ])('$name', ({ pod, want }) => expect(podStatus(pod)).toBe(want));

  it('readiness counts ready containers and restarts', () => {
    const pod = { spec: { containers: [{}, {}] }, status: { containerStatuses: [running(true), { ...running(false), restartCount: 3 }] } };
    expect(podReadiness(pod)).toEqual({ ready: 1, total: 2, restarts: 3 });
  });
});

describe('nodeStatus', () => {
  const node = (status: string, unschedulable?: boolean) => ({ spec: { unschedulable }, status: { conditions: [{ type: 'Ready', status }] } });
  it.each([
    [node('True'), 'Ready'],
    [node('False'), 'NotReady'],
    [node('Unknown'), 'NotReady'], // kubectl: any Ready status but True prints NotReady
    [{}, 'Unknown'],
    [node('True', true), 'Ready,SchedulingDisabled'],
  ])('%#', (n, want) => expect(nodeStatus(n)).toBe(want));
});

describe('toneOf', () => {
  it.each([
    ['Running', 'ok'],
    ['Succeeded', 'ok'],
    ['Pending', 'progress'],
    ['ContainerCreating', 'progress'],
    ['CrashLoopBackOff', 'error'],
    ['NotReady', 'error'],
    ['Stopped', 'muted'],
    ['Complete', 'ok'], // a Job's printed status
    ['Suspended', 'muted'],
    ['Failed', 'error'],
    ['Warning', 'warn'],
    ['Ready,SchedulingDisabled', 'muted'],
    ['NotReady,SchedulingDisabled', 'error'],
    [undefined, 'muted'],
  ])('%p → %p', (status, want) => expect(toneOf(status)).toBe(want));
});

describe('VMs and rollouts', () => {
  it.each([
    [{ status: { printableStatus: 'Migrating' } }, 'Migrating'],
    [{ status: { ready: true } }, 'Running'],
    [{ spec: { runStrategy: 'Halted' } }, 'Stopped'],
    [{ spec: { running: false } }, 'Stopped'],
    [{ spec: { runStrategy: 'Always' } }, 'Starting'],
  ])('vmStatus %#', (vm, want) => expect(vmStatus(vm)).toBe(want));

  it('replica counts default sensibly', () => expect(replicaStatus({ spec: {} })).toEqual({ desired: 1, ready: 0, available: 0, updated: 0, current: 0 }));
  it.each([
    [{ spec: { replicas: 3 }, status: { readyReplicas: 3 } }, 'ok'],
    [{ spec: { replicas: 3 }, status: { readyReplicas: 1 } }, 'progress'],
    [{ spec: { replicas: 0 } }, 'muted'],
    [{ spec: { replicas: 3 }, status: { conditions: [{ type: 'Progressing', status: 'False' }] } }, 'error'],
  ])('rolloutTone %#', (o, want) => expect(rolloutTone(o)).toBe(want));
});
