export * from './volume-binding';
export * from './volume-facts';
