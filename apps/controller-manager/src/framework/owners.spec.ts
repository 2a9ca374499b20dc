import { KubeObject } from '@coxswain/api';
import { planClaims, withControllerRef, withoutOwners } from './owners';

const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', uid: 'rs-1' } };
const pod = (name: string, labels: Record<string, string>, controller?: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  metadata: {
    name,
    labels,
    ...(controller ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: controller, controller: true }] } : {}),
    ...extra,
  },
});

describe('planClaims', () => {
  const selector = { matchLabels: { app: 'web' } };
  it.each([
    { name: 'owned and matching', pods: [pod('a', { app: 'web' }, 'rs-1')], want: { owned: ['a'], adopt: [], release: [] } },
    { name: 'orphan matching is adopted', pods: [pod('a', { app: 'web' })], want: { owned: ['a'], adopt: ['a'], release: [] } },
    { name: 'orphan not matching is ignored', pods: [pod('a', { app: 'db' })], want: { owned: [], adopt: [], release: [] } },
    { name: 'owned but no longer matching is released', pods: [pod('a', { app: 'db' }, 'rs-1')], want: { owned: [], adopt: [], release: ['a'] } },
    { name: 'controlled by another owner is left alone', pods: [pod('a', { app: 'web' }, 'rs-2')], want: { owned: [], adopt: [], release: [] } },
    { name: 'deleting orphan is not adopted', pods: [pod('a', { app: 'web' }, undefined, { deletionTimestamp: 'now' })], want: { owned: [], adopt: [], release: [] } },
  ])('$name', ({ pods, want }) => {
    const claims = planClaims(owner, selector, pods);
    expect({ owned: claims.owned.map((p) => p.metadata.name), adopt: claims.adopt.map((p) => p.metadata.name), release: claims.release.map((p) => p.metadata.name) }).toEqual(want);
  });

  it('an owner being deleted adopts and releases nothing', () => {
    const deleting = { ...owner, metadata: { ...owner.metadata, deletionTimestamp: 'now' } };
    const claims = planClaims(deleting, selector, [pod('a', { app: 'web' }), pod('b', { app: 'db' }, 'rs-1')]);
    expect(claims).toEqual({ owned: [], adopt: [], release: [] });
  });

  it('an empty selector claims nothing', () => {
    const claims = planClaims(owner, {}, [pod('a', { app: 'web' })]);
    expect(claims.owned).toEqual([]);
  });
});

describe('owner reference edits', () => {
  it('withControllerRef adds the owner as controller once', () => {
    const refs = withControllerRef(pod('a', {}), owner);
    expect(refs).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-1', controller: true, blockOwnerDeletion: true }]);
  });
  it('withoutOwners drops the given uids', () => {
    expect(withoutOwners(pod('a', {}, 'rs-9'), ['rs-9'])).toEqual([]);
    expect(withoutOwners(pod('a', {}, 'rs-9'), ['other'])).toHaveLength(1);
  });
});
