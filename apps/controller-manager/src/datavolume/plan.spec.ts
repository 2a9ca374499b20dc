import { DataVolume, PersistentVolumeClaim, StorageClass } from '@coxswain/api';
import { claimFor, planDataVolume } from './plan';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const NOW = '2026-01-01T00:00:00Z';
const wffc = { metadata: { name: 'local-path' }, provisioner: 'coxswain.io/local', volumeBindingMode: 'WaitForFirstConsumer' } as StorageClass;
const immediate = { metadata: { name: 'fast' }, provisioner: 'x', volumeBindingMode: 'Immediate' } as StorageClass;
const classes = (name: string | undefined) => [wffc, immediate].find((c) => c.metadata.name === (name ?? 'local-path'));
const dv = (status?: Obj, spec: Obj = { source: { registry: { url: 'docker://reg:5000/disk:1' } }, storage: { resources: { requests: { storage: '1Gi' } } } }): DataVolume =>
  ({ metadata: { name: 'disk', namespace: 'ns', uid: 'dv-uid' }, spec, status }) as never;
const owned = [{ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', name: 'disk', uid: 'dv-uid', controller: true }];
const claim = (phase: string, annotations: Obj = {}, conditions?: Obj[], ownerReferences: Obj[] = owned): PersistentVolumeClaim =>
  ({ metadata: { name: 'disk', namespace: 'ns', annotations, ownerReferences }, spec: { storageClassName: 'local-path' }, status: { phase, ...(conditions ? { conditions } : {}) } }) as never;
const importing = (reason: string, message = '') => [{ type: 'cdi.kubevirt.io/Import', status: reason === 'ImportInProgress' ? 'True' : 'False', reason, message }];
const selected = { 'volume.kubernetes.io/selected-node': 'n1' };

describe('planDataVolume', () => {
  it.each<[string, PersistentVolumeClaim | undefined, string, string, string | undefined]>([
    ['no claim yet: create it', undefined, 'Pending', 'N/A', undefined],
    ['WaitForFirstConsumer class, no consumer', claim('Pending'), 'WaitForFirstConsumer', 'N/A', 'WaitForFirstConsumer'],
    ['consumer scheduled (selected node)', claim('Pending', selected), 'ImportScheduled', 'N/A', 'ImportScheduled'],
    ['bound, the node has not started', claim('Bound', selected), 'ImportScheduled', 'N/A', 'ImportScheduled'],
    ['importing with progress', claim('Bound', selected, importing('ImportInProgress', '45.20%')), 'ImportInProgress', '45.20%', 'ImportInProgress'],
    ['progress that is not a percentage is not shown', claim('Bound', selected, importing('ImportInProgress', 'pulling')), 'ImportInProgress', 'N/A', 'ImportInProgress'],
    ['imported', claim('Bound', selected, importing('ImportSucceeded')), 'Succeeded', '100.0%', 'ImportSucceeded'],
    ['import failed', claim('Bound', selected, importing('ImportFailed', 'image not found')), 'Failed', 'N/A', 'ErrImportFailed'],
    ['an import condition on an unbound claim is ignored', claim('Pending', {}, importing('ImportSucceeded')), 'WaitForFirstConsumer', 'N/A', 'WaitForFirstConsumer'],
  ])('%s', (_name, pvc, phase, progress, reason) => {
    const plan = planDataVolume({ dv: dv(), claim: pvc, storageClass: classes, now: NOW });
    expect(plan.status).toMatchObject({ phase, progress, restartCount: 0, claimName: 'disk' });
    expect(Boolean(plan.createClaim)).toBe(pvc === undefined);
    expect(plan.events.map((e) => e.reason)).toEqual(reason ? [reason] : []);
  });

  it('an Immediate class waits as Pending', () => {
    const pvc = { ...claim('Pending'), spec: { storageClassName: 'fast' } } as PersistentVolumeClaim;
    expect(planDataVolume({ dv: dv(), claim: pvc, storageClass: classes, now: NOW }).status?.phase).toBe('Pending');
  });

  it('conditions: Bound, Ready and Running as CDI reports them', () => {
    const done = planDataVolume({ dv: dv(), claim: claim('Bound', selected, importing('ImportSucceeded')), storageClass: classes, now: NOW }).status!;
    expect(done.conditions!.map((c) => [c.type, c.status, c.reason])).toEqual([['Bound', 'True', 'Bound'], ['Ready', 'True', undefined], ['Running', 'False', 'Completed']]);
    const failed = planDataVolume({ dv: dv(), claim: claim('Bound', selected, importing('ImportFailed', 'no such image')), storageClass: classes, now: NOW });
    expect(failed.status!.conditions!.find((c) => c.type === 'Running')).toMatchObject({ status: 'False', reason: 'Error', message: 'no such image' });
    expect(failed.events[0]).toEqual({ type: 'Warning', reason: 'ErrImportFailed', message: 'Unable to import into PVC ns/disk: no such image' });
  });

  it('writes nothing and records nothing when nothing changed', () => {
    const pvc = claim('Bound', selected, importing('ImportInProgress', '10.00%'));
    const first = planDataVolume({ dv: dv(), claim: pvc, storageClass: classes, now: NOW });
    const again = planDataVolume({ dv: dv(first.status), claim: pvc, storageClass: classes, now: '2026-01-01T00:01:00Z' });
    expect(again).toEqual({ createClaim: undefined, status: undefined, events: [] });
  });

  it('a Succeeded DataVolume stays Succeeded', () => {
    expect(planDataVolume({ dv: dv({ phase: 'Succeeded' }), claim: claim('Bound'), storageClass: classes, now: NOW })).toEqual({ events: [] });
  });

  it('a claim of that name it does not control is reported, never adopted', () => {
    const plan = planDataVolume({ dv: dv(), claim: claim('Bound', {}, undefined, []), storageClass: classes, now: NOW });
    expect(plan.createClaim).toBeUndefined();
    expect(plan.status?.phase).toBe('Pending');
    expect(plan.events).toEqual([{ type: 'Warning', reason: 'ErrResourceExists', message: 'Resource "disk" already exists and is not managed by DataVolume' }]);
  });

  it.each<[string, Obj, Obj]>([
    ['registry import from storage', { source: { registry: { url: 'docker://reg/disk:1' } }, storage: { resources: { requests: { storage: '2Gi' } }, storageClassName: 'local-path' } },
      { annotations: { 'cdi.kubevirt.io/storage.import.source': 'registry', 'cdi.kubevirt.io/storage.import.endpoint': 'docker://reg/disk:1' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, volumeMode: 'Filesystem', storageClassName: 'local-path' } }],
    ['blank from a pvc spec', { source: { blank: {} }, pvc: { accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '1Gi' } } } },
      { annotations: { 'cdi.kubevirt.io/storage.import.source': 'none' }, spec: { accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' } }],
  ])('claimFor: %s', (_name, spec, want) => {
    const pvc = claimFor(dv(undefined, spec));
    expect(pvc.metadata).toMatchObject({ name: 'disk', namespace: 'ns', annotations: { ...want.annotations, 'cdi.kubevirt.io/storage.contentType': 'kubevirt', 'cdi.kubevirt.io/createdForDataVolume': 'dv-uid' } });
    expect(pvc.metadata.ownerReferences).toEqual([{ ...owned[0], blockOwnerDeletion: true }]);
    expect(pvc.spec).toEqual(want.spec);
  });
});
