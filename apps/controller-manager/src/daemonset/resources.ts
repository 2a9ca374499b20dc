// REST descriptors of the apps kinds the client's built-in list predates.
import { ResourceDescriptor } from '@coxswain/client';

export const DAEMONSET_RESOURCE: ResourceDescriptor = { group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true };
export const STATEFULSET_RESOURCE: ResourceDescriptor = { group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true };
