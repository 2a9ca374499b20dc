// @coxswain/scheduling: the scheduler's rules in one browser-safe place — how a Pod or VMI
// reduces to requests, NodeInfo, Status, every filter and score plugin, the profile registry,
// and explain() for anyone who must say why a workload does or does not fit.
export * from './framework/affinity-terms';
export * from './framework/allocation';
export * from './framework/framework';
export * from './framework/host-ports';
export * from './framework/node-info';
export * from './framework/registry';
export * from './framework/resources';
export * from './framework/snapshot';
export * from './framework/spread-constraints';
export * from './framework/status';
export * from './framework/tolerations';
export * from './framework/types';
export * from './framework/workload';
export * from './plugins/balanced-allocation';
export * from './plugins/inter-pod-affinity';
export * from './plugins/least-allocated';
export * from './plugins/most-allocated';
export * from './plugins/node-affinity';
export * from './plugins/node-ports';
export * from './plugins/node-ready';
export * from './plugins/node-resources-fit';
export * from './plugins/node-unschedulable';
export * from './plugins/pod-topology-spread';
export * from './plugins/taint-toleration';
export * from './plugins/vm-capable';
export * from './plugins/volume-binding';
export * from './explain/diagnosis';
export * from './explain/failure-message';
export * from './explain/node-usage';
export * from './explain/explain';
