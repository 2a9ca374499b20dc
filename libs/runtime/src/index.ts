export * from './images';
export * from './containers';
export * from './cgroups';
export * from './vm';
export * from './network';
export * from './proc';
