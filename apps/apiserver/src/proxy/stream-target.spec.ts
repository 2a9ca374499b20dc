import { KubeObject, StatusError } from '@coxswain/api';
import { checkConsole, checkPodStream, PodStreamRequest } from './stream-target';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pod = (over: Obj = {}): KubeObject =>
  ({
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { nodeName: 'node-1', containers: [{ name: 'app' }], ...over.spec },
    status: { phase: 'Running', containerStatuses: [{ name: 'app', state: { running: { startedAt: 'x' } } }], ...over.status },
  }) as unknown as KubeObject;

const waiting = (reason?: string, extra: Obj = {}) => ({ phase: 'Pending', containerStatuses: [{ name: 'app', state: { waiting: reason ? { reason } : {} }, ...extra }] });
const twoContainers = { spec: { nodeName: 'node-1', initContainers: [{ name: 'init' }], containers: [{ name: 'app' }, { name: 'side' }] } };

function outcome(p: KubeObject, req: PodStreamRequest): string {
  try {
    return `ok ${checkPodStream(p, req) ?? ''}`.trim();
  } catch (error) {
    const s = (error as StatusError).status;
    return `${s.code} ${s.message}`;
  }
}

describe('checkPodStream', () => {
  it.each<[string, KubeObject, PodStreamRequest, string]>([
    ['exec into the only container', pod(), { stream: 'exec' }, 'ok app'],
    ['exec names its container', pod(twoContainers), { stream: 'exec', container: 'app' }, 'ok app'],
    ['exec without a name among several', pod(twoContainers), { stream: 'exec' }, '400 a container name must be specified for pod web, choose one of: [init app side]'],
    ['an unknown container', pod(), { stream: 'log', container: 'nope' }, '400 container nope is not valid for pod web'],
    ['an unbound pod', pod({ spec: { nodeName: undefined }, status: { phase: 'Pending', containerStatuses: undefined } }), { stream: 'exec' }, '400 pod web does not have a host assigned'],
    ['logs of an unbound pod', pod({ spec: { nodeName: undefined }, status: { phase: 'Pending' } }), { stream: 'log' }, '400 pod web does not have a host assigned'],
    ['port-forward to an unbound pod', pod({ spec: { nodeName: undefined } }), { stream: 'portforward' }, '400 pod web does not have a host assigned'],
    ['exec into a waiting container', pod({ status: waiting('ImagePullBackOff') }), { stream: 'exec' }, '400 container not found ("app")'],
    ['attach to a waiting container', pod({ status: waiting('ContainerCreating') }), { stream: 'attach' }, '400 container not found ("app")'],
    ['exec into a completed pod', pod({ status: { phase: 'Succeeded', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0 } } }] } }), { stream: 'exec' }, '400 cannot exec into a container in a completed pod; current phase is Succeeded'],
    ['attach to a failed pod', pod({ status: { phase: 'Failed' } }), { stream: 'attach' }, '400 cannot attach a container in a completed pod; current phase is Failed'],
    ['exec into a terminated container of a running pod', pod({ status: { phase: 'Running', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 1 } } }] } }), { stream: 'exec' }, '400 container not found ("app")'],
    ['logs while the image pull backs off', pod({ status: waiting('ImagePullBackOff') }), { stream: 'log' }, '400 container "app" in pod "web" is waiting to start: trying and failing to pull image'],
    ['logs after a failed pull', pod({ status: waiting('ErrImagePull') }), { stream: 'log' }, '400 container "app" in pod "web" is waiting to start: image can\'t be pulled'],
    ['logs while creating', pod({ status: waiting('ContainerCreating') }), { stream: 'log' }, '400 container "app" in pod "web" is waiting to start: ContainerCreating'],
    ['logs without any container status', pod({ status: { phase: 'Pending', containerStatuses: [] } }), { stream: 'log' }, '400 container "app" in pod "web" is not available'],
    ['logs of a container in an unknown state', pod({ status: { phase: 'Pending', containerStatuses: [{ name: 'app', state: {} }] } }), { stream: 'log' }, '400 container "app" in pod "web" is waiting to start - no logs yet'],
    ['logs of a completed container', pod({ status: { phase: 'Succeeded', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0 } } }] } }), { stream: 'log' }, 'ok app'],
    ['logs of a crash-looping container come from its last run', pod({ status: waiting('CrashLoopBackOff', { lastState: { terminated: { exitCode: 1 } } }) }), { stream: 'log' }, 'ok app'],
    ['previous logs without a previous run', pod(), { stream: 'log', previous: true }, '400 previous terminated container "app" in pod "web" not found'],
    ['previous logs after a restart', pod({ status: { phase: 'Running', containerStatuses: [{ name: 'app', state: { running: {} }, lastState: { terminated: { exitCode: 2 } } }] } }), { stream: 'log', previous: true }, 'ok app'],
    ['logs of an init container', pod({ ...twoContainers, status: { phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { running: {} } }] } }), { stream: 'log', container: 'init' }, 'ok init'],
    ['port-forward to a running pod', pod(), { stream: 'portforward' }, 'ok'],
    ['port-forward to a pending pod', pod({ status: waiting('ContainerCreating') }), { stream: 'portforward' }, '400 unable to forward port because pod is not running. Current status=Pending'],
  ])('%s', (_name, p, req, want) => expect(outcome(p, req)).toBe(want));
});

describe('checkConsole', () => {
  const vmi = (phase?: string) => ({ kind: 'VirtualMachineInstance', metadata: { name: 'tiny', namespace: 'default' }, status: { phase } }) as unknown as KubeObject;

  it('passes a Running VMI', () => expect(() => checkConsole(vmi('Running'))).not.toThrow());

  it.each(['Pending', 'Scheduled', 'Succeeded', 'Failed', undefined])('refuses phase %s with 409 like virt-api', (phase) => {
    try {
      checkConsole(vmi(phase));
      throw new Error('expected a Status');
    } catch (error) {
      expect((error as StatusError).status).toMatchObject({ code: 409, reason: 'Conflict', message: 'Operation cannot be fulfilled on virtualmachineinstance.kubevirt.io "tiny": VMI is not running' });
    }
  });
});
