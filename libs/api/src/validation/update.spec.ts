// Pod updates: only images, activeDeadlineSeconds, added tolerations and the grace period may
// change (Kubernetes' ValidatePodUpdate); nodeName only through the binding subresource.
import { KubeObject } from '../meta/types';
import { validateUpdate } from './update';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pod = (spec: Obj = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u' },
  spec: {
    containers: [{ name: 'app', image: 'busybox:1', command: ['sleep', '1'], env: [{ name: 'A', value: 'b' }] }],
    initContainers: [{ name: 'init', image: 'busybox:1' }],
    tolerations: [{ key: 'a', operator: 'Exists' }],
    terminationGracePeriodSeconds: 30,
    ...spec,
  },
}) as KubeObject;
const base = (pod() as unknown as Obj).spec as Obj;

describe('validateUpdate of a Pod', () => {
  it.each<[string, Obj, string[]]>([
    ['a new container image', { containers: [{ ...base.containers[0], image: 'busybox:2' }] }, []],
    ['a new init container image', { initContainers: [{ name: 'init', image: 'busybox:2' }] }, []],
    ['activeDeadlineSeconds', { activeDeadlineSeconds: 60 }, []],
    ['an added toleration', { tolerations: [...base.tolerations, { key: 'b', operator: 'Exists' }] }, []],
    ['the grace period', { terminationGracePeriodSeconds: 1 }, []],
    ['a first nodeName', { nodeName: 'n1' }, []],
    ['a command', { containers: [{ ...base.containers[0], command: ['sleep', '2'] }] }, ['spec']],
    ['an env var', { containers: [{ ...base.containers[0], env: [] }] }, ['spec']],
    ['a container name', { containers: [{ ...base.containers[0], name: 'other' }] }, ['spec']],
    ['another container', { containers: [...base.containers, { name: 'two', image: 'busybox:1' }] }, ['spec']],
    ['a restart policy', { restartPolicy: 'Never' }, ['spec']],
    ['a removed toleration', { tolerations: [] }, ['spec.tolerations']],
  ])('%s', (_name, change, fields) => {
    expect(validateUpdate(pod(), pod(change)).map((c) => c.field)).toEqual(fields);
  });

  it('refuses moving a bound pod to another node', () => {
    expect(validateUpdate(pod({ nodeName: 'n1' }), pod({ nodeName: 'n2' })).map((c) => c.field)).toEqual(['spec.nodeName']);
  });

  it('leaves both objects as they were', () => {
    const [before, after] = [pod(), pod({ containers: [{ ...base.containers[0], image: 'busybox:2' }] })];
    const copies = structuredClone([before, after]);
    validateUpdate(before, after);
    expect([before, after]).toEqual(copies);
  });
});
