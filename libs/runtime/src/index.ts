export const RUNTIME_PLACEHOLDER = 1;
export * from './containers';
export * from './cgroups';
