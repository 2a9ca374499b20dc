export * from './vm-capable';
