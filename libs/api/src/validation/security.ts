// Validation of pod and container securityContext: Kubernetes' own rules (ids in range,
// seccomp Localhost needs a profile, no privilege escalation switch-off with privileged or
// CAP_SYS_ADMIN, sysctl names) plus refusals of fields Coxswain accepts but cannot enforce,
// so that no user believes a setting protects them when it does not.
import { CauseReason, StatusCause } from '../status/status';
import { MAX_ID } from '../types/security';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (value: unknown): string => JSON.stringify(value);

/** Kubernetes' safe sysctls: namespaced, isolated per pod, allowed by every kubelet by default. */
export const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
] as const;

/** The name with `/` separators turned into dots, as the kubelet compares them. */
export const normalizeSysctl = (name: string): string => (name.includes('/') ? name.replace(/\//g, '.') : name);

export const isSafeSysctl = (name: string): boolean => (SAFE_SYSCTLS as readonly string[]).includes(normalizeSysctl(name));

/** Sysctls that live in a namespace a pod owns (ipc or net); only these can be set per pod. */
export function isNamespacedSysctl(name: string): boolean {
  const n = normalizeSysctl(name);
  return n === 'kernel.sem' || n.startsWith('kernel.shm') || n.startsWith('kernel.msg') || n.startsWith('fs.mqueue.') || n.startsWith('net.');
}

const SYSCTL_NAME = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

const forbidden = (field: string, why: string): StatusCause => ({ reason: CauseReason.Forbidden, field, message: `Forbidden: ${why}` });
const invalid = (field: string, value: unknown, why: string): StatusCause => ({ reason: CauseReason.Invalid, field, message: `Invalid value: ${show(value)}: ${why}` });

/** Fields we keep (so they are not pruned) but cannot enforce on this runtime. */
function unsupported(sc: Obj, path: string, causes: StatusCause[]): void {
  if (sc.seLinuxOptions !== undefined) causes.push(forbidden(`${path}.seLinuxOptions`, 'SELinux is not supported by this cluster\'s nodes; remove the field'));
  if (sc.windowsOptions !== undefined) causes.push(forbidden(`${path}.windowsOptions`, 'Windows containers are not supported by this cluster\'s nodes; remove the field'));
  if (sc.seLinuxChangePolicy !== undefined) causes.push(forbidden(`${path}.seLinuxChangePolicy`, 'SELinux is not supported by this cluster\'s nodes; remove the field'));
  if (isObj(sc.appArmorProfile) && sc.appArmorProfile.type !== 'Unconfined') {
    causes.push(forbidden(`${path}.appArmorProfile.type`, 'AppArmor is not enforced by this cluster\'s nodes; only "Unconfined" can be honoured'));
  }
}

function checkSeccomp(profile: unknown, path: string, causes: StatusCause[]): void {
  if (!isObj(profile)) return;
  const field = `${path}.localhostProfile`;
  if (profile.type === 'Localhost') {
    const p = profile.localhostProfile;
    if (typeof p !== 'string' || p === '') causes.push({ reason: CauseReason.Required, field, message: 'Required value: must be set when seccomp type is Localhost' });
    else if (p.startsWith('/') || p.split('/').includes('..')) causes.push(invalid(field, p, 'must be a relative path without ".." segments'));
  } else if (profile.localhostProfile !== undefined) {
    causes.push(forbidden(field, 'can only be set when seccomp type is Localhost'));
  }
}

function checkId(value: unknown, field: string, causes: StatusCause[]): void {
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > MAX_ID) causes.push(invalid(field, value, `must be between 0 and ${MAX_ID}, inclusive`));
}

/** Pod-level securityContext (spec.securityContext). */
export function checkPodSecurityContext(spec: Obj, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (spec.hostUsers === false) causes.push(forbidden(`${path.replace(/\.securityContext$/, '')}.hostUsers`, 'user namespaces are not supported by this cluster\'s nodes; remove the field or set it to true'));
  const sc = spec.securityContext;
  if (!isObj(sc)) return causes;
  unsupported(sc, path, causes);
  checkSeccomp(sc.seccompProfile, `${path}.seccompProfile`, causes);
  if (sc.supplementalGroups !== undefined) {
    if (!Array.isArray(sc.supplementalGroups)) causes.push(invalid(`${path}.supplementalGroups`, sc.supplementalGroups, 'must be a list of integers'));
    else sc.supplementalGroups.forEach((g: unknown, i: number) => checkId(g, `${path}.supplementalGroups[${i}]`, causes));
  }
  const seen = new Set<string>();
  (Array.isArray(sc.sysctls) ? sc.sysctls : []).forEach((s: unknown, i: number) => {
    if (!isObj(s) || typeof s.name !== 'string') return;
    const field = `${path}.sysctls[${i}].name`;
    const name = normalizeSysctl(s.name);
    if (name.length > 253 || !SYSCTL_NAME.test(name)) causes.push(invalid(field, s.name, `must have at most 253 characters and match regex ${SYSCTL_NAME.source}`));
    else if (seen.has(name)) causes.push({ reason: CauseReason.Duplicate, field, message: `Duplicate value: ${show(s.name)}` });
    else if (!isNamespacedSysctl(name)) causes.push(forbidden(field, `sysctl ${show(s.name)} is not namespaced and cannot be set per pod`));
    else if (spec.hostNetwork === true && name.startsWith('net.')) causes.push(invalid(field, s.name, 'may not be specified when \'hostNetwork\' is true'));
    seen.add(name);
  });
  return causes;
}

/** A container's securityContext (spec.containers[i].securityContext). */
export function checkContainerSecurityContext(sc: unknown, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!isObj(sc)) return causes;
  unsupported(sc, path, causes);
  checkSeccomp(sc.seccompProfile, `${path}.seccompProfile`, causes);
  if (sc.procMount === 'Unmasked') causes.push(forbidden(`${path}.procMount`, '"Unmasked" needs user namespaces (hostUsers: false), which this cluster\'s nodes do not support'));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) causes.push(invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    const add: unknown[] = isObj(sc.capabilities) && Array.isArray(sc.capabilities.add) ? sc.capabilities.add : [];
    if (add.includes('CAP_SYS_ADMIN')) causes.push(invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
  }
  return causes;
}
