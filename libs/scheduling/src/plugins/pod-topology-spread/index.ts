export * from './pod-topology-spread';
