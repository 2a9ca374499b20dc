// The OCI config fields a ContainerSecurity decides: capability sets, no_new_privs, seccomp,
// sysctls, masked paths, device access. Pure; buildOciConfig merges the result.
import { DEFAULT_CAPABILITIES, MASKED_PATHS, READONLY_PATHS } from '../oci-spec';
import { ContainerSecurity } from '../types';
import { ALL_CAPABILITIES } from './capabilities';
import { runtimeDefaultSeccomp, SeccompProfile } from './seccomp';

/** A host device node a privileged container gets (OCI `linux.devices`). */
export interface HostDevice {
  path: string;
  type: 'c' | 'b';
  major: number;
  minor: number;
  fileMode: number;
  uid: number;
  gid: number;
}

export interface OciSecurity {
  capabilities: { bounding: string[]; effective: string[]; permitted: string[] };
  noNewPrivileges: boolean;
  seccomp?: SeccompProfile;
  sysctl?: Record<string, string>;
  maskedPaths: string[];
  readonlyPaths: string[];
  /** Privileged: every device allowed in the devices cgroup and the host's nodes created. */
  allDevices: boolean;
  devices?: HostDevice[];
}

/**
 * `hostCapabilities` is the runtime's own bounding set: a container can hold no more, and a
 * privileged one gets all of it (containerd's WithAllCurrentCapabilities).
 */
export function ociSecurity(security: ContainerSecurity = {}, hostDevices: HostDevice[] = [], hostCapabilities: string[] = ALL_CAPABILITIES): OciSecurity {
  const privileged = security.privileged === true;
  const held = new Set(hostCapabilities);
  const caps = (privileged ? ALL_CAPABILITIES : (security.capabilities ?? DEFAULT_CAPABILITIES)).filter((c) => held.has(c));
  let seccomp: SeccompProfile | undefined;
  if (!privileged && security.seccomp !== 'unconfined') seccomp = security.seccomp ?? runtimeDefaultSeccomp(caps);
  return {
    capabilities: { bounding: [...caps], effective: [...caps], permitted: [...caps] },
    noNewPrivileges: security.noNewPrivileges ?? true,
    ...(seccomp ? { seccomp } : {}),
    ...(security.sysctls && Object.keys(security.sysctls).length ? { sysctl: { ...security.sysctls } } : {}),
    maskedPaths: privileged ? [] : MASKED_PATHS,
    readonlyPaths: privileged ? [] : READONLY_PATHS,
    allDevices: privileged,
    ...(privileged && hostDevices.length ? { devices: hostDevices } : {}),
  };
}
