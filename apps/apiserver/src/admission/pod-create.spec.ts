import { admissionForbidden, admitPodCreate } from './pod-create';
import { BUILTIN_PRIORITY_CLASSES, resolvePriority } from './priority';
import { runtimeClassRefusal } from './runtime-class';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('resolvePriority (Kubernetes\' Priority admission)', () => {
  it.each<[string, Obj, { priority?: number; forbidden?: string }]>([
    ['no class: 0', {}, { priority: 0 }],
    ['empty class: 0', { priorityClassName: '' }, { priority: 0 }],
    ['system-cluster-critical', { priorityClassName: 'system-cluster-critical' }, { priority: 2_000_000_000 }],
    ['system-node-critical', { priorityClassName: 'system-node-critical' }, { priority: 2_000_001_000 }],
    ['the class\'s own value given back (a controller copying a created pod)', { priorityClassName: 'system-node-critical', priority: 2_000_001_000 }, { priority: 2_000_001_000 }],
    ['explicit 0 without a class', { priority: 0 }, { priority: 0 }],
    ['unknown class', { priorityClassName: 'foo' }, { forbidden: 'no PriorityClass with name foo was found' }],
    ['a priority the class does not give', { priorityClassName: 'system-cluster-critical', priority: 5 }, { forbidden: 'the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 2000000000 from the given PriorityClass name' }],
    ['a priority without a class', { priority: 7 }, { forbidden: 'the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name' }],
  ])('%s', (_name, spec, want) => {
    expect(resolvePriority(spec)).toEqual(want);
  });

  it('knows Kubernetes\' two built-in classes only', () => {
    expect([...BUILTIN_PRIORITY_CLASSES.keys()].sort()).toEqual(['system-cluster-critical', 'system-node-critical']);
  });
});

describe('runtimeClassRefusal (Kubernetes\' RuntimeClass admission, no RuntimeClass exists)', () => {
  it.each<[string, Obj, string | undefined]>([
    ['no class', {}, undefined],
    ['empty class', { runtimeClassName: '' }, undefined],
    ['gvisor', { runtimeClassName: 'gvisor' }, 'pod rejected: RuntimeClass "gvisor" not found'],
    ['runc too (no class objects at all)', { runtimeClassName: 'runc' }, 'pod rejected: RuntimeClass "runc" not found'],
  ])('%s', (_name, spec, want) => {
    expect(runtimeClassRefusal(spec)).toBe(want);
  });
});

describe('admitPodCreate', () => {
  const pod = (spec: Obj): Obj => ({ kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } });

  it('writes the resolved priority into the spec (what the scheduler orders by)', () => {
    const p = pod({ priorityClassName: 'system-cluster-critical' });
    expect(admitPodCreate(p)).toBeUndefined();
    expect(p.spec.priority).toBe(2_000_000_000);
    const plain = pod({});
    admitPodCreate(plain);
    expect(plain.spec.priority).toBe(0);
  });

  it('checks the priority class before the runtime class (Kubernetes\' plugin order)', () => {
    expect(admitPodCreate(pod({ priorityClassName: 'gold', runtimeClassName: 'kata' }))).toBe('no PriorityClass with name gold was found');
    expect(admitPodCreate(pod({ runtimeClassName: 'kata' }))).toBe('pod rejected: RuntimeClass "kata" not found');
  });

  it('leaves a body without a spec, or with fields of the wrong type, to validation', () => {
    expect(admitPodCreate({ kind: 'Pod', metadata: { name: 'x' } })).toBeUndefined();
    for (const spec of [{ priorityClassName: { a: 1 } }, { priority: '5' }, { runtimeClassName: 7 }]) {
      const p = pod(spec);
      expect(admitPodCreate(p)).toBeUndefined();
      expect(p.spec.priority).toBe((spec as Obj).priority);
    }
  });

  it('answers like admission.NewForbidden', () => {
    expect(admissionForbidden('x', 'no PriorityClass with name foo was found').status).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403,
      message: 'pods "x" is forbidden: no PriorityClass with name foo was found',
      details: { name: 'x', kind: 'pods' },
    });
  });
});
