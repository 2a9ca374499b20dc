// Service and EndpointSlice rules that span fields, with Kubernetes' field paths and wording
// (pkg/apis/core/validation ValidateService, pkg/apis/discovery/validation).
import { isIP } from 'node:net';
import { CauseReason, StatusCause } from '../status/status';
import { isDns1123Label, isPortNumber } from './names';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const show = (value: unknown): string => JSON.stringify(value);
const invalidCause = (field: string, value: unknown, why: string): StatusCause => ({ reason: CauseReason.Invalid, field, message: `Invalid value: ${show(value)}: ${why}` });
const required = (field: string, why = ''): StatusCause => ({ reason: CauseReason.Required, field, message: why ? `Required value: ${why}` : 'Required value' });
const duplicate = (field: string, value: unknown): StatusCause => ({ reason: CauseReason.Duplicate, field, message: `Duplicate value: ${show(value)}` });
const forbidden = (field: string, why: string): StatusCause => ({ reason: CauseReason.Forbidden, field, message: `Forbidden: ${why}` });
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

const IP_MESSAGE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
/** Kubernetes' MaxClientIPServiceAffinitySeconds. */
export const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;
export const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

const needsNodePorts = (type: unknown): boolean => type === 'NodePort' || type === 'LoadBalancer';

/** Kubernetes' apiservice.ExternallyAccessible: node ports, or a ClusterIP Service with external IPs. */
export function externallyAccessible(spec: Obj): boolean {
  return needsNodePorts(spec.type) || ((spec.type === undefined || spec.type === 'ClusterIP') && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
}

function checkTrafficPolicies(spec: Obj, causes: StatusCause[]): void {
  if (spec.externalTrafficPolicy !== undefined && spec.externalTrafficPolicy !== null && !externallyAccessible(spec)) {
    causes.push(invalidCause('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  }
  const needsHealthCheck = spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
  if (!needsHealthCheck && typeof spec.healthCheckNodePort === 'number' && spec.healthCheckNodePort !== 0) {
    causes.push(invalidCause('spec.healthCheckNodePort', spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  // A LoadBalancer with the Local policy needs a health-check node port served by every node's
  // proxy for the balancer to find the nodes with endpoints; there is none here, so refuse it
  // rather than accept a policy no load balancer could honour.
  if (needsHealthCheck) {
    causes.push(invalidCause('spec.externalTrafficPolicy', 'Local', "not supported for `type` 'LoadBalancer' (no load-balancer health checks are served); use `type` 'NodePort' with 'Local', or 'Cluster'"));
  }
}

function checkServicePorts(spec: Obj, causes: StatusCause[]): void {
  const ports = list(spec.ports);
  const names = new Set<string>();
  const keys = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((port, i) => {
    const at = `spec.ports[${i}]`;
    if (ports.length > 1 && (port.name === undefined || port.name === '')) causes.push(required(`${at}.name`));
    if (typeof port.name === 'string' && port.name !== '') {
      for (const problem of isDns1123Label(port.name)) causes.push(invalidCause(`${at}.name`, port.name, problem));
      if (names.has(port.name)) causes.push(duplicate(`${at}.name`, port.name));
      names.add(port.name);
    }
    if (typeof port.port === 'number') for (const problem of isPortNumber(port.port)) causes.push(invalidCause(`${at}.port`, port.port, problem));
    const protocol = port.protocol ?? 'TCP';
    const key = `${port.port}/${protocol}`;
    if (keys.has(key)) causes.push(duplicate(at, { port: port.port, protocol }));
    keys.add(key);
    if (typeof port.targetPort === 'number' && port.targetPort === 0) causes.push(invalidCause(`${at}.targetPort`, 0, 'must be between 1 and 65535, inclusive'));
    const nodePort = port.nodePort;
    if (typeof nodePort === 'number' && nodePort !== 0) {
      if (spec.type === 'ClusterIP' || spec.type === undefined) causes.push(forbidden(`${at}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
      for (const problem of isPortNumber(nodePort)) causes.push(invalidCause(`${at}.nodePort`, nodePort, problem));
      const nodeKey = `${nodePort}/${protocol}`;
      if (nodePorts.has(nodeKey)) causes.push(duplicate(`${at}.nodePort`, nodePort));
      nodePorts.add(nodeKey);
    }
  });
}

function checkClusterIPs(spec: Obj, causes: StatusCause[]): void {
  const clusterIP = spec.clusterIP;
  const clusterIPs: unknown[] = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  if (typeof clusterIP === 'string' && clusterIP !== '' && clusterIPs.length > 0 && clusterIPs[0] !== clusterIP) {
    causes.push(invalidCause('spec.clusterIPs', clusterIPs, 'first value must match `clusterIP`'));
  }
  clusterIPs.forEach((ip, i) => {
    if (ip === 'None') {
      if (i > 0 || clusterIPs.length > 1) causes.push(invalidCause(`spec.clusterIPs[${i}]`, ip, "'None' must be the first and only value"));
      if (needsNodePorts(spec.type)) causes.push(invalidCause('spec.clusterIPs[0]', ip, `may not be set to 'None' for ${spec.type} services`));
      return;
    }
    if (typeof ip === 'string' && isIP(ip) === 0) causes.push(invalidCause(`spec.clusterIPs[${i}]`, ip, IP_MESSAGE));
  });
  if (clusterIPs.length > 2) causes.push(invalidCause('spec.clusterIPs', clusterIPs, 'may only hold up to 2 values'));
  if (typeof clusterIP === 'string' && clusterIP !== '' && clusterIPs.length === 0) {
    if (clusterIP === 'None' && needsNodePorts(spec.type)) causes.push(invalidCause('spec.clusterIPs[0]', clusterIP, `may not be set to 'None' for ${spec.type} services`));
    else if (clusterIP !== 'None' && isIP(clusterIP) === 0) causes.push(invalidCause('spec.clusterIPs[0]', clusterIP, IP_MESSAGE));
  }
}

/**
 * The cluster is IPv4 single-stack (the allocator hands out IPv4 addresses only): IPv6 and a
 * required second family are refused as Kubernetes refuses them on such a cluster;
 * PreferDualStack is honoured as single-stack, as there.
 */
function checkIpFamilies(spec: Obj, causes: StatusCause[]): void {
  const families: unknown[] = Array.isArray(spec.ipFamilies) ? spec.ipFamilies : [];
  const seen = new Set<unknown>();
  families.forEach((family, i) => {
    const field = `spec.ipFamilies[${i}]`;
    if (family !== 'IPv4' && family !== 'IPv6') causes.push({ reason: CauseReason.NotSupported, field, message: `Unsupported value: ${show(family)}: supported values: "IPv4", "IPv6"` });
    else if (seen.has(family)) causes.push(duplicate(field, family));
    else if (family === 'IPv6') causes.push(invalidCause(field, family, 'not configured on this cluster'));
    seen.add(family);
  });
  if (families.length > 2) causes.push(invalidCause('spec.ipFamilies', families, 'may only hold up to 2 values'));
  if (spec.ipFamilyPolicy === 'RequireDualStack') causes.push(invalidCause('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
}

function checkSessionAffinity(spec: Obj, causes: StatusCause[]): void {
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (spec.sessionAffinity === 'ClientIP') {
    if (timeout !== undefined && (typeof timeout !== 'number' || timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS)) {
      causes.push(invalidCause('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`));
    }
  } else if (spec.sessionAffinityConfig !== undefined && spec.sessionAffinityConfig !== null) {
    causes.push(forbidden('spec.sessionAffinityConfig', `must not be set when session affinity is ${spec.sessionAffinity ?? 'None'}`));
  }
}

/** Service names are DNS-1035 labels: they become DNS names and environment variable prefixes. */
function checkServiceName(name: unknown, causes: StatusCause[]): void {
  if (typeof name === 'string' && name !== '' && !/^[a-z]/.test(name)) {
    causes.push(invalidCause('metadata.name', name, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"));
  }
}

export function checkService(obj: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  checkServiceName(obj.metadata?.name, causes);
  const spec = obj.spec;
  if (!isObj(spec)) return [...causes, required('spec')];
  const headless = spec.clusterIP === 'None' || (Array.isArray(spec.clusterIPs) && spec.clusterIPs[0] === 'None');
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) causes.push(required('spec.externalName'));
    if (spec.clusterIP && spec.clusterIP !== '') causes.push(forbidden('spec.clusterIP', 'may not be set for ExternalName services'));
  } else {
    if (list(spec.ports).length === 0 && !headless) causes.push(required('spec.ports'));
    checkClusterIPs(spec, causes);
  }
  checkServicePorts(spec, causes);
  checkIpFamilies(spec, causes);
  checkSessionAffinity(spec, causes);
  checkTrafficPolicies(spec, causes);
  (Array.isArray(spec.externalIPs) ? spec.externalIPs : []).forEach((ip: unknown, i: number) => {
    if (typeof ip === 'string' && isIP(ip) === 0) causes.push(invalidCause(`spec.externalIPs[${i}]`, ip, IP_MESSAGE));
  });
  return causes;
}

/** Update rules: a Service's virtual IPs never change (except when becoming ExternalName). */
export function checkServiceUpdate(previous: Obj, next: Obj): StatusCause[] {
  const before: unknown[] = previous.spec?.clusterIPs ?? (previous.spec?.clusterIP ? [previous.spec.clusterIP] : []);
  const after: unknown[] = next.spec?.clusterIPs ?? (next.spec?.clusterIP ? [next.spec.clusterIP] : []);
  if (next.spec?.type === 'ExternalName' || before.length === 0 || previous.spec?.type === 'ExternalName') return [];
  if (after.length > 0 && after[0] !== before[0]) return [invalidCause('spec.clusterIPs[0]', after[0], 'may not change once set')];
  return [];
}

const MAX_ADDRESSES = 100;
const MAX_ENDPOINTS = 1000;
const MAX_PORTS = 20000;

function checkAddress(addressType: unknown, address: unknown, field: string, causes: StatusCause[]): void {
  if (typeof address !== 'string') return;
  if (addressType === 'IPv4' && isIP(address) !== 4) causes.push(invalidCause(field, address, 'must be a valid IPv4 address'));
  if (addressType === 'IPv6' && isIP(address) !== 6) causes.push(invalidCause(field, address, 'must be a valid IPv6 address'));
}

export function checkEndpointSlice(obj: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const endpoints = list(obj.endpoints);
  if (endpoints.length > MAX_ENDPOINTS) causes.push({ reason: CauseReason.TooMany, field: 'endpoints', message: `Too many: ${endpoints.length}: must have at most ${MAX_ENDPOINTS} items` });
  endpoints.forEach((endpoint, i) => {
    const addresses: unknown[] = Array.isArray(endpoint.addresses) ? endpoint.addresses : [];
    if (addresses.length === 0) causes.push(required(`endpoints[${i}].addresses`, 'must contain at least 1 address'));
    if (addresses.length > MAX_ADDRESSES) causes.push({ reason: CauseReason.TooMany, field: `endpoints[${i}].addresses`, message: `Too many: ${addresses.length}: must have at most ${MAX_ADDRESSES} items` });
    addresses.forEach((address, j) => checkAddress(obj.addressType, address, `endpoints[${i}].addresses[${j}]`, causes));
    if (typeof endpoint.hostname === 'string') for (const problem of isDns1123Label(endpoint.hostname)) causes.push(invalidCause(`endpoints[${i}].hostname`, endpoint.hostname, problem));
  });
  const ports = list(obj.ports);
  if (ports.length > MAX_PORTS) causes.push({ reason: CauseReason.TooMany, field: 'ports', message: `Too many: ${ports.length}: must have at most ${MAX_PORTS} items` });
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const name = port.name ?? '';
    if (name !== '') for (const problem of isDns1123Label(name)) causes.push(invalidCause(`ports[${i}].name`, name, problem));
    if (names.has(name)) causes.push(duplicate(`ports[${i}].name`, name));
    names.add(name);
    if (typeof port.port === 'number') for (const problem of isPortNumber(port.port)) causes.push(invalidCause(`ports[${i}].port`, port.port, problem));
  });
  return causes;
}

export function checkEndpointSliceUpdate(previous: Obj, next: Obj): StatusCause[] {
  return previous.addressType === next.addressType ? [] : [invalidCause('addressType', next.addressType, 'field is immutable')];
}
