export * from './types';
export { buildOciConfig, cgroupsPathFor, cpuQuota, cpuShares, ociResources, DEFAULT_CAPABILITIES, MASKED_PATHS, READONLY_PATHS, type OciConfigOptions } from './oci-spec';
export {
  ContainerDriver, ContainerNotFoundError, type ContainerDriverOptions, type CreateOptions, type DriverLogger, type ExecOptions, type ExecSession,
} from './driver';
export { ensureShimBinary } from './shim-binary';
export { findRunc } from './runc';
export { buildBusyboxRootfs } from './testing';
