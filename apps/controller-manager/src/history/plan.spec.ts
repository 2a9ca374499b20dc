import { ControllerRevision } from '@coxswain/api';
import { templateHash } from '../deployment/util';
import { HistoryOwner, newRevision, planHistory, planRevisionClaims, revisionData, templateOfRevision } from './plan';

const template = (image: string) => ({ metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image }] } });
const owner = (image: string, o: { limit?: number; collisionCount?: number } = {}): HistoryOwner => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'ns', uid: 'ds-uid', annotations: { 'kubernetes.io/change-cause': `image ${image}` } },
  spec: { template: template(image), revisionHistoryLimit: o.limit },
  status: o.collisionCount === undefined ? undefined : { collisionCount: o.collisionCount },
});
const revision = (image: string, number: number): ControllerRevision => newRevision(owner(image), number);
const names = (rs: ControllerRevision[]) => rs.map((r) => `${r.metadata.name}@${r.revision}`);
const never = () => false;

describe('newRevision', () => {
  it('snapshots the template as a replacing patch, named and labelled by its hash', () => {
    const r = newRevision(owner('a:1'), 3);
    const hash = templateHash(template('a:1'));
    expect(r).toEqual({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: `agent-${hash}`,
        namespace: 'ns',
        labels: { app: 'agent', 'controller-revision-hash': hash },
        annotations: { 'kubernetes.io/change-cause': 'image a:1' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-uid', controller: true, blockOwnerDeletion: true }],
      },
      data: { spec: { template: { ...template('a:1'), $patch: 'replace' } } },
      revision: 3,
    });
    expect(templateOfRevision(r)).toEqual(template('a:1'));
  });

  it('salts the hash with the collision count', () => {
    expect(newRevision(owner('a:1', { collisionCount: 1 }), 1).metadata.name).not.toBe(newRevision(owner('a:1'), 1).metadata.name);
  });

  it('keeps the template out of reach of later edits', () => {
    const o = owner('a:1');
    const data = revisionData(o.spec.template);
    o.spec.template.spec.containers[0].image = 'changed';
    expect(JSON.stringify(data)).toContain('a:1');
  });
});

describe('planHistory', () => {
  it('creates revision 1 for a new owner', () => {
    const plan = planHistory({ owner: owner('a:1'), revisions: [], inUse: never });
    expect(plan.create?.revision).toBe(1);
    expect(plan.update).toBe(plan.create);
    expect(plan.renumber).toBeUndefined();
    expect(plan.delete).toEqual([]);
  });

  it('adds the next number for a new template', () => {
    const plan = planHistory({ owner: owner('b:1'), revisions: [revision('a:1', 1)], inUse: never });
    expect(plan.create?.revision).toBe(2);
  });

  it('changes nothing when the newest revision is the template', () => {
    const plan = planHistory({ owner: owner('b:1'), revisions: [revision('a:1', 1), revision('b:1', 2)], inUse: never });
    expect(plan.create).toBeUndefined();
    expect(plan.renumber).toBeUndefined();
    expect(plan.update.revision).toBe(2);
  });

  it('renumbers an earlier revision the template went back to (a rollback)', () => {
    const old = revision('a:1', 1);
    const plan = planHistory({ owner: owner('a:1'), revisions: [old, revision('b:1', 2)], inUse: never });
    expect(plan.create).toBeUndefined();
    expect(plan.renumber).toEqual({ revision: old, to: 3 });
    expect(plan.update).toMatchObject({ metadata: { name: old.metadata.name }, revision: 3 });
  });

  it('keeps the newest of equal revisions and deletes the others', () => {
    const dup = { ...revision('a:1', 1), metadata: { ...revision('a:1', 1).metadata, name: 'agent-dup' } };
    const plan = planHistory({ owner: owner('a:1'), revisions: [dup, revision('a:1', 2)], inUse: never });
    expect(names(plan.delete)).toEqual(['agent-dup@1']);
    expect(plan.update.revision).toBe(2);
  });

  it.each([
    ['the default limit of 10 keeps the 10 newest of 11 old ones', undefined, [], ['v0@1']],
    ['limit 2', 2, [], ['v0@1', 'v1@2', 'v2@3', 'v3@4', 'v4@5', 'v5@6', 'v6@7', 'v7@8', 'v8@9']],
    ['limit 0 keeps only what pods run', 0, ['v3', 'v10'], ['v0@1', 'v1@2', 'v2@3', 'v4@5', 'v5@6', 'v6@7', 'v7@8', 'v8@9', 'v9@10']],
  ])('prunes beyond revisionHistoryLimit: %s', (_name, limit, used, deleted) => {
    const history = Array.from({ length: 11 }, (_, i) => revision(`v${i}`, i + 1));
    const inUse = (r: ControllerRevision) => used.some((image) => templateOfRevision(r)?.spec.containers[0].image === image);
    const plan = planHistory({ owner: owner('new', { limit }), revisions: history, inUse });
    expect(plan.create?.revision).toBe(12);
    expect(plan.delete.map((r) => `${templateOfRevision(r)?.spec.containers[0].image}@${r.revision}`)).toEqual(deleted);
  });

  it('never prunes the revision of the current template', () => {
    const plan = planHistory({ owner: owner('a:1', { limit: 0 }), revisions: [revision('a:1', 1), revision('b:1', 2)], inUse: never });
    expect(plan.renumber?.to).toBe(3);
    expect(plan.delete.map((r) => r.revision)).toEqual([2]);
  });
});

describe('planRevisionClaims (ClaimControllerRevisions)', () => {
  const selected = (image: string, o: { deleting?: boolean; uid?: string } = {}): HistoryOwner => {
    const base = owner(image);
    return { ...base, metadata: { ...base.metadata, uid: o.uid ?? base.metadata.uid, ...(o.deleting ? { deletionTimestamp: '2026-12-05T00:00:00Z' } : {}) }, spec: { ...base.spec, selector: { matchLabels: { app: 'agent' } } } };
  };
  const orphan = (r: ControllerRevision): ControllerRevision => ({ ...r, metadata: { ...r.metadata, ownerReferences: [] } });
  const relabel = (r: ControllerRevision, labels: Record<string, string>): ControllerRevision => ({ ...r, metadata: { ...r.metadata, labels } });
  const otherOwner = (r: ControllerRevision): ControllerRevision => ({ ...r, metadata: { ...r.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'other', uid: 'other-uid', controller: true }] } });
  const ownerUids = (r: ControllerRevision) => (r.metadata.ownerReferences ?? []).map((o) => o.uid);

  it.each([
    // case, candidate, adopted, released, owned afterwards
    ['a matching orphan is adopted', orphan(revision('a:1', 1)), 1, 0, 1],
    ['an orphan the selector does not match is left alone', relabel(orphan(revision('a:1', 1)), { app: 'web' }), 0, 0, 0],
    ['an owned revision that stopped matching is released', relabel(revision('a:1', 1), { app: 'web' }), 0, 1, 0],
    ['an owned matching revision stays', revision('a:1', 1), 0, 0, 1],
    ["another owner's matching revision is not taken", otherOwner(revision('a:1', 1)), 0, 0, 0],
    ['an orphan being deleted is not adopted', { ...orphan(revision('a:1', 1)), metadata: { ...orphan(revision('a:1', 1)).metadata, deletionTimestamp: '2026-12-05T00:00:00Z' } }, 0, 0, 0],
  ])('%s', (_case, candidate, adopted, released, owned) => {
    const claims = planRevisionClaims(selected('a:1'), [candidate]);
    expect([claims.adopt.length, claims.release.length, claims.revisions.length]).toEqual([adopted, released, owned]);
    for (const r of claims.revisions) expect(ownerUids(r)).toEqual(['ds-uid']);
  });

  it('a set being deleted adopts nothing', () => {
    const claims = planRevisionClaims(selected('a:1', { deleting: true }), [orphan(revision('a:1', 1))]);
    expect(claims.adopt).toEqual([]);
  });

  it('a set recreated after an orphaning delete reuses its old history instead of starting over', () => {
    // The old set's revisions 1 (a:1) and 2 (b:1) lost their owner; the new set runs a:1 again.
    const recreated = selected('a:1', { uid: 'new-uid' });
    const claims = planRevisionClaims(recreated, [orphan(revision('a:1', 1)), orphan(revision('b:1', 2))]);
    expect(claims.adopt.map((r) => r.revision)).toEqual([1, 2]);
    expect(claims.revisions.map(ownerUids)).toEqual([['new-uid'], ['new-uid']]);
    const plan = planHistory({ owner: recreated, revisions: claims.revisions, inUse: never });
    expect(plan.create).toBeUndefined();
    expect(plan.renumber).toEqual({ revision: claims.revisions[0], to: 3 });
    expect(plan.update.metadata.name).toBe(revision('a:1', 1).metadata.name);
  });
});
