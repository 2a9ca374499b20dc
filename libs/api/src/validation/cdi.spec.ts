import { checkDataVolume, checkDataVolumeUpdate } from './cdi';

type Obj = Record<string, unknown>;
const storage = { resources: { requests: { storage: '1Gi' } } };
const dv = (spec: Obj): Obj => ({ spec });
const messages = (spec: Obj) => checkDataVolume(dv(spec)).map((c) => `${c.field}: ${c.message}`);

describe('DataVolume validation', () => {
  it.each<[string, Obj, string[]]>([
    ['registry import with storage', { source: { registry: { url: 'docker://registry:5000/disk:1' } }, storage }, []],
    ['blank with a pvc spec', { source: { blank: {} }, pvc: { accessModes: ['ReadWriteOnce'], ...storage } }, []],
    ['no source', { storage }, ['spec.source: Required value: missing Data volume source']],
    ['two sources', { source: { blank: {}, registry: { url: 'docker://x' } }, storage }, ['spec.source: Invalid value: ["registry","blank"]: must specify exactly one source, one of registry, blank']],
    ['http is not imported', { source: { http: { url: 'http://x/d.img' } }, storage }, ['spec.source.http: Forbidden: http imports are not supported by Coxswain; use source.registry (a containerDisk image) or source.blank']],
    ['registry url scheme', { source: { registry: { url: 'oci-archive:///x.tar' } }, storage }, ['spec.source.registry.url: Invalid value: "oci-archive:///x.tar": must be docker://<image> (oci-archive:// is not supported)']],
    ['registry without url', { source: { registry: {} }, storage }, ['spec.source.registry.url: Required value: source registry should have url or imageStream']],
    ['registry secretRef is refused, not ignored', { source: { registry: { url: 'docker://x', secretRef: 'creds' } }, storage }, ["spec.source.registry.secretRef: Forbidden: secretRef is not supported by Coxswain's importer; the node pulls with its registry configuration"]],
    ['no storage', { source: { blank: {} } }, ['spec.pvc: Required value: missing storage or pvc spec']],
    ['storage and pvc', { source: { blank: {} }, storage, pvc: { accessModes: ['ReadWriteOnce'], ...storage } }, ['spec.storage: Forbidden: spec.storage and spec.pvc are mutually exclusive']],
    ['pvc without access modes', { source: { blank: {} }, pvc: storage }, ['spec.pvc.accessModes: Required value: at least 1 access mode is required']],
    ['no size', { source: { blank: {} }, storage: {} }, ['spec.storage.resources[storage]: Required value']],
    ['block mode', { source: { blank: {} }, storage: { ...storage, volumeMode: 'Block' } }, ['spec.storage.volumeMode: Forbidden: raw block volumes are not supported by Coxswain nodes; use Filesystem']],
    ['archive content', { source: { blank: {} }, storage, contentType: 'archive' }, ['spec.contentType: Forbidden: archive content is not supported by Coxswain; only kubevirt (a VM disk image)']],
  ])('%s', (_name, spec, want) => {
    expect(messages(spec)).toEqual(want);
  });

  it('the spec is immutable; status and metadata may change', () => {
    const before = dv({ source: { blank: {} }, storage });
    expect(checkDataVolumeUpdate(before, { ...before, status: { phase: 'Succeeded' } })).toEqual([]);
    expect(checkDataVolumeUpdate(before, dv({ source: { blank: {} }, storage: { resources: { requests: { storage: '2Gi' } } } })).map((c) => c.message)).toEqual(['Forbidden: Cannot update DataVolume Spec']);
  });
});
