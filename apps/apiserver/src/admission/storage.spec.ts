import { KubeObject } from '@coxswain/api';
import { admitStorageCreate, defaultStorageClass } from './storage';

const sc = (name: string, created: string, isDefault?: string): KubeObject =>
  ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, creationTimestamp: created, annotations: isDefault ? { 'storageclass.kubernetes.io/is-default-class': isDefault } : undefined } }) as never;
const pvc = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec }) as never;

describe('storage admission', () => {
  it.each<[string, KubeObject[], string | undefined]>([
    ['no classes', [], undefined],
    ['none marked default', [sc('a', '2026-01-01T00:00:00Z')], undefined],
    ['"false" is not default', [sc('a', '2026-01-01T00:00:00Z', 'false')], undefined],
    ['one default', [sc('a', '2026-01-01T00:00:00Z'), sc('local-path', '2026-01-01T00:00:00Z', 'true')], 'local-path'],
    ['several defaults: the newest', [sc('old', '2026-01-01T00:00:00Z', 'true'), sc('new', '2026-02-01T00:00:00Z', 'true')], 'new'],
    ['several defaults created together: by name', [sc('b', '2026-01-01T00:00:00Z', 'true'), sc('a', '2026-01-01T00:00:00Z', 'true')], 'a'],
  ])('default class: %s', (_name, classes, want) => {
    expect(defaultStorageClass(classes)?.metadata.name).toBe(want);
  });

  it('fills the class only when the field is absent ("" asks for no class)', () => {
    const classes = [sc('local-path', '2026-01-01T00:00:00Z', 'true')];
    expect((admitStorageCreate(pvc({}), classes) as never as { spec: { storageClassName?: string } }).spec.storageClassName).toBe('local-path');
    expect((admitStorageCreate(pvc({ storageClassName: '' }), classes) as never as { spec: { storageClassName?: string } }).spec.storageClassName).toBe('');
    expect((admitStorageCreate(pvc({ storageClassName: 'fast' }), classes) as never as { spec: { storageClassName?: string } }).spec.storageClassName).toBe('fast');
  });

  it('adds the protection finalizers once', () => {
    expect(admitStorageCreate(pvc({}), []).metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv', finalizers: ['kubernetes.io/pv-protection'] }, spec: {} } as never as KubeObject;
    expect(admitStorageCreate(pv, []).metadata.finalizers).toEqual(['kubernetes.io/pv-protection']);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } } as never as KubeObject;
    expect(admitStorageCreate(pod, [])).toBe(pod);
  });
});
