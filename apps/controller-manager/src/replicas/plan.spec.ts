import { WorkloadView } from '../framework/workloads';
import { planReplicaDiff } from './plan';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const w = (name: string, over: Partial<WorkloadView> = {}) => ({
  obj: name,
  view: { name, phase: 'Running', ready: true, readySince: T0, restarts: 0, created: T0, deleting: false, nodeName: 'n1', ...over } as WorkloadView,
});

describe('planReplicaDiff', () => {
  it.each([
    { name: 'creates the missing ones', desired: 3, owned: [w('a')], want: { create: 2, delete: [] } },
    { name: 'nothing to do', desired: 1, owned: [w('a')], want: { create: 0, delete: [] } },
    { name: 'finished and deleting ones do not count', desired: 2, owned: [w('a'), w('b', { phase: 'Failed' }), w('c', { deleting: true })], want: { create: 1, delete: [] } },
    { name: 'deletes unscheduled before running', desired: 1, owned: [w('a'), w('b', { nodeName: undefined, phase: 'Pending', ready: false })], want: { create: 0, delete: ['b'] } },
    { name: 'deletes not-ready before ready', desired: 1, owned: [w('a', { ready: false }), w('b')], want: { create: 0, delete: ['a'] } },
    { name: 'deletes newest of equals', desired: 1, owned: [w('old'), w('new', { created: T0 + 1000 })], want: { create: 0, delete: ['new'] } },
    { name: 'scale to zero deletes all', desired: 0, owned: [w('a'), w('b')], want: { create: 0, delete: ['a', 'b'] } },
    { name: 'never deletes finished ones to scale down', desired: 0, owned: [w('a', { phase: 'Succeeded' })], want: { create: 0, delete: [] } },
  ])('$name', ({ desired, owned, want }) => expect(planReplicaDiff(desired, owned)).toEqual(want));

  it('caps creations and deletions at the burst size', () => {
    expect(planReplicaDiff(10, [], 4)).toEqual({ create: 4, delete: [] });
    expect(planReplicaDiff(0, [w('a'), w('b'), w('c')], 2).delete).toHaveLength(2);
  });
});
