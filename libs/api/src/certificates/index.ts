export * from './csr';
export * from './bootstrap-token';
export * from './x509';
export * from './cluster-info';
