// REST descriptors of the apps kinds these controllers own (aliases of the client's list).
import { BUILTIN_RESOURCES as R, ResourceDescriptor } from '@coxswain/client';

export const DAEMONSET_RESOURCE: ResourceDescriptor = R.DaemonSet;
export const STATEFULSET_RESOURCE: ResourceDescriptor = R.StatefulSet;
