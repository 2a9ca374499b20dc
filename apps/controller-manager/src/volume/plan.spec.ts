import { Node, PersistentVolume, PersistentVolumeClaim, StorageClass } from '@coxswain/api';
import { findMatchingVolume } from './match';
import { ClaimInputs, planClaim, planVolume } from './plan';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const claim = (fields: Obj = {}, metadata: Obj = {}): PersistentVolumeClaim =>
  ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'default', uid: 'c1', resourceVersion: '5', finalizers: ['kubernetes.io/pvc-protection'], ...metadata },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'local-path', volumeMode: 'Filesystem', ...fields },
    status: { phase: 'Pending' },
  }) as never;
const hostAffinity = (node: string) => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } });
const volume = (name: string, fields: Obj = {}, metadata: Obj = {}, status: Obj = { phase: 'Available' }): PersistentVolume =>
  ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, finalizers: ['kubernetes.io/pv-protection'], ...metadata },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'local-path', volumeMode: 'Filesystem', persistentVolumeReclaimPolicy: 'Delete', local: { path: `/v/${name}` }, ...fields },
    status,
  }) as never;
const wffc: StorageClass = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local-path' }, provisioner: 'coxswain.io/local', volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Delete' } as never;
const immediate: StorageClass = { ...wffc, metadata: { name: 'fast' }, volumeBindingMode: 'Immediate' } as never;
const node = (name: string, labels: Obj = {}): Node => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } } }) as never;

const inputs = (c: PersistentVolumeClaim, volumes: PersistentVolume[] = [], extra: Partial<ClaimInputs> = {}): ClaimInputs => ({
  claim: c,
  volumes,
  classByName: (n) => [wffc, immediate].find((s) => s.metadata.name === n),
  nodeByName: (n) => [node('n1'), node('n2')].find((x) => x.metadata.name === n),
  inUse: false,
  ...extra,
});

describe('findMatchingVolume', () => {
  it.each<[string, PersistentVolumeClaim, PersistentVolume[], string | undefined]>([
    ['none', claim(), [], undefined],
    ['the smallest that fits', claim(), [volume('big', { capacity: { storage: '10Gi' } }), volume('small', { capacity: { storage: '2Gi' } }), volume('tiny', { capacity: { storage: '512Mi' } })], 'small'],
    ['other class', claim(), [volume('a', { storageClassName: 'other' })], undefined],
    ['missing access mode', claim({ accessModes: ['ReadWriteMany'] }), [volume('a')], undefined],
    ['already claimed', claim(), [volume('a', { claimRef: { namespace: 'default', name: 'other', uid: 'x' } })], undefined],
    ['released is not reused', claim(), [volume('a', {}, {}, { phase: 'Released' })], undefined],
    ['pre-bound to this claim wins', claim(), [volume('a'), volume('pre', { capacity: { storage: '5Gi' }, claimRef: { namespace: 'default', name: 'data', uid: 'c1' } })], 'pre'],
    ['pre-bound by name only', claim(), [volume('pre', { claimRef: { namespace: 'default', name: 'data' } })], 'pre'],
    ['pre-bound to an older claim of the same name', claim(), [volume('pre', { claimRef: { namespace: 'default', name: 'data', uid: 'old' } })], undefined],
    ['selector', claim({ selector: { matchLabels: { tier: 'db' } } }), [volume('a'), volume('b', {}, { labels: { tier: 'db' } })], 'b'],
    ['selected node excludes volumes elsewhere', claim({}, { annotations: { 'volume.kubernetes.io/selected-node': 'n2' } }), [volume('on-n1', { nodeAffinity: hostAffinity('n1') }), volume('on-n2', { nodeAffinity: hostAffinity('n2') })], 'on-n2'],
    ['being deleted', claim(), [volume('a', {}, { deletionTimestamp: '2026-01-01T00:00:00Z' })], undefined],
  ])('%s', (_name, c, volumes, want) => {
    expect(findMatchingVolume(c, volumes, (n) => node(n))?.metadata.name).toBe(want);
  });
});

describe('planClaim', () => {
  it('binds to a matching volume: volume claimRef, claim volumeName and annotations, Bound status', () => {
    const plan = planClaim(inputs(claim(), [volume('pv-1', { capacity: { storage: '2Gi' } })]));
    expect(plan.bindVolume?.spec?.claimRef).toEqual({ kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: 'default', name: 'data', uid: 'c1', resourceVersion: '5' });
    expect(plan.bindVolume?.metadata.annotations).toEqual({ 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(plan.updateClaim?.spec?.volumeName).toBe('pv-1');
    expect(plan.updateClaim?.metadata.annotations).toEqual({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(plan.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' } });
  });

  it('completes a provisioner pre-binding without marking the volume bound-by-controller', () => {
    const plan = planClaim(inputs(claim(), [volume('pvc-c1', { claimRef: { namespace: 'default', name: 'data', uid: 'c1' } }, { annotations: { 'pv.kubernetes.io/provisioned-by': 'coxswain.io/local' } })]));
    expect(plan.bindVolume).toBeUndefined();
    expect(plan.updateClaim?.spec?.volumeName).toBe('pvc-c1');
  });

  it('WaitForFirstConsumer without a selected node waits, and says so', () => {
    const plan = planClaim(inputs(claim()));
    expect(plan).toEqual({ events: [{ type: 'Normal', reason: 'WaitForFirstConsumer', message: 'waiting for first consumer to be created before binding' }] });
  });

  it('with a selected node (or Immediate) asks the class provisioner', () => {
    for (const c of [claim({}, { annotations: { 'volume.kubernetes.io/selected-node': 'n1' } }), claim({ storageClassName: 'fast' })]) {
      const plan = planClaim(inputs(c));
      expect(plan.updateClaim?.metadata.annotations?.['volume.kubernetes.io/storage-provisioner']).toBe('coxswain.io/local');
      expect(plan.events.map((e) => e.reason)).toEqual(['ExternalProvisioning']);
    }
  });

  it.each<[string, PersistentVolumeClaim, string, string]>([
    ['unknown class', claim({ storageClassName: 'gold' }), 'ProvisioningFailed', 'storageclass.storage.k8s.io "gold" not found'],
    ['no class', claim({ storageClassName: '' }), 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set'],
  ])('%s stays Pending with a reason', (_name, c, reason, message) => {
    const plan = planClaim(inputs(c));
    expect(plan.events).toEqual([expect.objectContaining({ reason, message })]);
    expect(plan.bindVolume).toBeUndefined();
  });

  it('a bound claim whose volume is gone is Lost', () => {
    const plan = planClaim(inputs({ ...claim({ volumeName: 'pv-1' }), status: { phase: 'Bound' } } as never));
    expect(plan.status).toEqual({ phase: 'Lost' });
    expect(plan.events.map((e) => e.reason)).toEqual(['ClaimLost']);
  });

  it('a claim naming a volume bound elsewhere waits', () => {
    const plan = planClaim(inputs(claim({ volumeName: 'pv-1' }), [volume('pv-1', { claimRef: { namespace: 'default', name: 'other', uid: 'o' } })]));
    expect(plan.events).toEqual([{ type: 'Warning', reason: 'FailedBinding', message: 'volume "pv-1" already bound to a different claim.' }]);
  });

  it('a bound claim in a steady state changes nothing', () => {
    const bound = { ...claim({ volumeName: 'pv-1' }, { annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } }), status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } } as never;
    expect(planClaim(inputs(bound, [volume('pv-1', { claimRef: { namespace: 'default', name: 'data', uid: 'c1' } }, {}, { phase: 'Bound' })]))).toEqual({ events: [] });
  });

  it.each<[string, boolean, string[] | undefined]>([
    ['in use: keeps the finalizer', true, undefined],
    ['unused: drops it', false, []],
  ])('pvc-protection %s', (_name, inUse, want) => {
    const deleting = claim({}, { deletionTimestamp: '2026-01-01T00:00:00Z' });
    expect(planClaim(inputs(deleting, [], { inUse })).updateClaim?.metadata.finalizers).toEqual(want);
  });
});

describe('planVolume', () => {
  const byKey = (claims: PersistentVolumeClaim[]) => (ns: string, name: string) => claims.find((c) => c.metadata.namespace === ns && c.metadata.name === name);
  const ref = { namespace: 'default', name: 'data', uid: 'c1' };

  it.each<[string, PersistentVolume, PersistentVolumeClaim[], string | undefined]>([
    ['unclaimed: Available', volume('a', {}, {}, { phase: 'Pending' }), [], 'Available'],
    ['claim bound to it: Bound', volume('a', { claimRef: ref }), [claim({ volumeName: 'a' })], 'Bound'],
    ['pre-bound, claim not bound yet: stays Available', volume('a', { claimRef: ref }), [claim()], undefined],
    ['claim gone, Retain: Released', volume('a', { claimRef: ref, persistentVolumeReclaimPolicy: 'Retain' }, {}, { phase: 'Bound' }), [], 'Released'],
    ['claim recreated (new uid), Retain: Released', volume('a', { claimRef: ref, persistentVolumeReclaimPolicy: 'Retain' }, {}, { phase: 'Bound' }), [claim({}, { uid: 'c2' })], 'Released'],
    ['claim gone, Delete, provisioned: Released for its provisioner', volume('a', { claimRef: ref }, { annotations: { 'pv.kubernetes.io/provisioned-by': 'coxswain.io/local' } }, { phase: 'Bound' }), [], 'Released'],
    ['claim gone, Delete, not provisioned: Failed', volume('a', { claimRef: ref }, {}, { phase: 'Bound' }), [], 'Failed'],
  ])('%s', (_name, pv, claims, phase) => {
    expect(planVolume(pv, byKey(claims)).status?.phase).toBe(phase);
  });

  it('a Delete volume nobody can delete says why', () => {
    const plan = planVolume(volume('a', { claimRef: ref }, {}, { phase: 'Bound' }), () => undefined);
    expect(plan.status?.message).toBe('error getting deleter volume plugin for volume "a": no deletable volume plugin matched');
    expect(plan.events.map((e) => e.reason)).toEqual(['VolumeFailedDelete']);
  });

  it('undoes a controller binding when the claim went to another volume', () => {
    const pv = volume('a', { claimRef: ref }, { annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' } }, { phase: 'Bound' });
    const plan = planVolume(pv, byKey([claim({ volumeName: 'b' })]));
    expect(plan.updateVolume?.spec?.claimRef).toBeUndefined();
    expect(plan.status?.phase).toBe('Available');
  });

  it.each<[string, PersistentVolumeClaim[], string[] | undefined]>([
    ['bound: keeps pv-protection', [claim({ volumeName: 'a' })], undefined],
    ['released: drops it', [], []],
  ])('pv-protection %s', (_name, claims, want) => {
    const pv = volume('a', { claimRef: ref, persistentVolumeReclaimPolicy: 'Retain' }, { deletionTimestamp: '2026-01-01T00:00:00Z' }, { phase: 'Bound' });
    expect(planVolume(pv, byKey(claims)).updateVolume?.metadata.finalizers).toEqual(want);
  });
});
