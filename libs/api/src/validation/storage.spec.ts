import { applyDefaults } from '../defaults/defaults';
import { validateUpdate } from './update';
import { validateObject } from './validate';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pv = (spec: Obj): Obj => applyDefaults({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1' }, spec } as never) as Obj;
const pvc = (spec: Obj): Obj => applyDefaults({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec } as never) as Obj;
const sc = (fields: Obj): Obj => applyDefaults({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local-path' }, ...fields } as never) as Obj;
const causes = (obj: Obj) => validateObject(obj).causes.map((c) => `${c.field}: ${c.message}`);
const affinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } };
const localPv = { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/var/lib/coxswain/volumes/pv-1' }, nodeAffinity: affinity };

describe('PersistentVolume validation', () => {
  it.each<[string, Obj, string[]]>([
    ['a local volume with node affinity', localPv, []],
    ['hostPath needs no affinity', { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteMany'], hostPath: { path: '/srv/data' } }, []],
    ['no capacity', { ...localPv, capacity: undefined }, ['spec.capacity: Required value']],
    ['capacity other than storage', { ...localPv, capacity: { storage: '1Gi', cpu: '1' } }, ['spec.capacity: Unsupported value: "cpu": supported values: "storage"']],
    ['zero capacity', { ...localPv, capacity: { storage: '0' } }, ['spec.capacity[storage]: Invalid value: "0": must be greater than zero']],
    ['no access modes', { ...localPv, accessModes: [] }, ['spec.accessModes: Required value: at least 1 access mode is required']],
    ['unknown access mode', { ...localPv, accessModes: ['ReadWriteSometimes'] }, ['spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"']],
    ['ReadWriteOncePod with another mode', { ...localPv, accessModes: ['ReadWriteOncePod', 'ReadWriteOnce'] }, ['spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes']],
    ['no source', { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] }, ['spec: Required value: must specify a volume type']],
    ['two sources', { ...localPv, hostPath: { path: '/x' } }, ['spec.local: Forbidden: may not specify more than 1 volume type']],
    ['a network source is refused', { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], nfs: { server: 'x', path: '/' } }, ['spec.nfs: Forbidden: volume type nfs is not supported by Coxswain nodes; use local or hostPath']],
    ['local without node affinity', { ...localPv, nodeAffinity: undefined }, ['spec.nodeAffinity: Required value: Local volume requires node affinity']],
    ['relative path', { ...localPv, local: { path: 'data' } }, ['spec.local.path: Invalid value: "data": must be an absolute path']],
    ['Recycle is refused', { ...localPv, persistentVolumeReclaimPolicy: 'Recycle' }, ['spec.persistentVolumeReclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"']],
    ['Block is refused', { ...localPv, volumeMode: 'Block' }, ['spec.volumeMode: Forbidden: raw block volumes are not supported by Coxswain nodes; use Filesystem']],
  ])('%s', (_name, spec, want) => {
    expect(causes(pv(spec))).toEqual(want);
  });

  it('defaults reclaim policy Retain and volumeMode Filesystem', () => {
    expect(pv(localPv).spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
  });

  it('source and node affinity are immutable; claimRef and phase may change', () => {
    const before = pv(localPv);
    const moved = { ...before, spec: { ...before.spec, local: { path: '/elsewhere' }, nodeAffinity: { required: { nodeSelectorTerms: [{}] } } } };
    expect(validateUpdate(before as never, moved as never).map((c) => c.field)).toEqual(['spec.persistentvolumesource', 'spec.nodeAffinity']);
    const bound = { ...before, spec: { ...before.spec, claimRef: { namespace: 'default', name: 'data' } } };
    expect(validateUpdate(before as never, bound as never)).toEqual([]);
  });
});

describe('PersistentVolumeClaim validation', () => {
  const spec = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };
  it.each<[string, Obj, string[]]>([
    ['a plain claim', spec, []],
    ['no storage request', { accessModes: ['ReadWriteOnce'] }, ['spec.resources[storage]: Required value']],
    ['negative-free zero request', { ...spec, resources: { requests: { storage: '0' } } }, ['spec.resources[storage]: Invalid value: "0": must be greater than zero']],
    ['no access modes', { resources: spec.resources }, ['spec.accessModes: Required value: at least 1 access mode is required']],
    ['bad class name', { ...spec, storageClassName: 'Local_Path' }, ["spec.storageClassName: Invalid value: \"Local_Path\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]],
    ['a data source is refused', { ...spec, dataSource: { kind: 'PersistentVolumeClaim', name: 'x' } }, ['spec.dataSource: Forbidden: volume populators are not supported by Coxswain']],
  ])('%s', (_name, s, want) => {
    expect(causes(pvc(s))).toEqual(want);
  });

  it('update: the binder may set volumeName once; resize and other changes are refused', () => {
    const before = pvc(spec);
    const bound = { ...before, spec: { ...before.spec, volumeName: 'pv-1' } };
    expect(validateUpdate(before as never, bound as never)).toEqual([]);
    const rebound = { ...bound, spec: { ...bound.spec, volumeName: 'pv-2' } };
    expect(validateUpdate(bound as never, rebound as never).map((c) => c.message)).toEqual(['Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims']);
    const grown = { ...before, spec: { ...before.spec, resources: { requests: { storage: '2Gi' } } } };
    expect(validateUpdate(before as never, grown as never).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.resources.requests.storage: Forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    ]);
    const shrunk = { ...before, spec: { ...before.spec, resources: { requests: { storage: '512Mi' } } } };
    expect(validateUpdate(before as never, shrunk as never).map((c) => c.message)).toEqual(['Forbidden: field can not be less than previous value']);
  });
});

describe('StorageClass validation', () => {
  it.each<[string, Obj, string[]]>([
    ['local-path', { provisioner: 'coxswain.io/local', volumeBindingMode: 'WaitForFirstConsumer' }, []],
    ['no provisioner', {}, ['provisioner: Required value']],
    ['the local provisioner binds on first consumer only', { provisioner: 'coxswain.io/local', volumeBindingMode: 'Immediate' }, ['volumeBindingMode: Unsupported value: "Immediate": supported values: "WaitForFirstConsumer"']],
    ['bad binding mode', { provisioner: 'p', volumeBindingMode: 'Later' }, ['volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"']],
    ['expansion is refused', { provisioner: 'p', allowVolumeExpansion: true }, ['allowVolumeExpansion: Forbidden: volume expansion is not supported by Coxswain provisioners']],
  ])('%s', (_name, fields, want) => {
    expect(causes(sc(fields))).toEqual(want);
  });

  it('defaults reclaimPolicy Delete and volumeBindingMode Immediate; those and provisioner are immutable', () => {
    const before = sc({ provisioner: 'coxswain.io/local' });
    expect(before).toMatchObject({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    const after = { ...before, provisioner: 'other', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' };
    expect(validateUpdate(before as never, after as never).map((c) => c.field)).toEqual(['provisioner', 'reclaimPolicy', 'volumeBindingMode']);
  });
});

describe('StatefulSet volumeClaimTemplates', () => {
  const sts = (mount: string) =>
    applyDefaults({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'default' },
      spec: {
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'busybox', volumeMounts: [{ name: mount, mountPath: '/var/lib/db' }] }] } },
        volumeClaimTemplates: [{ metadata: { name: 'state' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    } as never) as Obj;

  it('a mount may name a claim template; any other unknown name is still not found', () => {
    expect(causes(sts('state'))).toEqual([]);
    expect(causes(sts('other'))).toEqual(['spec.template.spec.containers[0].volumeMounts[0].name: Not found: "other"']);
  });
});
