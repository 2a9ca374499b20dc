import { Pod, ReplicaSet } from '@coxswain/api';
import { rfc3339 } from '../framework/time';
import { planReplicaSet, podFromTemplate, replicaSetStatus } from './plan';

const T0 = Date.parse('2025-01-01T00:00:00Z');

const rs = (over: Partial<ReplicaSet['spec']> = {}, meta: Partial<ReplicaSet['metadata']> = {}): ReplicaSet =>
  ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'ns', uid: 'rs-uid', generation: 3, ...meta },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      ...over,
    },
  }) as ReplicaSet;

interface PodOpts {
  owner?: string;
  labels?: Record<string, string>;
  phase?: string;
  ready?: boolean;
  readyAt?: number;
  node?: string;
  deleting?: boolean;
  created?: number;
}
const pod = (name: string, o: PodOpts = {}): Pod =>
  ({
    metadata: {
      name,
      namespace: 'ns',
      labels: o.labels ?? { app: 'web', tier: 'fe' },
      creationTimestamp: rfc3339(o.created ?? T0),
      ...(o.owner === null ? {} : { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: o.owner ?? 'rs-uid', controller: true }] }),
      ...(o.deleting ? { deletionTimestamp: rfc3339(T0) } : {}),
    },
    spec: { nodeName: o.node, containers: [] },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: rfc3339(o.readyAt ?? T0) }],
    },
  }) as Pod;
const orphan = (name: string, o: PodOpts = {}) => {
  const p = pod(name, o);
  delete p.metadata.ownerReferences;
  return p;
};
const names = (pods: Pod[]) => pods.map((p) => p.metadata.name);

describe('planReplicaSet', () => {
  it.each([
    { name: 'empty: create all', spec: {}, pods: [], satisfied: true, want: { create: 3, delete: [], adopt: [], release: [] } },
    { name: 'at size: nothing', spec: {}, pods: [pod('a'), pod('b'), pod('c')], satisfied: true, want: { create: 0, delete: [], adopt: [], release: [] } },
    { name: 'adopts a matching orphan and counts it', spec: {}, pods: [pod('a'), pod('b'), orphan('o')], satisfied: true, want: { create: 0, delete: [], adopt: ['o'], release: [] } },
    { name: 'releases a pod whose labels changed', spec: {}, pods: [pod('a'), pod('b'), pod('c'), pod('x', { labels: { app: 'other' } })], satisfied: true, want: { create: 0, delete: [], adopt: [], release: ['x'] } },
    { name: "ignores other controllers' pods", spec: {}, pods: [pod('a', { owner: 'other' })], satisfied: true, want: { create: 3, delete: [], adopt: [], release: [] } },
    { name: 'replaces failed pods', spec: {}, pods: [pod('a'), pod('b'), pod('f', { phase: 'Failed' })], satisfied: true, want: { create: 1, delete: [], adopt: [], release: [] } },
    { name: 'deleting pods do not count', spec: {}, pods: [pod('a'), pod('b'), pod('d', { deleting: true })], satisfied: true, want: { create: 1, delete: [], adopt: [], release: [] } },
    {
      name: 'scales down least valuable first',
      spec: { replicas: 1 },
      pods: [pod('ready-old', { node: 'n1' }), pod('unscheduled', { phase: 'Pending', ready: false }), pod('notready', { node: 'n1', ready: false })],
      satisfied: true,
      want: { create: 0, delete: ['unscheduled', 'notready'], adopt: [], release: [] },
    },
    { name: 'waits for expectations', spec: {}, pods: [], satisfied: false, want: { create: 0, delete: [], adopt: [], release: [] } },
  ])('$name', ({ spec, pods, satisfied, want }) => {
    const plan = planReplicaSet({ rs: rs(spec), pods, now: T0, expectationsSatisfied: satisfied });
    expect({ create: plan.create, delete: names(plan.delete), adopt: names(plan.adopt), release: names(plan.release) }).toEqual(want);
  });

  it('a ReplicaSet being deleted creates nothing and adopts nothing', () => {
    const plan = planReplicaSet({ rs: rs({}, { deletionTimestamp: rfc3339(T0) }), pods: [orphan('o')], now: T0, expectationsSatisfied: true });
    expect([plan.create, plan.adopt.length]).toEqual([0, 0]);
  });

  it('requeues when a ready pod becomes available after minReadySeconds', () => {
    const plan = planReplicaSet({ rs: rs({ replicas: 1, minReadySeconds: 10 }), pods: [pod('a', { readyAt: T0 })], now: T0 + 4000, expectationsSatisfied: true });
    expect(plan.requeueAfterMs).toBe(6001);
  });
});

describe('replicaSetStatus', () => {
  it.each([
    {
      name: 'counts active, labelled, ready and available',
      spec: { minReadySeconds: 5 },
      pods: [pod('a', { readyAt: T0 - 10_000 }), pod('b', { readyAt: T0 - 1000 }), pod('c', { ready: false }), pod('d', { labels: { app: 'web' } }), pod('f', { phase: 'Failed' })],
      want: { replicas: 4, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 1, observedGeneration: 3 },
    },
    { name: 'no pods', spec: {}, pods: [], want: { replicas: 0, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0, observedGeneration: 3 } },
  ])('$name', ({ spec, pods, want }) => expect(replicaSetStatus(rs(spec), pods, T0)).toEqual(want));

  it('sets ReplicaFailure on a failed create and clears it afterwards', () => {
    const failed = replicaSetStatus(rs(), [], T0, { reason: 'FailedCreate', message: 'quota' });
    expect(failed.conditions).toEqual([{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: rfc3339(T0) }]);
    const withCondition = rs();
    withCondition.status = failed;
    expect(replicaSetStatus(withCondition, [], T0).conditions).toBeUndefined();
  });
});

describe('podFromTemplate', () => {
  it('copies labels and spec and points back at the ReplicaSet', () => {
    const p = podFromTemplate(rs());
    expect(p.metadata).toEqual({
      generateName: 'web-',
      namespace: 'ns',
      labels: { app: 'web', tier: 'fe' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(p.spec.containers[0].image).toBe('busybox');
  });
});
