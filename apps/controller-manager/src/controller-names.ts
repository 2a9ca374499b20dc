// The controllers this manager can run, by the name --controllers takes.
export const ALL_CONTROLLERS = ['replicaset', 'deployment', 'garbagecollector', 'nodelifecycle', 'virtualmachine', 'vmireplicaset', 'horizontalpodautoscaler', 'endpointslice', 'job', 'cronjob', 'daemonset', 'statefulset', 'disruption', 'persistentvolume', 'datavolume', 'csrapproving', 'csrsigning', 'tokencleaner', 'bootstrapsigner'] as const;
export type ControllerName = (typeof ALL_CONTROLLERS)[number];
