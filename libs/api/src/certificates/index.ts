export * from './csr';
export * from './bootstrap-token';
export * from './x509';
