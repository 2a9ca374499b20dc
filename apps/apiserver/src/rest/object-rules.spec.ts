import { KubeObject, resourceForKind } from '@coxswain/api';
import { changed, planDelete, prepareForCreate, prepareForStatusUpdate, prepareForUpdate, qosClass, readyToRemove } from './object-rules';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pods = resourceForKind('Pod')!;
const deployments = resourceForKind('Deployment')!;
const namespaces = resourceForKind('Namespace')!;
const now = new Date('2026-11-26T10:00:00.500Z');

const pod = (extra: Obj = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'd', uid: 'u1', resourceVersion: '5', generation: 1, creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { containers: [{ name: 'a', image: 'x' }], terminationGracePeriodSeconds: 30 }, ...extra }) as KubeObject;

describe('prepareForCreate', () => {
  it('sets identity and resets status', () => {
    const out = prepareForCreate(pods, { ...pod(), status: { phase: 'Running' } } as KubeObject, now) as Obj;
    expect(out.metadata.uid).not.toBe('u1');
    expect(out.metadata.creationTimestamp).toBe('2026-11-26T10:00:00Z');
    expect(out.metadata.generation).toBe(1);
    expect(out.metadata.resourceVersion).toBeUndefined();
    expect(out.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it.each([
    ['Pod', pods],
    ['Job', resourceForKind('Job')!],
  ])('leaves its input (%s) unchanged', (_kind, resource) => {
    const base = pod() as Obj;
    const input = { ...base, kind: resource.kind, metadata: { name: 'x', namespace: 'default', resourceVersion: '7' }, spec: { ...base.spec, template: { metadata: { labels: { app: 'x' } } } }, status: { phase: 'Running' } } as KubeObject;
    const before = structuredClone(input);
    const out = prepareForCreate(resource, input, now) as Obj;
    expect(input).toEqual(before);
    expect(out.metadata.resourceVersion).toBeUndefined();
  });

  it('keeps a Node status (agents register with it)', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, status: { capacity: { cpu: '2' } } } as KubeObject;
    expect((prepareForCreate(resourceForKind('Node')!, node, now) as Obj).status).toEqual({ capacity: { cpu: '2' } });
  });
});

describe('qosClass', () => {
  it.each([
    [{ containers: [{}] }, 'BestEffort'],
    [{ containers: [{ resources: { requests: { cpu: '1' } } }] }, 'Burstable'],
    [{ containers: [{ resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }] }, 'Guaranteed'],
    [{ containers: [{ resources: { limits: { cpu: '1', memory: '1Gi' } } }] }, 'Guaranteed'],
  ])('%j → %s', (spec, qos) => expect(qosClass(spec)).toBe(qos));
});

describe('prepareForUpdate', () => {
  const deployment = (replicas: number, status?: Obj): KubeObject =>
    ({ kind: 'Deployment', metadata: { name: 'd', uid: 'u', generation: 3, creationTimestamp: 't' }, spec: { replicas }, status }) as KubeObject;

  it('bumps generation on spec changes only and keeps status and identity', () => {
    const previous = deployment(1, { replicas: 1 });
    const next = { ...deployment(2, { replicas: 9 }), metadata: { name: 'd', uid: 'forged', generation: 1, labels: { a: 'b' } } } as KubeObject;
    const out = prepareForUpdate(deployments, previous, next) as Obj;
    expect(out.metadata).toMatchObject({ uid: 'u', generation: 4, creationTimestamp: 't', labels: { a: 'b' } });
    expect(out.status).toEqual({ replicas: 1 });
    const labelsOnly = prepareForUpdate(deployments, previous, { ...previous, metadata: { ...previous.metadata, labels: { x: 'y' } } } as KubeObject) as Obj;
    expect(labelsOnly.metadata.generation).toBe(3);
  });

  it('leaves its input as it was', () => {
    const previous = deployment(1, { replicas: 1 });
    const next = { ...deployment(2, { replicas: 9 }), metadata: { name: 'd', uid: 'forged', generation: 1, managedFields: [{}] } } as KubeObject;
    const before = structuredClone(next);
    prepareForUpdate(deployments, previous, next);
    expect(next).toEqual(before);
  });

  it('status updates change only status', () => {
    const out = prepareForStatusUpdate(deployment(1, { replicas: 1 }), deployment(7, { replicas: 2 })) as Obj;
    expect(out.spec.replicas).toBe(1);
    expect(out.status.replicas).toBe(2);
  });

  it('detects changes beyond resourceVersion', () => {
    expect(changed(pod(), { ...pod(), metadata: { ...pod().metadata, resourceVersion: '9' } } as KubeObject)).toBe(false);
    expect(changed(pod(), { ...pod(), metadata: { ...pod().metadata, labels: { a: 'b' } } } as KubeObject)).toBe(true);
  });
});

describe('planDelete', () => {
  it.each<[string, KubeObject, Obj, string]>([
    ['unbound pod goes at once', pod(), {}, 'remove'],
    ['bound pod is marked for graceful termination', pod({ spec: { nodeName: 'n', containers: [], terminationGracePeriodSeconds: 30 } }), {}, 'mark'],
    ['bound pod with zero grace goes at once', pod({ spec: { nodeName: 'n', containers: [] } }), { gracePeriodSeconds: 0 }, 'remove'],
    ['finished bound pod goes at once', pod({ spec: { nodeName: 'n', containers: [] }, status: { phase: 'Succeeded' } }), {}, 'remove'],
    ['foreground adds a finalizer', pod(), { propagationPolicy: 'Foreground' }, 'mark'],
    ['orphan adds a finalizer', pod(), { propagationPolicy: 'Orphan' }, 'mark'],
  ])('%s', (_name, obj, request, kind) => {
    expect(planDelete(pods, obj, request, now).kind).toBe(kind);
  });

  it('marks graceful deletion with the grace period', () => {
    const plan = planDelete(pods, pod({ spec: { nodeName: 'n', containers: [], terminationGracePeriodSeconds: 20 } }), {}, now);
    expect(plan.kind === 'mark' && plan.object.metadata).toMatchObject({ deletionGracePeriodSeconds: 20, deletionTimestamp: '2026-11-26T10:00:20Z' });
  });

  it('a second delete with the same grace changes nothing; a shorter grace shortens it', () => {
    const marked = pod({ spec: { nodeName: 'n', containers: [] }, metadata: { ...pod().metadata, deletionTimestamp: 'x', deletionGracePeriodSeconds: 30 } });
    expect(planDelete(pods, marked, { gracePeriodSeconds: 30 }, now).kind).toBe('unchanged');
    const shorter = planDelete(pods, marked, { gracePeriodSeconds: 5 }, now);
    expect(shorter.kind === 'mark' && shorter.object.metadata.deletionGracePeriodSeconds).toBe(5);
  });

  it('puts a namespace into Terminating', () => {
    const plan = planDelete(namespaces, { kind: 'Namespace', metadata: { name: 'x' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } } as KubeObject, {}, now);
    expect(plan.kind === 'mark' && (plan.object as Obj).status.phase).toBe('Terminating');
  });

  it('removes a marked object once finalizers are gone', () => {
    expect(readyToRemove({ kind: 'Deployment', metadata: { deletionTimestamp: 'x', finalizers: [] } } as KubeObject)).toBe(true);
    expect(readyToRemove({ kind: 'Deployment', metadata: { deletionTimestamp: 'x', finalizers: ['a'] } } as KubeObject)).toBe(false);
    expect(readyToRemove({ kind: 'Deployment', metadata: {} } as KubeObject)).toBe(false);
  });
});
