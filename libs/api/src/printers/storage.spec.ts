import { accessModesString, persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './storage';

const now = Date.parse('2026-01-01T00:10:00Z');
const meta = { name: 'x', creationTimestamp: '2026-01-01T00:00:00Z' };

describe('storage printers', () => {
  it.each<[string[] | undefined, string]>([
    [undefined, ''],
    [['ReadWriteOncePod'], 'RWOP'],
    [['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'], 'RWO,RWX'],
  ])('access modes %j → %s', (modes, want) => {
    expect(accessModesString(modes)).toBe(want);
  });

  it('PersistentVolume: kubectl get pv columns; Terminating while deleting', () => {
    expect(persistentVolumePrinter.columns.map((c) => c.name)).toEqual(['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode']);
    const pv = { metadata: meta, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Delete', claimRef: { namespace: 'default', name: 'data' }, storageClassName: 'local-path', volumeMode: 'Filesystem' }, status: { phase: 'Bound' } };
    expect(persistentVolumePrinter.row(pv as never, now).cells).toEqual(['x', '1Gi', 'RWO', 'Delete', 'Bound', 'default/data', 'local-path', '<unset>', '', '10m', 'Filesystem']);
    expect(persistentVolumePrinter.row({ ...pv, metadata: { ...meta, deletionTimestamp: '2026-01-01T00:09:00Z' } } as never, now).cells[4]).toBe('Terminating');
  });

  it('PersistentVolumeClaim: capacity and modes only once bound', () => {
    expect(persistentVolumeClaimPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode']);
    const pending = { metadata: meta, spec: { storageClassName: 'local-path', volumeMode: 'Filesystem' }, status: { phase: 'Pending' } };
    expect(persistentVolumeClaimPrinter.row(pending as never, now).cells).toEqual(['x', 'Pending', '', '', '', 'local-path', '<unset>', '10m', 'Filesystem']);
    const bound = { ...pending, spec: { ...pending.spec, volumeName: 'pvc-1' }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } };
    expect(persistentVolumeClaimPrinter.row(bound as never, now).cells).toEqual(['x', 'Bound', 'pvc-1', '1Gi', 'RWO', 'local-path', '<unset>', '10m', 'Filesystem']);
  });

  it('StorageClass: the default is marked', () => {
    const sc = { metadata: { ...meta, name: 'local-path', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'coxswain.io/local', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' };
    expect(storageClassPrinter.row(sc as never, now).cells).toEqual(['local-path (default)', 'coxswain.io/local', 'Delete', 'WaitForFirstConsumer', false, '10m']);
  });
});
