import { ControllerRevision } from '@coxswain/api';
import { templateHash } from '../deployment/util';
import { HistoryOwner, newRevision, planHistory, revisionData, templateOfRevision } from './plan';

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
