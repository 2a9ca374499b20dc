export * from './inter-pod-affinity';
