export * from './node-ready';
