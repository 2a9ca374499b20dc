export { startEtcd, type RunningEtcd, type EtcdOptions } from './etcd';
export { freePort } from './ports';
export { createHarnessNetwork, ipIn, type HarnessNetwork, type HostSpec } from './netns';
export { spawnManaged, waitUntil, type ManagedProcess } from './process';
export { buildTinyVmFiles, DEFAULT_VM_FIXTURE_DIR, INIT_MARKER, READY_MARKER, type TinyVmFiles } from './vm-image';
export { startRegistry, startRecordingProxy, registryBlobPath, type RunningRegistry, type RegistryOptions, type RecordingProxy, type ProxiedRequest } from './registry';
export { buildImageFromDir, buildIndexLayout, buildBusyboxImage, writeBusyboxRootfs, fixturesDir, tarLayout, pushImage, seedRegistry, FIXTURE_MTIME, type BuiltImage, type FixtureImageConfig } from './images';
export { startApiServer, kubeconfigYaml, REPO_ROOT, type ApiServerHarnessOptions, type RunningApiServerHarness, type Role } from './apiserver';
