// DataVolume rules (CDI's validating webhook, for what Coxswain imports): exactly one source,
// `registry.url` as docker://<image>, exactly one of `storage` and `pvc` with a size, and a
// spec that does not change once the import may have started. VM dataVolumeTemplates are
// checked with the same rules.
import { CauseReason, StatusCause } from '../status/status';
import { registryImageOf } from '../types/cdi-constants';
import { isDns1123Subdomain } from './names';
import { checkAccessModes, checkClassName, checkPositiveStorage, checkVolumeMode } from './storage';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const required = (field: string, why: string): StatusCause => ({ reason: CauseReason.Required, field, message: `Required value: ${why}` });
const forbidden = (field: string, why: string): StatusCause => ({ reason: CauseReason.Forbidden, field, message: `Forbidden: ${why}` });
const invalid = (field: string, value: unknown, why: string): StatusCause => ({ reason: CauseReason.Invalid, field, message: `Invalid value: ${JSON.stringify(value)}: ${why}` });

export const DATA_VOLUME_SOURCES = ['http', 's3', 'gcs', 'registry', 'pvc', 'upload', 'blank', 'imageio', 'vddk', 'snapshot'] as const;
/** The sources the node agent's importer handles. */
export const IMPORTABLE_SOURCES = ['registry', 'blank'];

export function checkDataVolumeSpec(spec: unknown, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!isObj(spec)) return causes;
  if (spec.sourceRef !== undefined) causes.push(forbidden(`${path}.sourceRef`, 'DataSource references are not supported by Coxswain; use source.registry or source.blank'));
  const source = isObj(spec.source) ? spec.source : undefined;
  if (!source) {
    if (spec.sourceRef === undefined) causes.push(required(`${path}.source`, 'missing Data volume source'));
  } else {
    const given = DATA_VOLUME_SOURCES.filter((s) => source[s] !== undefined);
    if (given.length !== 1) causes.push(invalid(`${path}.source`, given, `must specify exactly one source, one of ${IMPORTABLE_SOURCES.join(', ')}`));
    for (const s of given) {
      if (!IMPORTABLE_SOURCES.includes(s)) causes.push(forbidden(`${path}.source.${s}`, `${s} imports are not supported by Coxswain; use source.registry (a containerDisk image) or source.blank`));
    }
    if (isObj(source.registry)) causes.push(...checkRegistry(source.registry, `${path}.source.registry`));
  }
  if (spec.contentType === 'archive') causes.push(forbidden(`${path}.contentType`, 'archive content is not supported by Coxswain; only kubevirt (a VM disk image)'));
  const both = spec.storage !== undefined && spec.pvc !== undefined;
  if (both) causes.push(forbidden(`${path}.storage`, 'spec.storage and spec.pvc are mutually exclusive'));
  if (spec.storage === undefined && spec.pvc === undefined) causes.push(required(`${path}.pvc`, 'missing storage or pvc spec'));
  for (const key of ['pvc', 'storage'] as const) {
    const claim = spec[key];
    if (!isObj(claim)) continue;
    const at = `${path}.${key}`;
    // CDI defaults storage's access modes from the StorageClass; a plain pvc spec must state them.
    if (key === 'pvc' || claim.accessModes !== undefined) checkAccessModes(claim.accessModes, `${at}.accessModes`, causes);
    checkPositiveStorage(claim.resources?.requests, `${at}.resources[storage]`, causes);
    checkClassName(claim.storageClassName, `${at}.storageClassName`, causes);
    checkVolumeMode(claim.volumeMode, `${at}.volumeMode`, causes);
    for (const field of ['dataSource', 'dataSourceRef', 'volumeName', 'selector']) {
      if (claim[field] !== undefined) causes.push(forbidden(`${at}.${field}`, 'the claim of a DataVolume is provisioned for it; pre-bound volumes and selectors are not supported'));
    }
  }
  return causes;
}

function checkRegistry(registry: Obj, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (registry.imageStream !== undefined) causes.push(forbidden(`${at}.imageStream`, 'image streams are an OpenShift feature; use url'));
  else if (registry.url === undefined) causes.push(required(`${at}.url`, 'source registry should have url or imageStream'));
  else if (!registryImageOf(registry.url)) causes.push(invalid(`${at}.url`, registry.url, 'must be docker://<image> (oci-archive:// is not supported)'));
  for (const field of ['secretRef', 'certConfigMap', 'platform']) {
    if (registry[field] !== undefined) causes.push(forbidden(`${at}.${field}`, `${field} is not supported by Coxswain's importer; the node pulls with its registry configuration`));
  }
  return causes;
}

export function checkDataVolume(dv: Obj): StatusCause[] {
  return checkDataVolumeSpec(dv.spec, 'spec');
}

/** CDI's webhook refuses spec changes once a DataVolume exists (its claim was made from it). */
export function checkDataVolumeUpdate(previous: Obj, next: Obj): StatusCause[] {
  return JSON.stringify(previous.spec ?? null) === JSON.stringify(next.spec ?? null) ? [] : [forbidden('spec', 'Cannot update DataVolume Spec')];
}

/** A VM's dataVolumeTemplates: each names its DataVolume and carries a DataVolume spec. */
export function checkDataVolumeTemplates(templates: unknown, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (templates === undefined) return causes;
  if (!Array.isArray(templates)) return [invalid(path, templates, 'must be a list')];
  const names = new Set<string>();
  templates.forEach((t, i) => {
    const at = `${path}[${i}]`;
    if (!isObj(t)) return void causes.push(invalid(at, t, 'must be an object'));
    const name = isObj(t.metadata) ? t.metadata.name : undefined;
    if (typeof name !== 'string' || name === '') causes.push(required(`${at}.metadata.name`, 'a DataVolume template needs a name'));
    else {
      for (const p of isDns1123Subdomain(name)) causes.push(invalid(`${at}.metadata.name`, name, p));
      if (names.has(name)) causes.push({ reason: CauseReason.Duplicate, field: `${at}.metadata.name`, message: `Duplicate value: ${JSON.stringify(name)}` });
      names.add(name);
    }
    if (!isObj(t.spec)) causes.push(required(`${at}.spec`, 'a DataVolume template needs a spec'));
    else causes.push(...checkDataVolumeSpec(t.spec, `${at}.spec`));
  });
  return causes;
}
