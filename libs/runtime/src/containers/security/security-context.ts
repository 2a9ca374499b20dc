// Kubernetes securityContext (pod and container level) → what the container runs with: user
// and groups, capabilities, no_new_privs, read-only root, seccomp, sysctls. Pure: the image's
// USER and its /etc/passwd and /etc/group are inputs. The rules are the kubelet's and
// containerd's CRI plugin's, so manifests behave here as on a Kubernetes node.
import { ContainerSpec } from '../types';
import { containerCapabilities, UnknownCapabilityError } from './capabilities';
import { SeccompProfile } from './seccomp';

/** The securityContext fields the runtime honours (structurally the API's types). */
export interface KubeSecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
  seccompProfile?: { type: string; localhostProfile?: string };
  procMount?: string;
}

export interface KubePodSecurityContext extends Pick<KubeSecurityContext, 'runAsUser' | 'runAsGroup' | 'runAsNonRoot' | 'seccompProfile'> {
  supplementalGroups?: number[];
  supplementalGroupsPolicy?: 'Merge' | 'Strict';
  fsGroup?: number;
  sysctls?: Array<{ name: string; value: string }>;
}

export interface SecurityInput {
  pod: { namespace: string; name: string; securityContext?: KubePodSecurityContext };
  container: { name: string; securityContext?: KubeSecurityContext };
  /** The image config's `User` (`""`, `1000`, `1000:1000`, `app`, `app:staff`). */
  imageUser?: string;
  /** Contents of the rootfs' /etc/passwd and /etc/group, when present. */
  passwd?: string;
  group?: string;
}

export type SeccompChoice = { type: 'RuntimeDefault' } | { type: 'Unconfined' } | { type: 'Localhost'; profile: string };

export interface ResolvedSecurity {
  user: { uid: number; gid: number; additionalGids: number[] };
  capabilities: string[];
  privileged: boolean;
  noNewPrivileges: boolean;
  readonlyRootfs: boolean;
  seccomp: SeccompChoice;
  sysctls: Record<string, string>;
}

/** The container cannot be configured as asked: the kubelet's CreateContainerConfigError. */
export class SecurityContextError extends Error {
  readonly reason = 'CreateContainerConfigError';
  constructor(message: string) {
    super(message);
    this.name = 'SecurityContextError';
  }
}

interface PasswdEntry { name: string; uid: number; gid: number }
interface GroupEntry { name: string; gid: number; members: string[] }

export function parsePasswd(text = ''): PasswdEntry[] {
  return text.split('\n').map((l) => l.split(':')).filter((f) => f.length >= 4 && /^\d+$/.test(f[2]) && /^\d+$/.test(f[3]))
    .map((f) => ({ name: f[0], uid: Number(f[2]), gid: Number(f[3]) }));
}

export function parseGroup(text = ''): GroupEntry[] {
  return text.split('\n').map((l) => l.split(':')).filter((f) => f.length >= 3 && /^\d+$/.test(f[2]))
    .map((f) => ({ name: f[0], gid: Number(f[2]), members: (f[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean) }));
}

const isNumeric = (s: string) => /^\d+$/.test(s);

/** What the kubelet learns from the image (CRI ImageStatus): a numeric uid, a user name, or root. */
export function imageUserIdentity(imageUser = ''): { uid?: number; username?: string } {
  const user = imageUser.split(':')[0];
  if (user === '') return { uid: 0 };
  return isNumeric(user) ? { uid: Number(user) } : { username: user };
}

/** The kubelet's verifyRunAsNonRoot; returns the message of the refusal, if any. */
export function runAsNonRootViolation(input: SecurityInput): string | undefined {
  const pod = input.pod.securityContext ?? {};
  const sc = input.container.securityContext ?? {};
  if (!(sc.runAsNonRoot ?? pod.runAsNonRoot)) return undefined;
  const where = `(pod: "${input.pod.namespace}/${input.pod.name}", container: ${input.container.name})`;
  const runAsUser = sc.runAsUser ?? pod.runAsUser;
  if (runAsUser !== undefined) return runAsUser === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  const image = imageUserIdentity(input.imageUser);
  if (image.uid === 0) return `container has runAsNonRoot and image will run as root ${where}`;
  if (image.username !== undefined) return `container has runAsNonRoot and image has non-numeric user (${image.username}), cannot verify user is non-root ${where}`;
  return undefined;
}

function resolveUser(input: SecurityInput): ResolvedSecurity['user'] {
  const pod = input.pod.securityContext ?? {};
  const sc = input.container.securityContext ?? {};
  const users = parsePasswd(input.passwd);
  const groups = parseGroup(input.group);
  const [imageUserPart = '', imageGroupPart] = (input.imageUser ?? '').split(':');
  const runAsUser = sc.runAsUser ?? pod.runAsUser;
  const runAsGroup = sc.runAsGroup ?? pod.runAsGroup;

  let uid: number;
  let entry: PasswdEntry | undefined;
  if (runAsUser !== undefined) {
    uid = runAsUser;
    entry = users.find((u) => u.uid === uid);
  } else if (imageUserPart === '' || isNumeric(imageUserPart)) {
    uid = imageUserPart === '' ? 0 : Number(imageUserPart);
    entry = users.find((u) => u.uid === uid);
  } else {
    entry = users.find((u) => u.name === imageUserPart);
    if (!entry) throw new SecurityContextError(`unable to find user ${imageUserPart}: no matching entries in passwd file`);
    uid = entry.uid;
  }

  let gid: number;
  if (runAsGroup !== undefined) gid = runAsGroup;
  else if (imageGroupPart !== undefined && imageGroupPart !== '' && runAsUser === undefined) {
    if (isNumeric(imageGroupPart)) gid = Number(imageGroupPart);
    else {
      const g = groups.find((x) => x.name === imageGroupPart);
      if (!g) throw new SecurityContextError(`unable to find group ${imageGroupPart}: no matching entries in group file`);
      gid = g.gid;
    }
  } else gid = entry?.gid ?? 0;

  // containerd adds the groups /etc/group lists the user in; Strict keeps only what the pod says.
  const fromImage = pod.supplementalGroupsPolicy === 'Strict' || !entry ? [] : groups.filter((g) => g.members.includes(entry!.name)).map((g) => g.gid);
  const fromPod = [...(pod.supplementalGroups ?? []), ...(pod.fsGroup !== undefined ? [pod.fsGroup] : [])];
  const additionalGids = [...new Set([...fromImage, ...fromPod])].filter((g) => g !== gid);
  return { uid, gid, additionalGids };
}

function resolveSeccomp(pod: KubePodSecurityContext, sc: KubeSecurityContext, privileged: boolean): SeccompChoice {
  if (privileged) return { type: 'Unconfined' };
  const profile = sc.seccompProfile ?? pod.seccompProfile;
  switch (profile?.type) {
    case 'Unconfined':
      return { type: 'Unconfined' };
    case 'Localhost':
      return { type: 'Localhost', profile: profile.localhostProfile ?? '' };
    default:
      // Coxswain's default for pods that name no profile: RuntimeDefault (Kubernetes' kubelet
      // flag --seccomp-default, on here).
      return { type: 'RuntimeDefault' };
  }
}

/** Everything the container runs with; throws SecurityContextError when it must not start. */
export function resolveSecurity(input: SecurityInput): ResolvedSecurity {
  const pod = input.pod.securityContext ?? {};
  const sc = input.container.securityContext ?? {};
  const violation = runAsNonRootViolation(input);
  if (violation) throw new SecurityContextError(violation);
  const privileged = sc.privileged === true;
  let capabilities: string[];
  try {
    capabilities = containerCapabilities(sc.capabilities, privileged);
  } catch (error) {
    if (error instanceof UnknownCapabilityError) throw new SecurityContextError(error.message);
    throw error;
  }
  return {
    user: resolveUser(input),
    capabilities,
    privileged,
    // Kubernetes sets no_new_privs only when asked (allowPrivilegeEscalation: false).
    noNewPrivileges: sc.allowPrivilegeEscalation === false,
    readonlyRootfs: sc.readOnlyRootFilesystem === true,
    seccomp: resolveSeccomp(pod, sc, privileged),
    sysctls: Object.fromEntries((pod.sysctls ?? []).map((s) => [s.name.replace(/\//g, '.'), s.value])),
  };
}

/** The ContainerSpec fields for a resolved context; a Localhost choice needs its loaded profile. */
export function containerSpecSecurity(resolved: ResolvedSecurity, localhostProfile?: SeccompProfile): Pick<ContainerSpec, 'user' | 'readonlyRootfs' | 'security'> {
  const { seccomp } = resolved;
  if (seccomp.type === 'Localhost' && !localhostProfile) throw new Error(`seccomp profile ${seccomp.profile} was not loaded`);
  return {
    user: resolved.user,
    readonlyRootfs: resolved.readonlyRootfs,
    security: {
      capabilities: resolved.capabilities,
      privileged: resolved.privileged,
      noNewPrivileges: resolved.noNewPrivileges,
      // undefined: the driver builds RuntimeDefault for the container's own capability set.
      seccomp: seccomp.type === 'Unconfined' ? 'unconfined' : seccomp.type === 'Localhost' ? localhostProfile : undefined,
      sysctls: resolved.sysctls,
    },
  };
}
