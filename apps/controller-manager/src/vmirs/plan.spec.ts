import { VirtualMachineInstance, VirtualMachineInstanceReplicaSet } from '@coxswain/api';
import { rfc3339 } from '../framework/time';
import { planVmiReplicaSet, vmiFromReplicaSetTemplate, vmiReplicaSetStatus } from './plan';

const T0 = Date.parse('2025-01-01T00:00:00Z');

const rs = (spec: Partial<VirtualMachineInstanceReplicaSet['spec']> = {}): VirtualMachineInstanceReplicaSet =>
  ({
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstanceReplicaSet',
    metadata: { name: 'pool', namespace: 'ns', uid: 'rs-uid' },
    spec: { replicas: 2, selector: { matchLabels: { pool: 'a' } }, template: { metadata: { labels: { pool: 'a' } }, spec: { domain: {} } }, ...spec },
  }) as VirtualMachineInstanceReplicaSet;

const vmi = (name: string, phase = 'Running', opts: { owned?: boolean; labels?: Record<string, string>; deleting?: boolean; node?: string } = {}): VirtualMachineInstance =>
  ({
    metadata: {
      name,
      namespace: 'ns',
      labels: opts.labels ?? { pool: 'a' },
      creationTimestamp: rfc3339(T0),
      ...(opts.owned === false ? {} : { ownerReferences: [{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceReplicaSet', name: 'pool', uid: 'rs-uid', controller: true }] }),
      ...(opts.deleting ? { deletionTimestamp: rfc3339(T0) } : {}),
    },
    spec: { domain: {} },
    status: { phase, nodeName: opts.node ?? 'n1' },
  }) as VirtualMachineInstance;

const names = (vs: VirtualMachineInstance[]) => vs.map((v) => v.metadata.name);

describe('planVmiReplicaSet', () => {
  it.each([
    { name: 'creates up to replicas', spec: {}, vmis: [vmi('a')], want: { create: 1, delete: [], adopt: [] } },
    { name: 'replaces a finished VMI: delete it and create one', spec: {}, vmis: [vmi('a'), vmi('b', 'Succeeded')], want: { create: 1, delete: ['b'], adopt: [] } },
    { name: 'failed ones too', spec: {}, vmis: [vmi('a'), vmi('b', 'Failed')], want: { create: 1, delete: ['b'], adopt: [] } },
    { name: 'scales down the least valuable (scheduling before running)', spec: { replicas: 1 }, vmis: [vmi('a'), vmi('b', 'Scheduling', { node: '' })], want: { create: 0, delete: ['b'], adopt: [] } },
    { name: 'adopts a matching orphan', spec: {}, vmis: [vmi('a'), vmi('o', 'Running', { owned: false })], want: { create: 0, delete: [], adopt: ['o'] } },
    { name: 'paused: neither creates nor deletes', spec: { paused: true }, vmis: [vmi('b', 'Failed')], want: { create: 0, delete: [], adopt: [] } },
    { name: 'deleting VMIs are not counted and not deleted again', spec: {}, vmis: [vmi('a'), vmi('d', 'Succeeded', { deleting: true })], want: { create: 1, delete: [], adopt: [] } },
  ])('$name', ({ spec, vmis, want }) => {
    const plan = planVmiReplicaSet({ rs: rs(spec), vmis, now: T0, expectationsSatisfied: true });
    expect({ create: plan.create, delete: names(plan.delete), adopt: names(plan.adopt) }).toEqual(want);
  });

  it('waits for expectations', () => {
    expect(planVmiReplicaSet({ rs: rs(), vmis: [], now: T0, expectationsSatisfied: false }).create).toBe(0);
  });
});

describe('vmiReplicaSetStatus', () => {
  it('counts active and ready VMIs and publishes the selector for the scale subresource', () => {
    const status = vmiReplicaSetStatus(rs(), [vmi('a'), vmi('b', 'Scheduled'), vmi('c', 'Failed')], T0);
    expect(status).toEqual({ replicas: 2, readyReplicas: 1, labelSelector: 'pool=a' });
  });
  it('shows paused and failures as conditions', () => {
    const status = vmiReplicaSetStatus(rs({ paused: true }), [], T0, { reason: 'FailedCreate', message: 'no' });
    expect(status.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['ReplicaFailure', 'True', 'FailedCreate'],
      ['ReplicaPaused', 'True', 'Paused'],
    ]);
  });
  it('VMIs from the template are owned and named after the replica set', () => {
    const v = vmiFromReplicaSetTemplate(rs());
    expect(v.metadata).toMatchObject({ generateName: 'pool', labels: { pool: 'a' }, ownerReferences: [{ kind: 'VirtualMachineInstanceReplicaSet', uid: 'rs-uid', controller: true }] });
  });
});
