// ConfigMap and Secret rules (Kubernetes' ValidateConfigMap/ValidateSecret and their update
// rules), and Secret's stringData merge, which Kubernetes does while decoding a write.
import { CauseReason, StatusCause } from '../status/status';
import { SECRET_TYPES } from '../types/config';
import { isDns1123Subdomain } from './names';
import { base64ToUtf8, isBase64, utf8ToBase64 } from '../meta/base64';
export { base64ToUtf8, isBase64, utf8ToBase64 };

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Kubernetes' MaxSecretSize, also the cap on a ConfigMap's data + binaryData. */
export const MAX_CONFIG_SIZE = 1024 * 1024;

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (value: unknown): string => JSON.stringify(value);
const invalidCause = (field: string, value: unknown, why: string): StatusCause => ({ reason: CauseReason.Invalid, field, message: `Invalid value: ${show(value)}: ${why}` });
const requiredCause = (field: string): StatusCause => ({ reason: CauseReason.Required, field, message: 'Required value' });

/** IsConfigMapKey: the keys of ConfigMap and Secret data (they become file names). */
export function isConfigMapKey(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 253) errors.push('must be no more than 253 characters');
  if (!CONFIG_KEY.test(value)) {
    errors.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
  }
  if (value === '.') errors.push("must not be '.'");
  else if (value === '..') errors.push("must not be '..'");
  else if (value.startsWith('..')) errors.push("must not start with '..'");
  return errors;
}

// No Buffer here: libs/api is also loaded in the browser.
const decodedLength = (b64: string): number => (b64.length / 4) * 3 - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);


/** Checks a map of config keys; `base64` values must decode. Returns the payload size in bytes. */
function checkPayload(map: unknown, path: string, base64: boolean, causes: StatusCause[]): number {
  if (map === undefined || map === null) return 0;
  if (!isObj(map)) {
    causes.push(invalidCause(path, map, 'must be a map of string keys to string values'));
    return 0;
  }
  let size = 0;
  for (const [key, value] of Object.entries(map)) {
    const field = `${path}[${key}]`;
    for (const problem of isConfigMapKey(key)) causes.push(invalidCause(field, key, problem));
    if (typeof value !== 'string') {
      causes.push(invalidCause(field, value, 'must be a string'));
      continue;
    }
    if (base64 && !isBase64(value)) {
      causes.push(invalidCause(field, '<value omitted>', 'must be base64-encoded (illegal base64 data)'));
      continue;
    }
    size += base64 ? decodedLength(value) : new TextEncoder().encode(value).length;
  }
  return size;
}

const tooLong = (field: string): StatusCause => ({ reason: CauseReason.TooLong, field, message: `Too long: may not be more than ${MAX_CONFIG_SIZE} bytes` });

export function checkConfigMap(obj: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  let size = checkPayload(obj.data, 'data', false, causes);
  size += checkPayload(obj.binaryData, 'binaryData', true, causes);
  if (isObj(obj.data) && isObj(obj.binaryData)) {
    for (const key of Object.keys(obj.binaryData)) {
      if (key in obj.data) causes.push(invalidCause(`binaryData[${key}]`, key, 'duplicate of key present in data'));
    }
  }
  if (size > MAX_CONFIG_SIZE) causes.push(tooLong(''));
  return causes;
}

const decoded = (data: Obj, key: string): string | undefined => (typeof data[key] === 'string' && isBase64(data[key]) ? base64ToUtf8(data[key]) : undefined);

/** The per-type rules of ValidateSecret. */
function checkSecretType(obj: Obj, data: Obj, causes: StatusCause[]): void {
  switch (obj.type) {
    case SECRET_TYPES.serviceAccountToken:
      if (!obj.metadata?.annotations?.['kubernetes.io/service-account.name']) causes.push(requiredCause('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    case SECRET_TYPES.dockercfg:
    case SECRET_TYPES.dockerConfigJson: {
      const key = obj.type === SECRET_TYPES.dockercfg ? '.dockercfg' : '.dockerconfigjson';
      if (data[key] === undefined) {
        causes.push(requiredCause(`data[${key}]`));
        break;
      }
      const text = decoded(data, key);
      if (text === undefined) break; // already reported as bad base64
      try {
        JSON.parse(text);
      } catch {
        // V8's JSON errors quote the input: say only that it is not JSON.
        causes.push(invalidCause(`data[${key}]`, '<secret contents redacted>', 'must be valid JSON'));
      }
      break;
    }
    case SECRET_TYPES.basicAuth:
      if (data.username === undefined && data.password === undefined) causes.push(requiredCause('data[username]'), requiredCause('data[password]'));
      break;
    case SECRET_TYPES.sshAuth:
      if (data['ssh-privatekey'] === undefined) causes.push(requiredCause('data[ssh-privatekey]'));
      break;
    case SECRET_TYPES.tls:
      if (data['tls.key'] === undefined) causes.push(requiredCause('data[tls.key]'));
      if (data['tls.crt'] === undefined) causes.push(requiredCause('data[tls.crt]'));
      break;
  }
}

export function checkSecret(obj: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const size = checkPayload(obj.data, 'data', true, causes);
  // Values stringData could not merge (not strings) stay behind and are reported here.
  if (obj.stringData !== undefined) checkPayload(obj.stringData, 'stringData', false, causes);
  if (size > MAX_CONFIG_SIZE) causes.push(tooLong('data'));
  if (typeof obj.type === 'string' && obj.type === '') causes.push(requiredCause('type'));
  checkSecretType(obj, isObj(obj.data) ? obj.data : {}, causes);
  return causes;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const immutableWhenSet = (field: string): StatusCause => ({ reason: CauseReason.Forbidden, field, message: 'Forbidden: field is immutable when `immutable` is set' });

/** ValidateConfigMapUpdate / ValidateSecretUpdate: `immutable` freezes the payload and itself. */
export function checkConfigUpdate(previous: Obj, next: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  if (previous.kind === 'Secret' && (previous.type ?? SECRET_TYPES.opaque) !== (next.type ?? SECRET_TYPES.opaque)) {
    causes.push(invalidCause('type', next.type ?? '', 'field is immutable'));
  }
  if (previous.immutable === true) {
    if (next.immutable !== true) causes.push(immutableWhenSet('immutable'));
    if (!same(previous.data, next.data)) causes.push(immutableWhenSet('data'));
    if (previous.kind === 'ConfigMap' && !same(previous.binaryData, next.binaryData)) causes.push(immutableWhenSet('binaryData'));
  }
  return causes;
}

/**
 * Secret defaults: type Opaque, and `stringData` merged into `data` (base64), stringData
 * winning on the same key. Non-string values are left in stringData for validation to report.
 */
export function defaultSecret(secret: Obj): void {
  if (secret.type === undefined || secret.type === null) secret.type = SECRET_TYPES.opaque;
  const stringData = secret.stringData;
  if (!isObj(stringData)) return;
  const data: Obj = isObj(secret.data) ? secret.data : {};
  for (const [key, value] of Object.entries(stringData)) {
    if (typeof value !== 'string') continue;
    data[key] = utf8ToBase64(value);
    delete stringData[key];
  }
  if (Object.keys(data).length || isObj(secret.data)) secret.data = data;
  if (Object.keys(stringData).length === 0) delete secret.stringData;
}

/** An object reference name (configMap/secret volumes, env refs). */
export function isObjectName(value: string): string[] {
  return isDns1123Subdomain(value);
}
