export { startEtcd, type RunningEtcd, type EtcdOptions } from './etcd';
export { freePort } from './ports';
export { spawnManaged, waitUntil, type ManagedProcess } from './process';
