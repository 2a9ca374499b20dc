import { KubeObject, OwnerReference, Pod, StatefulSet } from '@coxswain/api';
import { rfc3339 } from '../framework/time';
import { claimsFor, newPod } from './identity';
import { planStatefulSet, StatefulSetInput } from './plan';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const REV = 'db-new';

const sts = (spec: Partial<StatefulSet['spec']> = {}, status?: StatefulSet['status']): StatefulSet =>
  ({
    metadata: { name: 'db', namespace: 'ns', uid: 'sts-uid', generation: 4 },
    spec: {
      replicas: 3,
      serviceName: 'db',
      podManagementPolicy: 'OrderedReady',
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      ...spec,
    },
    status,
  }) as StatefulSet;

const pod = (ordinal: number, o: { rev?: string; ready?: boolean; phase?: string; deleting?: boolean } = {}): Pod =>
  ({
    metadata: { name: `db-${ordinal}`, namespace: 'ns', labels: { app: 'db', 'controller-revision-hash': o.rev ?? REV }, ...(o.deleting ? { deletionTimestamp: rfc3339(T0) } : {}) },
    spec: { containers: [] },
    status: { phase: o.phase ?? 'Running', conditions: o.ready === false ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(T0) }] },
  }) as Pod;

const claimObj = (name: string, o: { refs?: OwnerReference[]; deleting?: boolean } = {}): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'ns', ownerReferences: o.refs, ...(o.deleting ? { deletionTimestamp: rfc3339(T0) } : {}) } });
const claimMap = (...claims: KubeObject[]) => new Map(claims.map((c) => [c.metadata.name!, c]));
const plan = (s: StatefulSet, pods: Pod[], extra: Partial<StatefulSetInput> = {}) => planStatefulSet({ sts: s, pods, claims: new Map(), updateRevision: REV, now: T0, expectationsSatisfied: true, ...extra });
const names = (pods: Pod[]) => pods.map((p) => p.metadata.name);

describe('planStatefulSet', () => {
  it.each([
    ['OrderedReady starts ordinal 0 first', {}, [], [0], []],
    ['OrderedReady waits for a pod that is not ready', {}, [pod(0, { ready: false })], [], []],
    ['OrderedReady starts the next one once the lower ones are ready', {}, [pod(0), pod(1)], [2], []],
    ['OrderedReady refills a deleted ordinal under its name', {}, [pod(0), pod(2)], [1], []],
    ['Parallel starts every missing ordinal', { podManagementPolicy: 'Parallel' as const }, [pod(1, { ready: false })], [0, 2], []],
    ['scale down: the highest ordinal goes first, one at a time', { replicas: 1 }, [pod(0), pod(1), pod(2)], [], ['db-2']],
    ['scale down waits while a pod is unhealthy', { replicas: 1 }, [pod(0, { ready: false }), pod(1), pod(2)], [], []],
    ['Parallel scale down removes all condemned at once', { replicas: 1, podManagementPolicy: 'Parallel' as const }, [pod(0), pod(1), pod(2)], [], ['db-2', 'db-1']],
    ['a failed pod is deleted to come back', {}, [pod(0, { phase: 'Failed' }), pod(1), pod(2)], [], ['db-0']],
    ['rolling update: the highest old pod first', {}, [pod(0, { rev: 'old' }), pod(1, { rev: 'old' }), pod(2, { rev: 'old' })], [], ['db-2']],
    ['rolling update: waits while a pod is not ready', {}, [pod(0, { rev: 'old' }), pod(1, { rev: 'old' }), pod(2, { ready: false })], [], []],
    ['maxUnavailable 2: the two highest old pods at once', { updateStrategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxUnavailable: 2 } } }, [pod(0, { rev: 'old' }), pod(1, { rev: 'old' }), pod(2, { rev: 'old' })], [], ['db-2', 'db-1']],
    ['maxUnavailable 2 with one pod unavailable: one more', { podManagementPolicy: 'Parallel' as const, updateStrategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxUnavailable: 2 } } }, [pod(0, { rev: 'old' }), pod(1, { rev: 'old' }), pod(2, { ready: false })], [], ['db-1']],
    ['maxUnavailable 2, two being replaced: none more', { podManagementPolicy: 'Parallel' as const, updateStrategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxUnavailable: 2 } } }, [pod(0, { rev: 'old' }), pod(1, { ready: false }), pod(2, { ready: false })], [], []],
    ['maxUnavailable 50% of 3 rounds down to 1', { updateStrategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxUnavailable: '50%' } } }, [pod(0, { rev: 'old' }), pod(1, { rev: 'old' }), pod(2, { rev: 'old' })], [], ['db-2']],
    ['maxUnavailable 10% of 3 is still 1', { updateStrategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxUnavailable: '10%' } } }, [pod(0, { rev: 'old' }), pod(1, { rev: 'old' }), pod(2, { rev: 'old' })], [], ['db-2']],
    ['maxUnavailable 100% replaces every old pod at once', { updateStrategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxUnavailable: '100%' } } }, [pod(0, { rev: 'old' }), pod(1, { rev: 'old' }), pod(2)], [], ['db-1', 'db-0']],
    ['maxUnavailable stops at the partition', { updateStrategy: { type: 'RollingUpdate' as const, rollingUpdate: { partition: 1, maxUnavailable: 3 } } }, [pod(0, { rev: 'old' }), pod(1, { rev: 'old' }), pod(2, { rev: 'old' })], [], ['db-2', 'db-1']],
    ['a ready pod not yet available for minReadySeconds counts as unavailable', { minReadySeconds: 60 }, [pod(0, { rev: 'old' }), pod(1, { rev: 'old' }), pod(2)], [], []],
    ['once available (minReadySeconds passed), the next old pod goes', { minReadySeconds: 60 }, [pod(0, { rev: 'old' }), pod(1, { rev: 'old' }), pod(2)], [], ['db-1'], T0 + 61_000],
    ['rolling update stops at the partition', { updateStrategy: { type: 'RollingUpdate' as const, rollingUpdate: { partition: 2 } } }, [pod(0, { rev: 'old' }), pod(1, { rev: 'old' }), pod(2)], [], []],
    ['OnDelete leaves old pods', { updateStrategy: { type: 'OnDelete' as const } }, [pod(0, { rev: 'old' }), pod(1), pod(2)], [], []],
  ])('%s', (_name, spec, pods, wantCreate, wantDelete, now = T0) => {
    const p = plan(sts(spec), pods, { now });
    expect(p.create).toEqual(wantCreate);
    expect(names(p.delete)).toEqual(wantDelete);
  });

  it('reports revisions and counts; the current revision moves once every pod is updated', () => {
    const rolling = plan(sts({}, { replicas: 3, currentRevision: 'old' }), [pod(0, { rev: 'old' }), pod(1), pod(2, { ready: false })]);
    expect(rolling.status).toMatchObject({ replicas: 3, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2, currentReplicas: 1, currentRevision: 'old', updateRevision: REV, observedGeneration: 4 });
    const done = plan(sts({}, { replicas: 3, currentRevision: 'old' }), [pod(0), pod(1), pod(2)]);
    expect(done.status).toMatchObject({ currentRevision: REV, currentReplicas: 3, updatedReplicas: 3 });
  });

  it('creates the claims of an ordinal before its pod, and waits with a reason when PVCs are not served', () => {
    const withClaims = sts({ volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] });
    const p = plan(withClaims, [], { claims: new Map() });
    expect(p.create).toEqual([0]);
    expect(p.createClaims.map((c) => c.metadata.name)).toEqual(['data-db-0']);
    expect(plan(withClaims, [], { claims: claimMap(claimObj('data-db-0')) }).createClaims).toEqual([]);
    const unavailable = plan(withClaims, [], { claims: undefined });
    expect(unavailable.create).toEqual([]);
    expect(unavailable.storageUnavailable).toMatch(/persistentvolumeclaims/);
  });

  describe('claim retention', () => {
    const SET_REF = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'sts-uid', controller: true, blockOwnerDeletion: true };
    const withPolicy = (policy: StatefulSet['spec']['persistentVolumeClaimRetentionPolicy'], spec: Partial<StatefulSet['spec']> = {}) =>
      sts({ volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }], persistentVolumeClaimRetentionPolicy: policy, ...spec });
    const uid = (p: Pod): Pod => ({ ...p, metadata: { ...p.metadata, uid: `${p.metadata.name}-uid` } });

    it.each([
      ['whenDeleted Delete: created owned by the set', { whenDeleted: 'Delete' as const, whenScaled: 'Retain' as const }, [SET_REF]],
      ['whenScaled Delete alone: created without owners', { whenDeleted: 'Retain' as const, whenScaled: 'Delete' as const }, undefined],
      ['the default: created without owners', undefined, undefined],
    ])('%s', (_name, policy, wantRefs) => {
      const [claim] = plan(withPolicy(policy), []).createClaims;
      expect(claim.metadata.name).toBe('data-db-0');
      expect(claim.metadata.ownerReferences).toEqual(wantRefs);
    });

    it('a scale-down hands the condemned pod its claims in the pass that deletes it', () => {
      const set = withPolicy({ whenDeleted: 'Delete', whenScaled: 'Delete' }, { replicas: 1 });
      const p = plan(set, [uid(pod(0)), uid(pod(1))], { claims: claimMap(claimObj('data-db-0', { refs: [SET_REF] }), claimObj('data-db-1', { refs: [SET_REF] })) });
      expect(names(p.delete)).toEqual(['db-1']);
      expect(p.updateClaims.map((u) => [u.claim.metadata.name, u.ownerReferences.map((r) => `${r.kind}/${r.name}`)])).toEqual([['data-db-1', ['Pod/db-1']]]);
    });

    it('claims are kept in line while expectations are pending and while the set is deleted', () => {
      const set = withPolicy({ whenDeleted: 'Retain', whenScaled: 'Delete' }, { replicas: 1 });
      const claims = claimMap(claimObj('data-db-0'), claimObj('data-db-1'));
      expect(plan(set, [uid(pod(0)), uid(pod(1))], { claims, expectationsSatisfied: false }).updateClaims.map((u) => u.claim.metadata.name)).toEqual(['data-db-1']);
      const deleting = { ...set, metadata: { ...set.metadata, deletionTimestamp: rfc3339(T0) } };
      expect(plan(deleting, [uid(pod(0)), uid(pod(1))], { claims }).updateClaims.map((u) => u.claim.metadata.name)).toEqual(['data-db-1']);
    });

    it.each([
      ['OrderedReady waits for a claim still being deleted', {}, [pod(0)], [] as number[]],
      ['Parallel creates the other ordinals meanwhile', { podManagementPolicy: 'Parallel' as const }, [], [0, 2]],
    ])('%s', (_name, spec, pods, wantCreate) => {
      const p = plan(withPolicy(undefined, spec), pods, { claims: claimMap(claimObj('data-db-0'), claimObj('data-db-1', { deleting: true })) });
      expect(p.claimsTerminating).toEqual(['data-db-1']);
      expect(p.create).toEqual(wantCreate);
      expect(p.createClaims.map((c) => c.metadata.name)).toEqual(wantCreate.filter((o) => o !== 0).map((o) => `data-db-${o}`));
    });

    it('a claim still being deleted holds back a scale-down (Parallel)', () => {
      const set = withPolicy(undefined, { podManagementPolicy: 'Parallel', replicas: 2 });
      const p = plan(set, [pod(0), pod(2)], { claims: claimMap(claimObj('data-db-1', { deleting: true })) });
      expect(p.claimsTerminating).toEqual(['data-db-1']);
      expect(p.delete).toEqual([]);
    });
  });

  it('nothing is created or deleted while expectations are pending', () => {
    const p = plan(sts(), [pod(0)], { expectationsSatisfied: false });
    expect(p.create).toEqual([]);
    expect(p.delete).toEqual([]);
  });
});

describe('StatefulSet pods', () => {
  it('have stable names, hostname, subdomain, labels and claim volumes', () => {
    const s = sts({ volumeClaimTemplates: [{ metadata: { name: 'data', labels: { tier: 'x' } }, spec: {} }] });
    const p = newPod(s, 2, REV);
    expect(p.metadata.name).toBe('db-2');
    expect(p.spec.hostname).toBe('db-2');
    expect(p.spec.subdomain).toBe('db');
    expect(p.metadata.labels).toEqual({ app: 'db', 'controller-revision-hash': REV, 'statefulset.kubernetes.io/pod-name': 'db-2', 'apps.kubernetes.io/pod-index': '2' });
    expect(p.spec.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-2' } }]);
    expect(claimsFor(s, 2)[0].metadata).toEqual({ name: 'data-db-2', namespace: 'ns', labels: { tier: 'x', app: 'db' } });
  });
});

describe('planStatefulSet: minReadySeconds', () => {
  it('asks to look again when the first ready pod becomes available', () => {
    const p = plan(sts({ minReadySeconds: 60 }), [pod(0), pod(1), pod(2)], { now: T0 + 20_000 });
    expect(p.requeueAfterMs).toBe(40_001);
    expect(plan(sts({}), [pod(0), pod(1), pod(2)]).requeueAfterMs).toBeUndefined();
  });
});
