import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '@coxswain/api/browser';
import { explain } from '../../explain/explain';
import { nodeInfo, nodeObject, podObject, vmiObject } from '../../testing/fixtures';
import { volumeBindingStatus } from './volume-binding';
import { claimsToSelect, localBytesByNode, StorageObjects, volumeFacts } from './volume-facts';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const GI = 1024 ** 3;
const withClaims = (...names: string[]): Pod => {
  const p = podObject('p');
  p.spec.volumes = names.map((n) => ({ name: n, persistentVolumeClaim: { claimName: n } }));
  return p;
};
const claim = (name: string, fields: Obj = {}, metadata: Obj = {}): PersistentVolumeClaim =>
  ({ metadata: { name, namespace: 'default', uid: `uid-${name}`, ...metadata }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'local-path', ...fields } }) as never;
const onNode = (node: string) => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } });
const volume = (name: string, node: string, size = '1Gi', claimUid?: string): PersistentVolume =>
  ({ metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': 'coxswain.io/local' } }, spec: { capacity: { storage: size }, nodeAffinity: onNode(node), claimRef: claimUid ? { uid: claimUid } : undefined } }) as never;
const classes: StorageClass[] = [
  { metadata: { name: 'local-path' }, provisioner: 'coxswain.io/local', volumeBindingMode: 'WaitForFirstConsumer' } as never,
  { metadata: { name: 'now' }, provisioner: 'coxswain.io/local', volumeBindingMode: 'Immediate' } as never,
];
const storage = (claims: PersistentVolumeClaim[], volumes: PersistentVolume[] = []): StorageObjects => ({ claims, volumes, classes });

describe('VolumeBinding', () => {
  const n1 = nodeInfo('n1', { localStorage: '10Gi' });
  const small = nodeInfo('small', { localStorage: '512Mi' });
  const none = nodeInfo('none');

  it.each<{ name: string; pod: Pod; storage: StorageObjects; node: ReturnType<typeof nodeInfo>; want: string; reasons: string[] }>([
    { name: 'no claims', pod: podObject('p'), storage: storage([]), node: none, want: 'Success', reasons: [] },
    { name: 'missing claim', pod: withClaims('data'), storage: storage([]), node: n1, want: 'UnschedulableAndUnresolvable', reasons: ['persistentvolumeclaim "data" not found'] },
    { name: 'claim being deleted', pod: withClaims('data'), storage: storage([claim('data', {}, { deletionTimestamp: 'x' })]), node: n1, want: 'UnschedulableAndUnresolvable', reasons: ['persistentvolumeclaim "data" is being deleted'] },
    { name: 'unbound Immediate claim', pod: withClaims('data'), storage: storage([claim('data', { storageClassName: 'now' })]), node: n1, want: 'UnschedulableAndUnresolvable', reasons: ['pod has unbound immediate PersistentVolumeClaims'] },
    { name: 'bound, on this node', pod: withClaims('data'), storage: storage([claim('data', { volumeName: 'pv' })], [volume('pv', 'n1')]), node: n1, want: 'Success', reasons: [] },
    { name: 'bound, elsewhere', pod: withClaims('data'), storage: storage([claim('data', { volumeName: 'pv' })], [volume('pv', 'n2')]), node: n1, want: 'UnschedulableAndUnresolvable', reasons: ['node(s) had volume node affinity conflict'] },
    { name: 'bound to a missing volume', pod: withClaims('data'), storage: storage([claim('data', { volumeName: 'gone' })]), node: n1, want: 'UnschedulableAndUnresolvable', reasons: ['pvc(s) bound to non-existent pv(s)'] },
    { name: 'first consumer, room', pod: withClaims('data'), storage: storage([claim('data')]), node: n1, want: 'Success', reasons: [] },
    { name: 'first consumer, too small', pod: withClaims('data'), storage: storage([claim('data')]), node: small, want: 'UnschedulableAndUnresolvable', reasons: ['node(s) did not have enough free storage'] },
    { name: 'first consumer, node reports no local storage', pod: withClaims('data'), storage: storage([claim('data')]), node: none, want: 'UnschedulableAndUnresolvable', reasons: ['node(s) did not have enough free storage'] },
    { name: 'first consumer, node full of other volumes', pod: withClaims('data'), storage: storage([claim('data')], [volume('a', 'n1', '9.5Gi')]), node: n1, want: 'UnschedulableAndUnresolvable', reasons: ['node(s) did not have enough free storage'] },
    { name: 'two claims add up', pod: withClaims('a', 'b'), storage: storage([claim('a', { resources: { requests: { storage: '6Gi' } } }), claim('b', { resources: { requests: { storage: '5Gi' } } })]), node: n1, want: 'UnschedulableAndUnresolvable', reasons: ['node(s) did not have enough free storage'] },
    { name: 'already selected for this node', pod: withClaims('data'), storage: storage([claim('data', {}, { annotations: { 'volume.kubernetes.io/selected-node': 'n1' } })]), node: n1, want: 'Success', reasons: [] },
    { name: 'selected for another node', pod: withClaims('data'), storage: storage([claim('data', {}, { annotations: { 'volume.kubernetes.io/selected-node': 'n2' } })]), node: n1, want: 'UnschedulableAndUnresolvable', reasons: ['node(s) had volume node affinity conflict'] },
  ])('$name → $want', ({ pod, storage: s, node, want, reasons }) => {
    const status = volumeBindingStatus(volumeFacts(pod, s), node);
    expect(status.code).toBe(want);
    expect(status.reasons).toEqual(reasons);
  });

  it('reads a VMI persistentVolumeClaim volume the same way', () => {
    const vm = vmiObject('v');
    (vm.spec as Obj).volumes = [{ name: 'disk', persistentVolumeClaim: { claimName: 'data' } }];
    expect(volumeBindingStatus(volumeFacts(vm, storage([claim('data', { volumeName: 'pv' })], [volume('pv', 'n2')])), n1).reasons).toEqual(['node(s) had volume node affinity conflict']);
  });

  it('counts provisioned volumes and selected claims per node, once each', () => {
    const selected = claim('sel', { resources: { requests: { storage: '2Gi' } } }, { annotations: { 'volume.kubernetes.io/selected-node': 'n1' } });
    const provisioned = claim('prov', {}, { annotations: { 'volume.kubernetes.io/selected-node': 'n1' } });
    const used = localBytesByNode(storage([selected, provisioned], [volume('pv-prov', 'n1', '1Gi', 'uid-prov'), volume('other', 'n2', '3Gi')]));
    expect(used).toEqual({ n1: 3 * GI, n2: 3 * GI });
  });

  it('names the first-consumer claims the scheduler must select a node for', () => {
    const facts = volumeFacts(withClaims('a', 'b', 'c'), storage([claim('a'), claim('b', {}, { annotations: { 'volume.kubernetes.io/selected-node': 'n1' } }), claim('c', { volumeName: 'pv' })], [volume('pv', 'n1')]));
    expect(claimsToSelect(facts)).toEqual(['a']);
  });
});

describe('explain() with claims', () => {
  it('names the claim reason per node when given the storage objects, and passes without them', () => {
    const p = withClaims('data');
    const nodes = [nodeObject('n1', { localStorage: '10Gi' }), nodeObject('n2', { localStorage: '10Gi' })];
    const s = storage([claim('data', { volumeName: 'pv' })], [volume('pv', 'n2')]);
    const explained = explain(p, nodes, { pods: [], vmis: [] }, undefined, { storage: s });
    expect(explained.nodes.map((n) => [n.node, n.fits, n.rejections.map((r) => r.reasons).flat()])).toEqual([
      ['n1', false, ['node(s) had volume node affinity conflict']],
      ['n2', true, []],
    ]);
    expect(explain(p, nodes, { pods: [], vmis: [] }).nodes.every((n) => n.fits)).toBe(true);
  });
});
