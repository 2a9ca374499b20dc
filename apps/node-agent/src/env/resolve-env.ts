// A container's environment as the kubelet builds it: envFrom first (prefix, invalid keys
// skipped with a warning), then env in order (value, configMapKeyRef, secretKeyRef, fieldRef,
// resourceFieldRef), each value expanded with `$(VAR)` against what came before and then the
// service variables; last the service variables the container did not set. Pure: the
// referenced ConfigMaps and Secrets, and the Services, are fetched beforehand and passed in.
import { base64ToUtf8, ConfigMap, Container, cpuMillis, isEnvVarName, memoryBytes, Pod, Secret } from '@coxswain/api/browser';
import { ContainerConfigError } from '../runtime-port';
import { expandVars } from './expand';
import { ServiceForEnv, serviceEnvFor } from './service-env';

// One error class for every CreateContainerConfigError (a missing reference here, a refused
// securityContext in runtime/pod-security.ts): the container waits and is retried with back-off.
export { ContainerConfigError };

export interface ConfigObjects {
  /** By name in the pod's namespace; null when it does not exist. */
  configMaps: Map<string, ConfigMap | null>;
  secrets: Map<string, Secret | null>;
  /**
   * The Services the node's cache holds (every namespace) when the container starts; absent:
   * no service variables at all (VM config disks, callers that know of no Services).
   */
  services?: ServiceForEnv[];
}

export interface EnvContext {
  pod: Pod;
  container: Container;
  podIP: string;
  hostIP: string;
  /** What limits default to when a container sets none (the kubelet uses node allocatable). */
  nodeAllocatable: NodeAllocatable;
  objects: ConfigObjects;
}

export interface ResolvedEnv {
  env: Array<[string, string]>;
  /** Event messages (InvalidEnvironmentVariableNames). */
  warnings: string[];
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function configMapData(cm: ConfigMap): Record<string, string> {
  const out: Record<string, string> = { ...(cm.data ?? {}) };
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) out[k] = base64ToUtf8(v);
  return out;
}

function secretData(secret: Secret): Record<string, string> {
  return Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, base64ToUtf8(v)]));
}

/** A ConfigMap's or Secret's decoded data, or undefined when missing (error unless optional). */
export function lookupData(kind: 'ConfigMap' | 'Secret', name: string, namespace: string, objects: ConfigObjects, optional: boolean): Record<string, string> | undefined {
  const found = kind === 'ConfigMap' ? objects.configMaps.get(name) : objects.secrets.get(name);
  if (found) return kind === 'ConfigMap' ? configMapData(found as ConfigMap) : secretData(found as Secret);
  if (optional) return undefined;
  throw new ContainerConfigError(`${kind.toLowerCase()} "${name}" not found`);
}

function keyRef(kind: 'ConfigMap' | 'Secret', ref: Obj, namespace: string, objects: ConfigObjects): string | undefined {
  const optional = ref.optional === true;
  const data = lookupData(kind, ref.name, namespace, objects, optional);
  if (data === undefined) return undefined;
  if (ref.key in data) return data[ref.key];
  if (optional) return undefined;
  throw new ContainerConfigError(`couldn't find key ${ref.key} in ${kind} ${namespace}/${ref.name}`);
}

const formatMap = (map: Record<string, string> | undefined): string =>
  Object.keys(map ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(map![k])}`)
    .join('\n');

/** fieldRef paths the kubelet resolves (downward API). */
export function podFieldValue(path: string, pod: Pod, podIP: string, hostIP: string): string {
  const label = /^metadata\.labels\['(.+)'\]$/.exec(path);
  if (label) return pod.metadata.labels?.[label[1]] ?? '';
  const annotation = /^metadata\.annotations\['(.+)'\]$/.exec(path);
  if (annotation) return pod.metadata.annotations?.[annotation[1]] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
      return formatMap(pod.metadata.labels);
    case 'metadata.annotations':
      return formatMap(pod.metadata.annotations);
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? pod.spec.serviceAccount ?? 'default';
    case 'status.podIP':
      return podIP;
    case 'status.podIPs':
      return podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return hostIP;
    default:
      throw new ContainerConfigError(`unsupported fieldPath: ${path}`);
  }
}

/** What limits default to when a container sets none: the node's allocatable (the kubelet's MergeContainerResourceLimits). */
export interface NodeAllocatable {
  cpu?: string;
  memory?: string;
  'ephemeral-storage'?: string;
}

const CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

/**
 * resourceFieldRef: limits/requests of cpu, memory or ephemeral-storage over a divisor, rounded
 * up. A limit unset (or zero) is the node's allocatable when it advertises the resource, else 0;
 * a request unset is 0 (ExtractContainerResourceValue).
 */
export function resourceFieldValue(ref: Obj, container: Container, allocatable: NodeAllocatable): string {
  const [kind, resource] = String(ref.resource ?? '').split('.') as [string, keyof NodeAllocatable];
  if ((kind !== 'limits' && kind !== 'requests') || !CONTAINER_RESOURCES.has(resource)) throw new ContainerConfigError(`unsupported container resource: ${ref.resource}`);
  const set = (kind === 'limits' ? container.resources?.limits : container.resources?.requests)?.[resource];
  const isZero = set === undefined || (resource === 'cpu' ? cpuMillis(set) === 0 : memoryBytes(set) === 0);
  const raw = !isZero ? set! : kind === 'limits' ? (allocatable[resource] ?? '0') : '0';
  if (resource === 'cpu') {
    const divisor = cpuMillis(ref.divisor ?? '1') || 1;
    return String(Math.ceil(cpuMillis(raw) / divisor));
  }
  // Memory and ephemeral-storage are byte quantities alike.
  const divisor = memoryBytes(ref.divisor ?? '1') || 1;
  return String(Math.ceil(memoryBytes(raw) / divisor));
}

/** Resolves env + envFrom of one container; throws ContainerConfigError for a missing reference. */
export function resolveEnv(ctx: EnvContext): ResolvedEnv {
  const { pod, container, objects } = ctx;
  const namespace = pod.metadata.namespace ?? 'default';
  const env = new Map<string, string>();
  const warnings: string[] = [];
  const serviceEnv = new Map(objects.services ? serviceEnvFor(objects.services, namespace, pod.spec.enableServiceLinks !== false) : []);
  // `$(VAR)` in a value sees the container's variables first, then the service ones (the kubelet's MappingFuncFor(tmpEnv, serviceEnv)).
  const visible = { has: (n: string) => env.has(n) || serviceEnv.has(n), get: (n: string) => (env.has(n) ? env.get(n) : serviceEnv.get(n)) };
  for (const source of (container.envFrom ?? []) as Obj[]) {
    const kind = source.configMapRef ? 'ConfigMap' : source.secretRef ? 'Secret' : undefined;
    if (!kind) continue;
    const ref = (source.configMapRef ?? source.secretRef) as Obj;
    const data = lookupData(kind, ref.name, namespace, objects, ref.optional === true);
    if (!data) continue;
    const invalid: string[] = [];
    for (const key of Object.keys(data).sort()) {
      const name = `${source.prefix ?? ''}${key}`;
      if (isEnvVarName(name).length) invalid.push(name);
      else env.set(name, data[key]);
    }
    if (invalid.length) {
      warnings.push(`Keys [${invalid.join(', ')}] from the EnvFrom ${kind.toLowerCase()} ${namespace}/${ref.name} were skipped since they are considered invalid environment variable names.`);
    }
  }
  for (const e of container.env ?? []) {
    const from = e.valueFrom as Obj | undefined;
    let value: string | undefined;
    if (!from) value = expandVars(e.value ?? '', visible);
    else if (from.configMapKeyRef) value = keyRef('ConfigMap', from.configMapKeyRef, namespace, objects);
    else if (from.secretKeyRef) value = keyRef('Secret', from.secretKeyRef, namespace, objects);
    else if (from.fieldRef) value = podFieldValue(String(from.fieldRef.fieldPath), pod, ctx.podIP, ctx.hostIP);
    else if (from.resourceFieldRef) value = resourceFieldValue(from.resourceFieldRef, container, ctx.nodeAllocatable);
    if (value === undefined) continue; // optional reference that is absent: the variable is not set
    env.set(e.name, value);
  }
  // Service variables the container did not set itself come after its own.
  for (const [name, value] of serviceEnv) if (!env.has(name)) env.set(name, value);
  return { env: [...env.entries()], warnings };
}

/** command and args with `$(VAR)` expanded against the container's resolved env. */
export function expandCommand(list: string[] | undefined, env: Array<[string, string]>): string[] | undefined {
  if (!list) return undefined;
  const map = new Map(env);
  return list.map((s) => expandVars(s, map));
}
