export { startEtcd, type RunningEtcd, type EtcdOptions } from './etcd';
export { freePort } from './ports';
export { createHarnessNetwork, ipIn, type HarnessNetwork, type HostSpec } from './netns';
export { spawnManaged, waitUntil, type ManagedProcess } from './process';
