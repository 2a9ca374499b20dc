export * from './most-allocated';
