export * from './layout';
export * from './stats';
export * from './remove';
export * from './qos';
export * from './pod-cgroups';
