// Pod volume, env reference and envFrom rules (Kubernetes' validateVolumes / validateEnv):
// every volume has exactly one source Coxswain can mount — others are refused, never ignored.
import { Quantity } from '../quantity/quantity';
import { CauseReason, StatusCause } from '../status/status';
import { isConfigMapKey } from './config';
import { isDns1123Subdomain, isEnvVarName } from './names';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const show = (value: unknown): string => JSON.stringify(value);
const invalidCause = (field: string, value: unknown, why: string): StatusCause => ({ reason: CauseReason.Invalid, field, message: `Invalid value: ${show(value)}: ${why}` });
const required = (field: string, why?: string): StatusCause => ({ reason: CauseReason.Required, field, message: why ? `Required value: ${why}` : 'Required value' });
const forbidden = (field: string, why: string): StatusCause => ({ reason: CauseReason.Forbidden, field, message: `Forbidden: ${why}` });
const notSupported = (field: string, value: unknown, supported: string[]): StatusCause => ({
  reason: CauseReason.NotSupported,
  field,
  message: `Unsupported value: ${show(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
});

/** Volume sources the node agent mounts. */
export const SUPPORTED_VOLUME_SOURCES = ['emptyDir', 'hostPath', 'configMap', 'secret', 'downwardAPI', 'projected', 'persistentVolumeClaim'];
/** Known Kubernetes sources that wait on APIs Coxswain does not serve yet. */
/** Why no ServiceAccount token can be mounted (Kubernetes' TokenRequest needs a token issuer Coxswain does not run). */
export const NO_TOKEN_ISSUER = 'Coxswain issues no ServiceAccount tokens (no TokenRequest API and no service-account signing key), so no token can be mounted';
const PENDING_SOURCES: Record<string, string> = {
  ephemeral: 'generic ephemeral volumes are not supported yet; create a PersistentVolumeClaim and use persistentVolumeClaim',
};
const HOST_PATH_TYPES = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];
const VOLUME_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'metadata.labels', 'metadata.annotations'];
const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
const RESOURCES = ['limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage'];
const SUBSCRIPTED = /^metadata\.(labels|annotations)\['[^']+'\]$/;

/** Relative, without `..` elements, not starting with `..` (validateLocalDescendingPath). */
function checkLocalPath(path: unknown, field: string, causes: StatusCause[]): void {
  if (typeof path !== 'string' || path === '') return void causes.push(required(field));
  if (path.startsWith('/')) causes.push(invalidCause(field, path, 'must be a relative path'));
  if (path.split('/').includes('..')) causes.push(invalidCause(field, path, "must not contain '..'"));
  else if (path.startsWith('..')) causes.push(invalidCause(field, path, "must not start with '..'"));
}

function checkMode(mode: unknown, field: string, causes: StatusCause[]): void {
  if (mode === undefined) return;
  if (!Number.isInteger(mode) || (mode as number) < 0 || (mode as number) > 0o777) causes.push(invalidCause(field, mode, 'must be a number between 0 and 0777 (octal), both inclusive'));
}

function checkKeyToPaths(items: unknown, path: string, causes: StatusCause[]): void {
  list(items).forEach((item, i) => {
    const at = `${path}.items[${i}]`;
    if (typeof item.key !== 'string' || item.key === '') causes.push(required(`${at}.key`));
    else for (const p of isConfigMapKey(item.key)) causes.push(invalidCause(`${at}.key`, item.key, p));
    checkLocalPath(item.path, `${at}.path`, causes);
    checkMode(item.mode, `${at}.mode`, causes);
  });
}

function checkObjectRef(source: Obj, nameField: string, path: string, causes: StatusCause[]): void {
  const name = source[nameField];
  if (typeof name !== 'string' || name === '') causes.push(required(`${path}.${nameField}`));
  else for (const p of isDns1123Subdomain(name)) causes.push(invalidCause(`${path}.${nameField}`, name, p));
  checkKeyToPaths(source.items, path, causes);
}

function checkDownwardItems(items: unknown, path: string, causes: StatusCause[]): void {
  list(items).forEach((item, i) => {
    const at = `${path}.items[${i}]`;
    checkLocalPath(item.path, `${at}.path`, causes);
    checkMode(item.mode, `${at}.mode`, causes);
    const sources = ['fieldRef', 'resourceFieldRef'].filter((s) => item[s] !== undefined);
    if (sources.length !== 1) return void causes.push(invalidCause(at, '', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    if (isObj(item.fieldRef)) {
      const fp = item.fieldRef.fieldPath;
      if (!VOLUME_FIELD_PATHS.includes(fp) && !SUBSCRIPTED.test(String(fp))) causes.push(notSupported(`${at}.fieldRef.fieldPath`, fp, VOLUME_FIELD_PATHS));
    }
    if (isObj(item.resourceFieldRef)) {
      if (!item.resourceFieldRef.containerName) causes.push(required(`${at}.resourceFieldRef.containerName`));
      if (!RESOURCES.includes(item.resourceFieldRef.resource)) causes.push(notSupported(`${at}.resourceFieldRef.resource`, item.resourceFieldRef.resource, RESOURCES));
    }
  });
}

function checkProjected(projected: Obj, path: string, causes: StatusCause[]): void {
  checkMode(projected.defaultMode, `${path}.defaultMode`, causes);
  list(projected.sources).forEach((source, i) => {
    const at = `${path}.sources[${i}]`;
    const kinds = Object.keys(source);
    if (kinds.length !== 1) return void causes.push(forbidden(at, 'may not specify more than 1 volume type per source'));
    const [kind] = kinds;
    if (kind === 'configMap') checkObjectRef(source.configMap, 'name', `${at}.configMap`, causes);
    else if (kind === 'secret') checkObjectRef(source.secret, 'name', `${at}.secret`, causes);
    else if (kind === 'downwardAPI') checkDownwardItems(source.downwardAPI?.items, `${at}.downwardAPI`, causes);
    else if (kind === 'serviceAccountToken') causes.push(forbidden(`${at}.serviceAccountToken`, `projected source serviceAccountToken is not supported: ${NO_TOKEN_ISSUER}`));
    else causes.push(forbidden(`${at}.${kind}`, `projected source ${kind} is not supported`));
  });
}

function checkVolume(v: Obj, at: string, causes: StatusCause[]): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  // Defaulting adds emptyDir to a volume with no source it knows, so report the unknown one.
  const unknown = sources.filter((s) => !SUPPORTED_VOLUME_SOURCES.includes(s));
  for (const s of unknown) causes.push(forbidden(`${at}.${s}`, PENDING_SOURCES[s] ?? `volume type ${s} is not supported by Coxswain`));
  if (unknown.length) return;
  if (sources.length > 1) return void causes.push(forbidden(`${at}.${sources[1]}`, 'may not specify more than 1 volume type'));
  if (isObj(v.hostPath)) {
    if (typeof v.hostPath.path !== 'string' || v.hostPath.path === '') causes.push(required(`${at}.hostPath.path`));
    if (v.hostPath.type !== undefined && !HOST_PATH_TYPES.includes(v.hostPath.type)) causes.push(notSupported(`${at}.hostPath.type`, v.hostPath.type, HOST_PATH_TYPES));
  }
  if (isObj(v.emptyDir)) {
    if (v.emptyDir.medium !== undefined && v.emptyDir.medium !== '' && v.emptyDir.medium !== 'Memory') causes.push(notSupported(`${at}.emptyDir.medium`, v.emptyDir.medium, ['', 'Memory']));
    if (v.emptyDir.sizeLimit !== undefined && !Quantity.tryParse(String(v.emptyDir.sizeLimit))) causes.push(invalidCause(`${at}.emptyDir.sizeLimit`, v.emptyDir.sizeLimit, 'must be a quantity'));
  }
  if (isObj(v.configMap)) {
    checkObjectRef(v.configMap, 'name', `${at}.configMap`, causes);
    checkMode(v.configMap.defaultMode, `${at}.configMap.defaultMode`, causes);
  }
  if (isObj(v.secret)) {
    checkObjectRef(v.secret, 'secretName', `${at}.secret`, causes);
    checkMode(v.secret.defaultMode, `${at}.secret.defaultMode`, causes);
  }
  if (isObj(v.downwardAPI)) {
    checkDownwardItems(v.downwardAPI.items, `${at}.downwardAPI`, causes);
    checkMode(v.downwardAPI.defaultMode, `${at}.downwardAPI.defaultMode`, causes);
  }
  if (isObj(v.projected)) checkProjected(v.projected, `${at}.projected`, causes);
  if (isObj(v.persistentVolumeClaim)) {
    const claim = v.persistentVolumeClaim.claimName;
    if (typeof claim !== 'string' || claim === '') causes.push(required(`${at}.persistentVolumeClaim.claimName`));
    else for (const p of isDns1123Subdomain(claim)) causes.push(invalidCause(`${at}.persistentVolumeClaim.claimName`, claim, p));
  }
}

export function checkVolumes(volumes: unknown, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  list(volumes).forEach((v, i) => checkVolume(v, `${path}[${i}]`, causes));
  return causes;
}

function checkKeyRef(ref: unknown, at: string, causes: StatusCause[]): void {
  if (!isObj(ref)) return;
  if (!ref.name) causes.push(required(`${at}.name`));
  if (typeof ref.key !== 'string' || ref.key === '') causes.push(required(`${at}.key`));
  else for (const p of isConfigMapKey(ref.key)) causes.push(invalidCause(`${at}.key`, ref.key, p));
}

/** env[].valueFrom and envFrom[] of one container. */
export function checkEnvSources(container: Obj, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  list(container.env).forEach((env, j) => {
    const from = env.valueFrom;
    if (!isObj(from)) return;
    const path = `${at}.env[${j}].valueFrom`;
    const kinds = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => from[k] !== undefined);
    if (kinds.length === 0) return void causes.push(invalidCause(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    if (kinds.length > 1) return void causes.push(invalidCause(path, '', 'may not have more than one field specified at a time'));
    checkKeyRef(from.configMapKeyRef, `${path}.configMapKeyRef`, causes);
    checkKeyRef(from.secretKeyRef, `${path}.secretKeyRef`, causes);
    if (isObj(from.fieldRef)) {
      const fp = from.fieldRef.fieldPath;
      if (typeof fp !== 'string' || fp === '') causes.push(required(`${path}.fieldRef.fieldPath`));
      else if (!ENV_FIELD_PATHS.includes(fp) && !SUBSCRIPTED.test(fp)) causes.push(notSupported(`${path}.fieldRef.fieldPath`, fp, ENV_FIELD_PATHS));
    }
    if (isObj(from.resourceFieldRef) && !RESOURCES.includes(from.resourceFieldRef.resource)) causes.push(notSupported(`${path}.resourceFieldRef.resource`, from.resourceFieldRef.resource, RESOURCES));
  });
  list(container.envFrom).forEach((source, j) => {
    const path = `${at}.envFrom[${j}]`;
    const kinds = ['configMapRef', 'secretRef'].filter((k) => source[k] !== undefined);
    if (kinds.length !== 1) return void causes.push(invalidCause(path, '', 'may not have more than one field specified at a time'));
    const ref = source[kinds[0]];
    if (!isObj(ref) || !ref.name) causes.push(required(`${path}.${kinds[0]}.name`));
    if (typeof source.prefix === 'string' && source.prefix !== '') for (const p of isEnvVarName(source.prefix)) causes.push(invalidCause(`${path}.prefix`, source.prefix, p));
  });
  list(container.volumeMounts).forEach((m, j) => {
    if (typeof m.subPath !== 'string' || m.subPath === '') return;
    const field = `${at}.volumeMounts[${j}].subPath`;
    if (m.subPath.startsWith('/')) causes.push(invalidCause(field, m.subPath, 'must be a relative path'));
    if (m.subPath.split('/').includes('..')) causes.push(invalidCause(field, m.subPath, "must not contain '..'"));
  });
  return causes;
}
