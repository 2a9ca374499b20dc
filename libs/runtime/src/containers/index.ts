export * from './types';
export { buildOciConfig, cgroupsPathFor, cpuQuota, cpuShares, ociResources, DEFAULT_CAPABILITIES, MASKED_PATHS, READONLY_PATHS, type OciConfigOptions } from './oci-spec';
export {
  ContainerDriver, ContainerNotFoundError, ContainerStartError, type ContainerDriverOptions, type CreateOptions, type DriverLogger, type ExecOptions, type ExecSession,
} from './driver';
export { ensureShimBinary } from './shim-binary';
export { type WatchDir } from './exit-watch';
export { findRunc } from './runc';
export { buildBusyboxRootfs } from './testing';
export { ALL_CAPABILITIES, capabilityMask, capabilityName, containerCapabilities } from './security/capabilities';
export { runtimeDefaultSeccomp, type SeccompProfile, type SeccompRule } from './security/seccomp';
export { ociSecurity, type HostDevice } from './security/oci-security';
export { loadLocalhostProfile } from './security/localhost-profile';
export { readRootfsFile } from './security/rootfs-files';
export {
  containerSpecSecurity, imageUserIdentity, parseGroup, parsePasswd, resolveSecurity, runAsNonRootViolation, SecurityContextError,
  type KubePodSecurityContext, type KubeSecurityContext, type ResolvedSecurity, type SeccompChoice, type SecurityInput,
} from './security/security-context';
export { checkMountPropagation, makeRShared, mountOf, parseMountInfo, propagationProblem, type HostPropagation, type MountInfoEntry } from './mount-propagation';
