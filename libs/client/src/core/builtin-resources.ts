import { ResourceDescriptor } from './resource';

/**
 * The kinds Coxswain serves (DESIGN.md "Resource model"). A local copy so the client works
 * before @coxswain/api's RESOURCES lands; switch resourceForKind to that one when it does.
 */
const descriptor = (group: string, version: string, kind: string, plural: string, namespaced: boolean): ResourceDescriptor => ({
  group,
  version,
  kind,
  plural,
  namespaced,
});

export const BUILTIN_RESOURCES = {
  Namespace: descriptor('', 'v1', 'Namespace', 'namespaces', false),
  Node: descriptor('', 'v1', 'Node', 'nodes', false),
  Pod: descriptor('', 'v1', 'Pod', 'pods', true),
  Event: descriptor('', 'v1', 'Event', 'events', true),
  Service: descriptor('', 'v1', 'Service', 'services', true),
  ConfigMap: descriptor('', 'v1', 'ConfigMap', 'configmaps', true),
  Secret: descriptor('', 'v1', 'Secret', 'secrets', true),
  PersistentVolume: descriptor('', 'v1', 'PersistentVolume', 'persistentvolumes', false),
  PersistentVolumeClaim: descriptor('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true),
  StorageClass: descriptor('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false),
  Deployment: descriptor('apps', 'v1', 'Deployment', 'deployments', true),
  ReplicaSet: descriptor('apps', 'v1', 'ReplicaSet', 'replicasets', true),
  HorizontalPodAutoscaler: descriptor('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true),
  Lease: descriptor('coordination.k8s.io', 'v1', 'Lease', 'leases', true),
  EndpointSlice: descriptor('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', true),
  CertificateSigningRequest: descriptor('certificates.k8s.io', 'v1', 'CertificateSigningRequest', 'certificatesigningrequests', false),
  VirtualMachine: descriptor('kubevirt.io', 'v1', 'VirtualMachine', 'virtualmachines', true),
  VirtualMachineInstance: descriptor('kubevirt.io', 'v1', 'VirtualMachineInstance', 'virtualmachineinstances', true),
  VirtualMachineInstanceReplicaSet: descriptor(
    'kubevirt.io',
    'v1',
    'VirtualMachineInstanceReplicaSet',
    'virtualmachineinstancereplicasets',
    true,
  ),
} as const satisfies Record<string, ResourceDescriptor>;

export type BuiltinKind = keyof typeof BUILTIN_RESOURCES;

/** Descriptor for a kind, optionally pinned to an apiVersion; undefined when unknown. */
export function builtinResourceForKind(kind: string, apiVersion?: string): ResourceDescriptor | undefined {
  const found = (BUILTIN_RESOURCES as Record<string, ResourceDescriptor>)[kind];
  if (!found || apiVersion === undefined) return found;
  const wanted = found.group === '' ? found.version : `${found.group}/${found.version}`;
  return wanted === apiVersion ? found : undefined;
}
