import { KubeObject, OwnerReference } from '@coxswain/api';
import { DependentAction, OwnerAction, OwnerState, planDependent, planOwner } from './plan';

const ref = (uid: string, block = true): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: uid, uid, controller: true, blockOwnerDeletion: block });
const obj = (name: string, refs: OwnerReference[], meta: Partial<KubeObject['metadata']> = {}): KubeObject => ({ metadata: { name, uid: `uid-${name}`, ownerReferences: refs, ...meta } });

describe('planDependent', () => {
  it.each<{ name: string; o: KubeObject; owners: Record<string, OwnerState>; hasDependents?: boolean; want: DependentAction }>([
    { name: 'no owners: nothing', o: obj('p', []), owners: {}, want: { type: 'none' } },
    { name: 'owner present: nothing', o: obj('p', [ref('a')]), owners: { a: 'present' }, want: { type: 'none' } },
    { name: 'owner gone: delete in the background', o: obj('p', [ref('a')]), owners: { a: 'absent' }, want: { type: 'delete', policy: 'Background' } },
    { name: 'one of two owners gone: drop its reference', o: obj('p', [ref('a'), ref('b')]), owners: { a: 'absent', b: 'present' }, want: { type: 'removeOwners', uids: ['a'] } },
    { name: 'unknown owner counts as present', o: obj('p', [ref('a'), ref('b')]), owners: { a: 'unknown', b: 'absent' }, want: { type: 'removeOwners', uids: ['b'] } },
    { name: 'owner waiting in the foreground: delete', o: obj('p', [ref('a')]), owners: { a: 'waiting' }, want: { type: 'delete', policy: 'Background' } },
    { name: 'owner waiting and we have dependents: delete in the foreground', o: obj('rs', [ref('a')]), owners: { a: 'waiting' }, hasDependents: true, want: { type: 'delete', policy: 'Foreground' } },
    { name: 'waiting owner next to a live one: drop the waiting reference', o: obj('p', [ref('a'), ref('b')]), owners: { a: 'waiting', b: 'present' }, want: { type: 'removeOwners', uids: ['a'] } },
    { name: 'already deleting: nothing', o: obj('p', [ref('a')], { deletionTimestamp: 'now' }), owners: { a: 'absent' }, want: { type: 'none' } },
    { name: 'keeps its own orphan finalizer policy', o: obj('p', [ref('a')], { finalizers: ['orphan'] }), owners: { a: 'absent' }, want: { type: 'delete', policy: 'Orphan' } },
  ])('$name', ({ o, owners, hasDependents, want }) => {
    expect(planDependent(o, new Map(Object.entries(owners)), hasDependents ?? false)).toEqual(want);
  });
});

describe('planOwner', () => {
  const deleting = (finalizers: string[]) => obj('d', [], { uid: 'd', deletionTimestamp: 'now', finalizers });
  const dep = (name: string, block = true) => obj(name, [ref('d', block)]);
  it.each<{ name: string; owner: KubeObject; deps: KubeObject[]; want: OwnerAction['type']; count?: number }>([
    { name: 'not deleting: nothing', owner: obj('d', [], { uid: 'd' }), deps: [dep('a')], want: 'none' },
    { name: 'orphan with dependents: release them', owner: deleting(['orphan']), deps: [dep('a'), dep('b')], want: 'orphan', count: 2 },
    { name: 'orphan with none left: drop the finalizer', owner: deleting(['orphan']), deps: [], want: 'removeFinalizer' },
    { name: 'foreground with blocking dependents: wait', owner: deleting(['foregroundDeletion']), deps: [dep('a')], want: 'waitForDependents', count: 1 },
    { name: 'foreground with only non-blocking dependents: done', owner: deleting(['foregroundDeletion']), deps: [dep('a', false)], want: 'removeFinalizer' },
    { name: 'foreground with none left: done', owner: deleting(['foregroundDeletion']), deps: [], want: 'removeFinalizer' },
    { name: 'deleting without our finalizers: nothing', owner: deleting(['example.com/other']), deps: [dep('a')], want: 'none' },
  ])('$name', ({ owner, deps, want, count }) => {
    const action = planOwner(owner, deps);
    expect(action.type).toBe(want);
    if (count !== undefined) expect((action as { dependents: KubeObject[] }).dependents).toHaveLength(count);
  });

  it('orphaning drops the finalizer named orphan, foreground the other', () => {
    expect(planOwner(deleting(['orphan']), [])).toEqual({ type: 'removeFinalizer', finalizer: 'orphan' });
    expect(planOwner(deleting(['foregroundDeletion']), [])).toEqual({ type: 'removeFinalizer', finalizer: 'foregroundDeletion' });
  });
});
