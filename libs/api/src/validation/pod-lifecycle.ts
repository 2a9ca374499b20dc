// Structure of the free-form pod fields `containers[].lifecycle`, `hostAliases` and `os` (kept
// as AnyValue in types/pod.ts): the rules Kubernetes' validateLifecycle / validateHandler /
// ValidateHostAliases apply, and the unknown keys its strict decoder reports (a `preStopp`
// typo is an unknown field: 400 under Strict, pruned with a warning under Warn).
import { isIP } from 'node:net';
import { CauseReason, StatusCause } from '../status/status';
import { isDns1123Subdomain, isPortName, isPortNumber } from './names';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const show = (value: unknown): string => JSON.stringify(value);
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalid = (field: string, value: unknown, why: string): StatusCause => ({ reason: CauseReason.Invalid, field, message: `Invalid value: ${show(value)}: ${why}` });
const required = (field: string, why = ''): StatusCause => ({ reason: CauseReason.Required, field, message: why ? `Required value: ${why}` : 'Required value' });
const forbidden = (field: string, why: string): StatusCause => ({ reason: CauseReason.Forbidden, field, message: `Forbidden: ${why}` });

/** The fields of each free-form object, as v1 defines them (nested objects by name). */
const SHAPES: Record<string, Record<string, string | undefined>> = {
  Lifecycle: { postStart: 'LifecycleHandler', preStop: 'LifecycleHandler', stopSignal: undefined },
  LifecycleHandler: { exec: 'ExecAction', httpGet: 'HTTPGetAction', tcpSocket: 'TCPSocketAction', sleep: 'SleepAction' },
  ExecAction: { command: undefined },
  HTTPGetAction: { path: undefined, port: undefined, host: undefined, scheme: undefined, httpHeaders: 'HTTPHeader[]' },
  HTTPHeader: { name: undefined, value: undefined },
  TCPSocketAction: { port: undefined, host: undefined },
  SleepAction: { seconds: undefined },
  HostAlias: { ip: undefined, hostnames: undefined },
  PodOS: { name: undefined },
};

const HANDLER_TYPES = Object.keys(SHAPES.LifecycleHandler);

/** Paths of keys `value` (of shape `shape`, at `path`) has but v1 does not define. */
function unknownKeys(value: unknown, shape: string, path: string, out: string[]): void {
  const isList = shape.endsWith('[]');
  if (isList) {
    if (Array.isArray(value)) value.forEach((item, i) => unknownKeys(item, shape.slice(0, -2), `${path}[${i}]`, out));
    return;
  }
  if (!isObj(value)) return;
  const fields = SHAPES[shape];
  for (const [key, child] of Object.entries(value)) {
    if (!(key in fields)) out.push(`${path}.${key}`);
    else if (fields[key]) unknownKeys(child, fields[key]!, `${path}.${key}`, out);
  }
}

/** Unknown keys inside a pod spec's lifecycle hooks, host aliases and os. */
export function podSpecUnknownFields(spec: unknown, path: string): string[] {
  const out: string[] = [];
  if (!isObj(spec)) return out;
  for (const key of ['containers', 'initContainers']) {
    if (!Array.isArray(spec[key])) continue;
    spec[key].forEach((c: unknown, i: number) => {
      if (isObj(c)) unknownKeys(c.lifecycle, 'Lifecycle', `${path}.${key}[${i}].lifecycle`, out);
    });
  }
  unknownKeys(spec.hostAliases, 'HostAlias[]', `${path}.hostAliases`, out);
  unknownKeys(spec.os, 'PodOS', `${path}.os`, out);
  return out;
}

function checkPort(port: unknown, field: string, causes: StatusCause[]): void {
  if (port === undefined || port === null || port === '') return void causes.push(required(field));
  if (typeof port === 'number') for (const p of isPortNumber(port)) causes.push(invalid(field, port, p));
  else if (typeof port === 'string') for (const p of isPortName(port)) causes.push(invalid(field, port, p));
  else causes.push(invalid(field, port, 'must be a port number or name'));
}

function checkHandler(handler: unknown, path: string, gracePeriod: number | undefined, causes: StatusCause[]): void {
  if (!isObj(handler)) return void causes.push(invalid(path, handler, 'must be an object'));
  const types = HANDLER_TYPES.filter((t) => handler[t] !== undefined && handler[t] !== null);
  if (types.length === 0) return void causes.push(required(path, 'must specify a handler type'));
  if (types.length > 1) return void causes.push(forbidden(`${path}.${types[1]}`, 'may not specify more than 1 handler type'));
  const type = types[0];
  const action = handler[type];
  const at = `${path}.${type}`;
  if (!isObj(action)) return void causes.push(invalid(at, action, 'must be an object'));
  if (type === 'exec') {
    const command = action.command;
    if (!Array.isArray(command) || command.length === 0) causes.push(required(`${at}.command`));
    else if (command.some((s) => typeof s !== 'string')) causes.push(invalid(`${at}.command`, command, 'must be a list of strings'));
  } else if (type === 'httpGet') {
    checkPort(action.port, `${at}.port`, causes);
    if (action.path !== undefined && typeof action.path !== 'string') causes.push(invalid(`${at}.path`, action.path, 'must be a string'));
    if (action.host !== undefined && typeof action.host !== 'string') causes.push(invalid(`${at}.host`, action.host, 'must be a string'));
    if (action.scheme !== undefined && action.scheme !== 'HTTP' && action.scheme !== 'HTTPS') {
      causes.push({ reason: CauseReason.NotSupported, field: `${at}.scheme`, message: `Unsupported value: ${show(action.scheme)}: supported values: "HTTP", "HTTPS"` });
    }
    if (action.httpHeaders !== undefined && !Array.isArray(action.httpHeaders)) causes.push(invalid(`${at}.httpHeaders`, action.httpHeaders, 'must be a list'));
    (Array.isArray(action.httpHeaders) ? action.httpHeaders : []).forEach((h: unknown, i: number) => {
      if (!isObj(h) || typeof h.name !== 'string' || h.name === '') causes.push(required(`${at}.httpHeaders[${i}].name`));
      else if (typeof h.value !== 'string') causes.push(invalid(`${at}.httpHeaders[${i}].value`, h.value, 'must be a string'));
    });
  } else if (type === 'tcpSocket') {
    checkPort(action.port, `${at}.port`, causes);
  } else {
    const seconds = action.seconds;
    const limit = gracePeriod ?? Infinity;
    if (!Number.isSafeInteger(seconds) || seconds <= 0 || seconds > limit) {
      causes.push(invalid(at, seconds ?? null, `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod ?? 30})`));
    }
  }
}

/** `containers[i].lifecycle` at `path`; `gracePeriod` bounds sleep (Kubernetes' rule). */
export function checkLifecycle(lifecycle: unknown, path: string, gracePeriod: number | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  if (lifecycle === undefined || lifecycle === null) return causes;
  if (!isObj(lifecycle)) return [invalid(path, lifecycle, 'must be an object')];
  for (const hook of ['postStart', 'preStop']) {
    if (lifecycle[hook] !== undefined && lifecycle[hook] !== null) checkHandler(lifecycle[hook], `${path}.${hook}`, gracePeriod, causes);
  }
  if (lifecycle.stopSignal !== undefined && lifecycle.stopSignal !== null) {
    causes.push(forbidden(`${path}.stopSignal`, 'not supported by this cluster (its nodes stop containers with SIGTERM, then SIGKILL after the grace period)'));
  }
  return causes;
}

/** `spec.hostAliases`: each an IP address with at least one host name (written into /etc/hosts). */
export function checkHostAliases(aliases: unknown, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (aliases === undefined || aliases === null) return causes;
  if (!Array.isArray(aliases)) return [invalid(path, aliases, 'must be a list')];
  aliases.forEach((alias: unknown, i: number) => {
    const at = `${path}[${i}]`;
    if (!isObj(alias)) return void causes.push(invalid(at, alias, 'must be an object'));
    if (typeof alias.ip !== 'string' || isIP(alias.ip) === 0) causes.push(invalid(`${at}.ip`, alias.ip ?? '', 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    const hostnames = alias.hostnames;
    if (!Array.isArray(hostnames) || hostnames.length === 0) return void causes.push(required(`${at}.hostnames`, 'at least one host name'));
    hostnames.forEach((h: unknown, j: number) => {
      const problems = typeof h === 'string' ? isDns1123Subdomain(h) : ['must be a string'];
      for (const p of problems) causes.push(invalid(`${at}.hostnames[${j}]`, h, p));
    });
  });
  return causes;
}
