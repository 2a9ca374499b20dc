export * from './node-resources-fit';
