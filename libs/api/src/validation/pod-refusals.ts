// Pod fields Kubernetes defines that no part of Coxswain enforces, refused with a 422 rather
// than accepted and ignored (a user who asks for the host's PID namespace or a Windows node
// must not get a plain Linux container silently), plus the enums Kubernetes checks on the
// fields we do honour (mountPropagation, preemptionPolicy). Paths and wording follow
// pkg/apis/core/validation.
import { CauseReason, StatusCause } from '../status/status';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const show = (value: unknown): string => JSON.stringify(value);
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
/** Set to something that asks for anything: an empty list asks for nothing. */
const asks = (v: unknown): boolean => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
const forbidden = (field: string, why: string): StatusCause => ({ reason: CauseReason.Forbidden, field, message: `Forbidden: ${why}` });
const notSupported = (field: string, value: unknown, supported: readonly string[]): StatusCause => ({
  reason: CauseReason.NotSupported,
  field,
  message: `Unsupported value: ${show(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
});

export const NOT_SUPPORTED = 'not supported by this cluster';
/** Kubernetes' values, sorted as its NotSupported errors list them. */
export const MOUNT_PROPAGATION_MODES = ['Bidirectional', 'HostToContainer', 'None'] as const;
export const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'] as const;
const OS_NAMES = ['linux', 'windows'];

/** Namespaces of the host that a pod could join: the node agent always gives a pod its own. */
const HOST_NAMESPACE_FIELDS = ['hostPID', 'hostIPC', 'shareProcessNamespace'];

function checkVolumeMount(mount: Obj, at: string, privileged: boolean, causes: StatusCause[]): void {
  const propagation = mount.mountPropagation;
  if (propagation !== undefined && propagation !== null) {
    if (!(MOUNT_PROPAGATION_MODES as readonly unknown[]).includes(propagation)) causes.push(notSupported(`${at}.mountPropagation`, propagation, MOUNT_PROPAGATION_MODES));
    else if (propagation === 'Bidirectional' && !privileged) causes.push(forbidden(`${at}.mountPropagation`, 'Bidirectional mount propagation is available only to privileged containers'));
  }
  const rro = mount.recursiveReadOnly;
  if (rro !== undefined && rro !== null && rro !== 'Disabled') {
    if (rro === 'Enabled' || rro === 'IfPossible') causes.push(forbidden(`${at}.recursiveReadOnly`, `recursive read-only mounts are ${NOT_SUPPORTED}; set readOnly (read-only at the mount point only) and leave this unset or "Disabled"`));
    else causes.push(notSupported(`${at}.recursiveReadOnly`, rro, ['Disabled']));
  }
}

function checkContainer(c: Obj, at: string, causes: StatusCause[]): void {
  if (asks(c.volumeDevices)) causes.push(forbidden(`${at}.volumeDevices`, `raw block volumes are ${NOT_SUPPORTED}`));
  if (isObj(c.resources) && asks(c.resources.claims)) causes.push(forbidden(`${at}.resources.claims`, `dynamic resource allocation is ${NOT_SUPPORTED}`));
  const privileged = isObj(c.securityContext) && c.securityContext.privileged === true;
  list(c.volumeMounts).forEach((m, j) => checkVolumeMount(m, `${at}.volumeMounts[${j}]`, privileged, causes));
}

function checkOs(os: unknown, path: string, causes: StatusCause[]): void {
  if (os === undefined || os === null) return;
  if (!isObj(os) || typeof os.name !== 'string' || os.name === '') return void causes.push({ reason: CauseReason.Required, field: `${path}.name`, message: 'Required value' });
  if (os.name === 'windows') causes.push(forbidden(`${path}.name`, `Windows pods are ${NOT_SUPPORTED} (its nodes run Linux)`));
  else if (!OS_NAMES.includes(os.name)) causes.push(notSupported(`${path}.name`, os.name, OS_NAMES));
}

/** Refusals and enums on a pod spec at `path` (`spec`, `spec.template.spec`, …). */
export function checkPodRefusals(spec: Obj, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const field of HOST_NAMESPACE_FIELDS) if (spec[field] === true) causes.push(forbidden(`${path}.${field}`, NOT_SUPPORTED));
  if (asks(spec.resourceClaims)) causes.push(forbidden(`${path}.resourceClaims`, `dynamic resource allocation is ${NOT_SUPPORTED}`));
  checkOs(spec.os, `${path}.os`, causes);
  const policy = spec.preemptionPolicy;
  if (policy !== undefined && policy !== null && !(PREEMPTION_POLICIES as readonly unknown[]).includes(policy)) causes.push(notSupported(`${path}.preemptionPolicy`, policy, PREEMPTION_POLICIES));
  for (const key of ['containers', 'initContainers']) list(spec[key]).forEach((c, i) => checkContainer(c, `${path}.${key}[${i}]`, causes));
  return causes;
}

/**
 * A pod template of a controller whose pods run for ever may not set a deadline (Kubernetes:
 * ReplicaSet and Deployment "Forbidden", StatefulSet "Forbidden", DaemonSet "Invalid").
 */
export function checkTemplateDeadline(spec: unknown, kindWord: 'ReplicaSet' | 'StatefulSet' | 'DaemonSet'): StatusCause[] {
  if (!isObj(spec) || spec.activeDeadlineSeconds === undefined || spec.activeDeadlineSeconds === null) return [];
  const field = 'spec.template.spec.activeDeadlineSeconds';
  const why = `activeDeadlineSeconds in ${kindWord} is not Supported`;
  if (kindWord === 'DaemonSet') return [{ reason: CauseReason.Invalid, field, message: `Invalid value: ${show(spec.activeDeadlineSeconds)}: ${why}` }];
  return [forbidden(field, why)];
}
