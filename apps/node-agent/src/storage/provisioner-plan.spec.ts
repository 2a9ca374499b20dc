import { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@coxswain/api';
import { mountPoints } from './local-disk';
import { planProvisioner, provisionedVolume } from './provisioner-plan';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const asked = { 'volume.kubernetes.io/storage-provisioner': 'coxswain.io/local', 'volume.kubernetes.io/selected-node': 'n1' };
const claim = (name: string, annotations: Obj = asked, fields: Obj = {}, metadata: Obj = {}): PersistentVolumeClaim =>
  ({ metadata: { name, namespace: 'default', uid: `u-${name}`, resourceVersion: '3', annotations, ...metadata }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '64Mi' } }, storageClassName: 'local-path', ...fields } }) as never;
const onNode = (node: string) => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } });
const volume = (name: string, node: string, phase: string, fields: Obj = {}, metadata: Obj = {}): PersistentVolume =>
  ({ metadata: { name, uid: `pv-${name}`, annotations: { 'pv.kubernetes.io/provisioned-by': 'coxswain.io/local' }, ...metadata }, spec: { persistentVolumeReclaimPolicy: 'Delete', nodeAffinity: onNode(node), ...fields }, status: { phase } }) as never;
const classes: StorageClass[] = [{ metadata: { name: 'local-path' }, provisioner: 'coxswain.io/local', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' } as never, { metadata: { name: 'keep' }, provisioner: 'coxswain.io/local', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' } as never];
const byName = (n: string) => classes.find((c) => c.metadata.name === n);

describe('planProvisioner', () => {
  it.each<[string, PersistentVolumeClaim[], PersistentVolume[], string[]]>([
    ['a claim selected to this node', [claim('a')], [], ['pvc-u-a']],
    ['selected to another node', [claim('a', { ...asked, 'volume.kubernetes.io/selected-node': 'n2' })], [], []],
    ['not asked of this provisioner', [claim('a', { 'volume.kubernetes.io/selected-node': 'n1' })], [], []],
    ['already bound', [claim('a', asked, { volumeName: 'x' })], [], []],
    ['volume already made (restart)', [claim('a')], [volume('pvc-u-a', 'n1', 'Available')], []],
    ['being deleted', [claim('a', asked, {}, { deletionTimestamp: 'x' })], [], []],
  ])('provision: %s', (_name, claims, volumes, want) => {
    expect(planProvisioner('n1', claims, volumes, byName).provision.map((p) => p.volumeName)).toEqual(want);
  });

  it('sizes in bytes, reclaim policy from the class, errors for tiny claims and unknown classes', () => {
    const [a, b, c] = planProvisioner('n1', [claim('a'), claim('b', asked, { storageClassName: 'keep', resources: { requests: { storage: '1Mi' } } }), claim('c', asked, { storageClassName: 'gone' })], [], byName).provision;
    expect([a.bytes, a.reclaimPolicy, a.error]).toEqual([64 * 1024 * 1024, 'Delete', undefined]);
    expect([b.reclaimPolicy, b.error]).toEqual(['Retain', 'requested storage 1Mi is below the 8Mi an ext4 volume needs']);
    expect(c.error).toBe('storageclass.storage.k8s.io "gone" not found');
  });

  it('removes our released Delete volumes and mounts the rest of ours on this node', () => {
    const volumes = [
      volume('released', 'n1', 'Released'),
      volume('kept', 'n1', 'Released', { persistentVolumeReclaimPolicy: 'Retain' }),
      volume('bound', 'n1', 'Bound'),
      volume('elsewhere', 'n2', 'Released'),
      volume('foreign', 'n1', 'Released', {}, { annotations: {} }),
    ];
    const plan = planProvisioner('n1', [], volumes, byName);
    expect(plan.remove.map((v) => v.metadata.name)).toEqual(['released']);
    expect(plan.mount.map((v) => v.metadata.name)).toEqual(['kept', 'bound']);
  });

  it('builds a local PV pre-bound to the claim, pinned to the node', () => {
    const [action] = planProvisioner('n1', [claim('a')], [], byName).provision;
    const pv = provisionedVolume(action, 'n1', '/var/lib/x/pvc-u-a/mnt') as Obj;
    expect(pv.metadata).toEqual({ name: 'pvc-u-a', annotations: { 'pv.kubernetes.io/provisioned-by': 'coxswain.io/local' }, labels: { 'coxswain.io/node': 'n1' } });
    expect(pv.spec).toMatchObject({ capacity: { storage: '64Mi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'local-path', local: { path: '/var/lib/x/pvc-u-a/mnt', fsType: 'ext4' }, nodeAffinity: onNode('n1') });
    expect(pv.spec.claimRef).toMatchObject({ namespace: 'default', name: 'a', uid: 'u-a' });
  });
});

describe('mountPoints', () => {
  it('reads field 5 of mountinfo with octal escapes undone', () => {
    const text = '36 35 98:0 / /mnt/a rw - ext4 /dev/loop0 rw\n37 35 98:1 / /mnt/with\\040space rw - ext4 /dev/loop1 rw\n';
    expect([...mountPoints(text)]).toEqual(['/mnt/a', '/mnt/with space']);
  });
});
