import { KubeObject, OwnerReference, Pod, StatefulSet } from '@coxswain/api';
import { claimOwnerReferences, newClaimOwnerReferences, planClaimRetention, RetentionPolicy, retentionPolicy } from './retention';

type Policy = StatefulSet['spec']['persistentVolumeClaimRetentionPolicy'];

const sts = (o: { replicas?: number; policy?: Policy; start?: number; deleting?: boolean; templates?: string[] } = {}): StatefulSet =>
  ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'ns', uid: 'sts-uid', ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: {
      replicas: o.replicas ?? 2,
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      volumeClaimTemplates: (o.templates ?? ['data']).map((name) => ({ metadata: { name }, spec: {} })),
      ...(o.policy ? { persistentVolumeClaimRetentionPolicy: o.policy } : {}),
      ...(o.start !== undefined ? { ordinals: { start: o.start } } : {}),
    },
  }) as StatefulSet;

const pod = (ordinal: number, uid = `pod-${ordinal}-uid`): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `db-${ordinal}`, namespace: 'ns', uid }, spec: { containers: [] } }) as Pod;
const claim = (name: string, refs: OwnerReference[] = [], deleting = false): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'ns', uid: `${name}-uid`, resourceVersion: '7', ownerReferences: refs, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
});

const SET: OwnerReference = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'sts-uid', controller: true, blockOwnerDeletion: true };
const SET_NOT_CONTROLLER: OwnerReference = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'sts-uid' };
const OLD_SET: OwnerReference = { ...SET, uid: 'old-sts-uid' };
const POD: OwnerReference = { apiVersion: 'v1', kind: 'Pod', name: 'db-1', uid: 'pod-1-uid', controller: true, blockOwnerDeletion: true };
const OLD_POD: OwnerReference = { ...POD, uid: 'old-pod-uid' };
const OTHER_OWNER: OwnerReference = { apiVersion: 'example.com/v1', kind: 'Backup', name: 'nightly', uid: 'backup-uid' };
const OTHER_CONTROLLER: OwnerReference = { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', name: 'data-db-1', uid: 'dv-uid', controller: true, blockOwnerDeletion: true };

const RETAIN: RetentionPolicy = { whenDeleted: 'Retain', whenScaled: 'Retain' };
const DELETED: RetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Retain' };
const SCALED: RetentionPolicy = { whenDeleted: 'Retain', whenScaled: 'Delete' };
const BOTH: RetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Delete' };

describe('retentionPolicy', () => {
  it.each([
    ['absent: Retain, Retain', undefined, RETAIN],
    ['empty: Retain, Retain', {}, RETAIN],
    ['both Delete', { whenDeleted: 'Delete', whenScaled: 'Delete' }, BOTH],
    ['an unknown value counts as Retain', { whenDeleted: 'Remove', whenScaled: 'Delete' }, SCALED],
  ])('%s', (_name, policy, want) => {
    expect(retentionPolicy(sts({ policy: policy as Policy }))).toEqual(want);
  });

  it('a new claim is owned by the set only under whenDeleted: Delete', () => {
    expect(newClaimOwnerReferences(sts({ policy: { whenDeleted: 'Delete', whenScaled: 'Retain' } }))).toEqual([SET]);
    expect(newClaimOwnerReferences(sts({ policy: { whenDeleted: 'Retain', whenScaled: 'Delete' } }))).toEqual([]);
    expect(newClaimOwnerReferences(sts())).toEqual([]);
  });
});

describe('claimOwnerReferences (claim data-db-1 of pod db-1)', () => {
  // wantRefs undefined: the claim is left as it is.
  it.each<[string, RetentionPolicy, boolean, OwnerReference[], OwnerReference[] | undefined]>([
    ['Retain: no references, nothing to do', RETAIN, false, [], undefined],
    ['Retain: the set reference of an earlier Delete comes off', RETAIN, false, [SET], []],
    ['Retain: the pod reference of an earlier scale-down comes off', RETAIN, true, [POD], []],
    ['Retain: other owners stay', RETAIN, false, [OTHER_OWNER, SET], [OTHER_OWNER]],
    ['whenDeleted Delete: the set becomes controller', DELETED, false, [], [SET]],
    ['whenDeleted Delete: already owned, nothing to do', DELETED, false, [SET], undefined],
    ['whenDeleted Delete: a non-controller set reference turns controller', DELETED, false, [SET_NOT_CONTROLLER], [SET]],
    ['whenDeleted Delete, whenScaled Retain: a scaled-down claim stays with the set', DELETED, true, [SET], undefined],
    ['whenDeleted Delete: added after other owners, which stay', DELETED, false, [OTHER_OWNER], [OTHER_OWNER, SET]],
    ['whenDeleted Delete: the order of references does not matter', DELETED, false, [SET, OTHER_OWNER], undefined],
    ['whenScaled Delete: scaled down, the pod becomes controller', SCALED, true, [], [POD]],
    ['whenScaled Delete: in range, nothing to do', SCALED, false, [], undefined],
    ['whenScaled Delete: back in range, the pod reference comes off', SCALED, false, [POD], []],
    ['both Delete: scaled down, the set hands the claim to the pod', BOTH, true, [SET], [POD]],
    ['both Delete: back in range, the pod hands it back to the set', BOTH, false, [POD], [SET]],
    ['both Delete: in range and owned by the set, nothing to do', BOTH, false, [SET], undefined],
    ['both Delete: scaled down and owned by the pod, nothing to do', BOTH, true, [POD], undefined],
    ['another controller: none of ours is added', BOTH, false, [OTHER_CONTROLLER], undefined],
    ['another controller: ours come off', DELETED, false, [OTHER_CONTROLLER, SET], [OTHER_CONTROLLER]],
    ['another controller under Retain: ours come off too', RETAIN, false, [OTHER_CONTROLLER, SET], [OTHER_CONTROLLER]],
    ['a reference to an earlier set of that name: left to the garbage collector', DELETED, false, [OLD_SET], undefined],
    ['Retain with an earlier set of that name: left too', RETAIN, false, [OLD_SET], undefined],
    ['a reference to an earlier pod of that name: left to the garbage collector', BOTH, true, [OLD_POD], undefined],
  ])('%s', (_name, policy, scaledDown, refs, wantRefs) => {
    expect(claimOwnerReferences(claim('data-db-1', refs), sts(), pod(1), policy, scaledDown)).toEqual(wantRefs);
  });
});

describe('planClaimRetention', () => {
  const both = { whenDeleted: 'Delete', whenScaled: 'Delete' } as const;
  const claims = (...list: KubeObject[]) => new Map(list.map((c) => [c.metadata.name!, c]));
  const summary = (updates: ReturnType<typeof planClaimRetention>) => updates.map((u) => [u.claim.metadata.name, u.pod, u.ownerReferences.map((r) => r.name)]);

  it.each<[string, StatefulSet, Pod[], KubeObject[], Array<[string, string, string[]]>]>([
    ['scale 2 → 1 under both Delete: db-1\'s claim goes to db-1, db-0\'s stays with the set', sts({ replicas: 1, policy: both }), [pod(0), pod(1)], [claim('data-db-0', [SET]), claim('data-db-1', [SET])], [['data-db-1', 'db-1', ['db-1']]]],
    ['a policy changed to Delete reaches existing claims', sts({ policy: both }), [pod(0), pod(1)], [claim('data-db-0'), claim('data-db-1')], [['data-db-0', 'db-0', ['db']], ['data-db-1', 'db-1', ['db']]]],
    ['a policy changed back to Retain clears them', sts(), [pod(0), pod(1)], [claim('data-db-0', [SET]), claim('data-db-1')], [['data-db-0', 'db-0', []]]],
    ['every template of a pod', sts({ replicas: 1, policy: both, templates: ['data', 'logs'] }), [pod(1)], [claim('data-db-1', [SET]), claim('logs-db-1', [SET])], [['data-db-1', 'db-1', ['db-1']], ['logs-db-1', 'db-1', ['db-1']]]],
    ['claims without a pod are not touched', sts({ replicas: 1, policy: both }), [pod(0)], [claim('data-db-0', [SET]), claim('data-db-1', [SET])], []],
    ['missing and terminating claims are skipped', sts({ replicas: 1, policy: both }), [pod(0), pod(1)], [claim('data-db-1', [SET], true)], []],
    ['ordinals.start: a pod below the start is scaled down', sts({ replicas: 2, start: 1, policy: both }), [pod(0), pod(1)], [claim('data-db-0', [SET]), claim('data-db-1', [SET])], [['data-db-0', 'db-0', ['db-0']]]],
    ['a set being deleted only hands scaled-down claims to their pods', sts({ replicas: 1, policy: { whenDeleted: 'Retain', whenScaled: 'Delete' }, deleting: true }), [pod(0), pod(1)], [claim('data-db-0', [SET]), claim('data-db-1')], [['data-db-1', 'db-1', ['db-1']]]],
    ['no templates, nothing', sts({ policy: both, templates: [] }), [pod(0)], [claim('data-db-0')], []],
  ])('%s', (_name, set, pods, existing, want) => {
    expect(summary(planClaimRetention(set, pods, claims(...existing)))).toEqual(want);
  });

  it('the pod reference names the pod by uid, as controller', () => {
    const [update] = planClaimRetention(sts({ replicas: 1, policy: both }), [pod(1, 'uid-b')], claims(claim('data-db-1', [SET])));
    expect(update.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'db-1', uid: 'uid-b', controller: true, blockOwnerDeletion: true }]);
    expect(update.claim.metadata.resourceVersion).toBe('7');
  });
});
