export * from './least-allocated';
