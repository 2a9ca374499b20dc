// PersistentVolume, PersistentVolumeClaim and StorageClass rules (Kubernetes'
// ValidatePersistentVolume / ValidatePersistentVolumeClaim / ValidateStorageClass and their
// update rules), and their defaults. What a Coxswain node cannot honour (block volumes,
// network sources, Recycle, expansion, populators) is refused, never ignored.
import { Quantity } from '../quantity/quantity';
import { CauseReason, StatusCause } from '../status/status';
import { ACCESS_MODES, storageQuantity } from '../types/storage-constants';
export { storageQuantity };
import { isDns1123Subdomain, isQualifiedName } from './names';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (value: unknown): string => JSON.stringify(value);
const invalidCause = (field: string, value: unknown, why: string): StatusCause => ({ reason: CauseReason.Invalid, field, message: `Invalid value: ${show(value)}: ${why}` });
const required = (field: string, why?: string): StatusCause => ({ reason: CauseReason.Required, field, message: why ? `Required value: ${why}` : 'Required value' });
const forbidden = (field: string, why: string): StatusCause => ({ reason: CauseReason.Forbidden, field, message: `Forbidden: ${why}` });
const notSupported = (field: string, value: unknown, supported: readonly string[]): StatusCause => ({
  reason: CauseReason.NotSupported,
  field,
  message: `Unsupported value: ${show(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
});
const setDefault = (obj: Obj, key: string, value: unknown) => {
  if (obj[key] === undefined) obj[key] = value;
};

/** PV sources a node agent mounts (a directory on the node). */
export const MOUNTABLE_PV_SOURCES = ['hostPath', 'local'];
/** PV sources Kubernetes knows; any other spec key is not a source. */
const PV_SOURCES = [...MOUNTABLE_PV_SOURCES, 'nfs', 'csi', 'iscsi', 'fc', 'rbd', 'cephfs', 'glusterfs', 'awsElasticBlockStore', 'gcePersistentDisk', 'azureDisk', 'azureFile', 'flexVolume', 'vsphereVolume'];
const SUPPORTED_RECLAIM = ['Delete', 'Retain'];
const SORTED_MODES = [...ACCESS_MODES].sort();

export function checkAccessModes(modes: unknown, field: string, causes: StatusCause[]): void {
  const list = Array.isArray(modes) ? modes : [];
  if (!list.length) return void causes.push(required(field, 'at least 1 access mode is required'));
  for (const mode of list) if (!(ACCESS_MODES as readonly string[]).includes(mode)) causes.push(notSupported(field, mode, SORTED_MODES));
  if (list.includes('ReadWriteOncePod') && list.length > 1) causes.push(forbidden(field, 'may not use ReadWriteOncePod with other access modes'));
}

export function checkPositiveStorage(map: unknown, field: string, causes: StatusCause[]): void {
  const value = isObj(map) ? map.storage : undefined;
  if (value === undefined) return void causes.push(required(field));
  const q = Quantity.tryParse(String(value));
  if (q && q.sign() <= 0) causes.push(invalidCause(field, String(value), 'must be greater than zero'));
}

export function checkClassName(name: unknown, field: string, causes: StatusCause[]): void {
  if (typeof name !== 'string' || name === '') return;
  for (const p of isDns1123Subdomain(name)) causes.push(invalidCause(field, name, p));
}

export function checkVolumeMode(mode: unknown, field: string, causes: StatusCause[]): void {
  if (mode === 'Block') causes.push(forbidden(field, 'raw block volumes are not supported by Coxswain nodes; use Filesystem'));
}

function checkNodeAffinity(affinity: unknown, field: string, causes: StatusCause[]): void {
  if (affinity === undefined) return;
  if (!isObj(affinity) || !isObj(affinity.required)) return void causes.push(required(`${field}.required`, 'must specify required node constraints'));
  const terms = affinity.required.nodeSelectorTerms;
  if (!Array.isArray(terms) || !terms.length) causes.push(required(`${field}.required.nodeSelectorTerms`, 'must have at least one node selector term'));
}

export function checkPersistentVolume(pv: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec: Obj = isObj(pv.spec) ? pv.spec : {};
  if (!isObj(spec.capacity)) causes.push(required('spec.capacity'));
  else {
    for (const key of Object.keys(spec.capacity)) if (key !== 'storage') causes.push(notSupported('spec.capacity', key, ['storage']));
    checkPositiveStorage(spec.capacity, 'spec.capacity[storage]', causes);
  }
  checkAccessModes(spec.accessModes, 'spec.accessModes', causes);
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy !== undefined && !SUPPORTED_RECLAIM.includes(policy)) causes.push(notSupported('spec.persistentVolumeReclaimPolicy', policy, SUPPORTED_RECLAIM));
  checkClassName(spec.storageClassName, 'spec.storageClassName', causes);
  checkVolumeMode(spec.volumeMode, 'spec.volumeMode', causes);
  checkNodeAffinity(spec.nodeAffinity, 'spec.nodeAffinity', causes);
  const sources = PV_SOURCES.filter((s) => spec[s] !== undefined);
  if (!sources.length) causes.push(required('spec', 'must specify a volume type'));
  else if (sources.length > 1) causes.push(forbidden(`spec.${sources[1]}`, 'may not specify more than 1 volume type'));
  for (const s of sources.filter((name) => !MOUNTABLE_PV_SOURCES.includes(name))) causes.push(forbidden(`spec.${s}`, `volume type ${s} is not supported by Coxswain nodes; use local or hostPath`));
  for (const s of sources.filter((name) => MOUNTABLE_PV_SOURCES.includes(name))) {
    const path = spec[s]?.path;
    if (typeof path !== 'string' || path === '') causes.push(required(`spec.${s}.path`));
    else if (!path.startsWith('/')) causes.push(invalidCause(`spec.${s}.path`, path, 'must be an absolute path'));
    else if (path.split('/').includes('..')) causes.push(invalidCause(`spec.${s}.path`, path, "must not contain '..'"));
  }
  if (spec.local !== undefined && spec.nodeAffinity === undefined) causes.push(required('spec.nodeAffinity', 'Local volume requires node affinity'));
  if (isObj(spec.claimRef) && !spec.claimRef.name) causes.push(required('spec.claimRef.name'));
  return causes;
}

export function checkPersistentVolumeClaim(pvc: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec: Obj = isObj(pvc.spec) ? pvc.spec : {};
  checkAccessModes(spec.accessModes, 'spec.accessModes', causes);
  checkPositiveStorage(spec.resources?.requests, 'spec.resources[storage]', causes);
  checkClassName(spec.storageClassName, 'spec.storageClassName', causes);
  checkVolumeMode(spec.volumeMode, 'spec.volumeMode', causes);
  if (typeof spec.volumeName === 'string' && spec.volumeName !== '') for (const p of isDns1123Subdomain(spec.volumeName)) causes.push(invalidCause('spec.volumeName', spec.volumeName, p));
  for (const field of ['dataSource', 'dataSourceRef']) if (spec[field] !== undefined) causes.push(forbidden(`spec.${field}`, 'volume populators are not supported by Coxswain'));
  return causes;
}

export function checkStorageClass(sc: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  // A missing provisioner is reported by the shape check (Req).
  if (typeof sc.provisioner === 'string' && sc.provisioner !== '') for (const p of isQualifiedName(sc.provisioner.toLowerCase())) causes.push(invalidCause('provisioner', sc.provisioner, p));
  if (isObj(sc.parameters) && Object.keys(sc.parameters).length > 512) causes.push({ reason: CauseReason.TooMany, field: 'parameters', message: `Too many: ${Object.keys(sc.parameters).length}: must have at most 512 items` });
  if (sc.provisioner === 'coxswain.io/local' && sc.volumeBindingMode !== 'WaitForFirstConsumer') {
    causes.push(notSupported('volumeBindingMode', sc.volumeBindingMode, ['WaitForFirstConsumer']));
  }
  if (sc.allowVolumeExpansion === true) causes.push(forbidden('allowVolumeExpansion', 'volume expansion is not supported by Coxswain provisioners'));
  return causes;
}

const withoutKeys = (obj: Obj, keys: string[]): Obj => Object.fromEntries(Object.entries(obj ?? {}).filter(([k]) => !keys.includes(k)));
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function checkPersistentVolumeClaimUpdate(previous: Obj, next: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const old = previous.spec ?? {};
  const now = next.spec ?? {};
  // The binder sets volumeName once; requests are checked on their own below.
  const volumeNameSet = !old.volumeName && now.volumeName;
  const ignored = ['resources', 'volumeAttributesClassName', ...(volumeNameSet ? ['volumeName'] : [])];
  if (!same(withoutKeys(old, ignored), withoutKeys(now, ignored))) causes.push(forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  const before = storageQuantity(old.resources?.requests);
  const after = storageQuantity(now.resources?.requests);
  if (before && after && before.cmp(after) !== 0) {
    causes.push(forbidden('spec.resources.requests.storage', after.cmp(before) < 0 ? 'field can not be less than previous value' : 'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize'));
  }
  return causes;
}

const PV_SOURCE_FIELDS = PV_SOURCES;

export function checkPersistentVolumeUpdate(previous: Obj, next: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const old = previous.spec ?? {};
  const now = next.spec ?? {};
  if (PV_SOURCE_FIELDS.some((s) => !same(old[s], now[s]))) causes.push(forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  if (old.nodeAffinity !== undefined && !same(old.nodeAffinity, now.nodeAffinity)) causes.push(invalidCause('spec.nodeAffinity', now.nodeAffinity ?? null, 'field is immutable'));
  if (!same(old.volumeMode, now.volumeMode)) causes.push(invalidCause('spec.volumeMode', now.volumeMode ?? null, 'field is immutable'));
  return causes;
}

export function checkStorageClassUpdate(previous: Obj, next: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!same(previous.parameters, next.parameters)) causes.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (previous.provisioner !== next.provisioner) causes.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (previous.reclaimPolicy !== next.reclaimPolicy) causes.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  if (previous.volumeBindingMode !== next.volumeBindingMode) causes.push(invalidCause('volumeBindingMode', next.volumeBindingMode ?? null, 'field is immutable'));
  return causes;
}

export function defaultPersistentVolume(pv: Obj): void {
  if (!isObj(pv.spec)) return;
  setDefault(pv.spec, 'persistentVolumeReclaimPolicy', 'Retain');
  setDefault(pv.spec, 'volumeMode', 'Filesystem');
}

export function defaultPersistentVolumeClaim(pvc: Obj): void {
  if (!isObj(pvc.spec)) return;
  setDefault(pvc.spec, 'volumeMode', 'Filesystem');
}

export function defaultStorageClass(sc: Obj): void {
  setDefault(sc, 'reclaimPolicy', 'Delete');
  setDefault(sc, 'volumeBindingMode', 'Immediate');
}
