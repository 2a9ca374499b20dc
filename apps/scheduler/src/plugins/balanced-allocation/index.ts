export * from './balanced-allocation';
