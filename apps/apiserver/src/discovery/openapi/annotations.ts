// What the decorators cannot say: descriptions (for `kubectl explain`) and the list merge
// semantics Kubernetes declares on its Go types (patchMergeKey / patchStrategy / listType),
// which client-side `kubectl apply` reads from OpenAPI to build strategic merge patches.

/** The five fields every kind has, with Kubernetes' wording. */
export const COMMON_FIELDS: Record<string, string> = {
  apiVersion:
    'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
  kind: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
  metadata: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  spec: 'Specification of the desired behavior of the object. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
  status: 'Most recently observed status of the object. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status',
};

/** Descriptions of definitions, by definition name. */
export const DEFINITION_DESCRIPTIONS: Record<string, string> = {
  'io.k8s.api.core.v1.Namespace': 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
  'io.k8s.api.core.v1.Node': 'Node is a worker node in Coxswain. Each node runs a node agent that starts its Pods and VirtualMachineInstances and reports their status.',
  'io.k8s.api.core.v1.Pod': 'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
  'io.k8s.api.core.v1.Event': 'Event is a report of an event somewhere in the cluster. Events have a limited retention time and triggers and messages may evolve with time.',
  'io.k8s.api.core.v1.Binding': 'Binding ties one object to another; for example, a pod is bound to a node by a scheduler.',
  'io.k8s.api.core.v1.PodSpec': 'PodSpec is a description of a pod.',
  'io.k8s.api.core.v1.PodTemplateSpec': 'PodTemplateSpec describes the data a pod should have when created from a template',
  'io.k8s.api.core.v1.Container': 'A single application container that you want to run within a pod.',
  'io.k8s.api.core.v1.ContainerPort': 'ContainerPort represents a network port in a single container.',
  'io.k8s.api.core.v1.EnvVar': 'EnvVar represents an environment variable present in a Container.',
  'io.k8s.api.core.v1.ResourceRequirements': 'ResourceRequirements describes the compute resource requirements.',
  'io.k8s.api.core.v1.Probe': 'Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.',
  'io.k8s.api.core.v1.Volume': 'Volume represents a named volume in a pod that may be accessed by any container in the pod.',
  'io.k8s.api.core.v1.VolumeMount': 'VolumeMount describes a mounting of a Volume within a container.',
  'io.k8s.api.core.v1.Toleration': 'The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>.',
  'io.k8s.api.core.v1.Taint': 'The node this Taint is attached to has the "effect" on any pod that does not tolerate the Taint.',
  'io.k8s.api.core.v1.ObjectReference': 'ObjectReference contains enough information to let you inspect or modify the referred object.',
  'io.k8s.api.apps.v1.Deployment': 'Deployment enables declarative updates for Pods and ReplicaSets.',
  'io.k8s.api.apps.v1.DeploymentSpec': 'DeploymentSpec is the specification of the desired behavior of the Deployment.',
  'io.k8s.api.apps.v1.ReplicaSet': 'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
  'io.k8s.api.apps.v1.ReplicaSetSpec': 'ReplicaSetSpec is the specification of a ReplicaSet.',
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler':
    'HorizontalPodAutoscaler is the configuration for a horizontal pod autoscaler, which automatically manages the replica count of any resource implementing the scale subresource based on the metrics specified.',
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec': 'HorizontalPodAutoscalerSpec describes the desired functionality of the HorizontalPodAutoscaler.',
  'io.k8s.api.autoscaling.v1.Scale': 'Scale represents a scaling request for a resource.',
  'io.k8s.api.coordination.v1.Lease': 'Lease defines a lease concept.',
  'io.k8s.api.policy.v1.Eviction': 'Eviction evicts a pod from its node subject to certain policies and safety constraints.',
  'io.kubevirt.api.v1.VirtualMachine': 'VirtualMachine handles the VirtualMachines that are not running or are in a stopped state. The VirtualMachine contains the template to create the VirtualMachineInstance. It also mirrors the running state of the created VirtualMachineInstance in its status.',
  'io.kubevirt.api.v1.VirtualMachineSpec': 'VirtualMachineSpec describes how the proper VirtualMachine should look like',
  'io.kubevirt.api.v1.VirtualMachineInstance': 'VirtualMachineInstance is *the* VirtualMachineInstance Definition. It represents a virtual machine in the runtime environment of kubernetes.',
  'io.kubevirt.api.v1.VirtualMachineInstanceSpec': 'VirtualMachineInstanceSpec is a description of a VirtualMachineInstance.',
  'io.kubevirt.api.v1.VirtualMachineInstanceReplicaSet': 'VirtualMachineInstanceReplicaSet keeps a number of identical VirtualMachineInstances running, as a ReplicaSet does for Pods.',
  'io.kubevirt.api.v1.DomainSpec': 'The virtual hardware of the VirtualMachineInstance: CPU, memory, firmware and devices.',
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': 'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector':
    'A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.',
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference':
    'OwnerReference contains enough information to let you identify an owning object. An owning object must be in the same namespace as the dependent, or be cluster-scoped, so there is no namespace field.',
};

/** Descriptions of single fields, by `<definition>.<field>`. */
export const FIELD_DESCRIPTIONS: Record<string, string> = {
  'io.k8s.api.core.v1.PodSpec.containers':
    'List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.',
  'io.k8s.api.core.v1.PodSpec.initContainers': 'List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started.',
  'io.k8s.api.core.v1.PodSpec.restartPolicy': 'Restart policy for all containers within the pod. One of Always, OnFailure, Never. Default to Always.',
  'io.k8s.api.core.v1.PodSpec.nodeName': 'NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.',
  'io.k8s.api.core.v1.PodSpec.nodeSelector': "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node.",
  'io.k8s.api.core.v1.PodSpec.volumes': 'List of volumes that can be mounted by containers belonging to the pod.',
  'io.k8s.api.core.v1.PodSpec.terminationGracePeriodSeconds': 'Optional duration in seconds the pod needs to terminate gracefully. Defaults to 30 seconds.',
  'io.k8s.api.core.v1.Container.name': 'Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.',
  'io.k8s.api.core.v1.Container.image': 'Container image name. More info: https://kubernetes.io/docs/concepts/containers/images',
  'io.k8s.api.core.v1.Container.command': "Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided.",
  'io.k8s.api.core.v1.Container.args': "Arguments to the entrypoint. The container image's CMD is used if this is not provided.",
  'io.k8s.api.core.v1.Container.env': 'List of environment variables to set in the container. Cannot be updated.',
  'io.k8s.api.core.v1.Container.ports': 'List of ports to expose from the container.',
  'io.k8s.api.core.v1.Container.resources': 'Compute Resources required by this container. Cannot be updated.',
  'io.k8s.api.core.v1.Container.imagePullPolicy': 'Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated.',
  'io.k8s.api.core.v1.Container.livenessProbe': 'Periodic probe of container liveness. Container will be restarted if the probe fails. Cannot be updated.',
  'io.k8s.api.core.v1.Container.readinessProbe': 'Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails. Cannot be updated.',
  'io.k8s.api.core.v1.Container.volumeMounts': "Pod volumes to mount into the container's filesystem. Cannot be updated.",
  'io.k8s.api.apps.v1.DeploymentSpec.replicas': 'Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.',
  'io.k8s.api.apps.v1.DeploymentSpec.selector': "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.",
  'io.k8s.api.apps.v1.DeploymentSpec.template': 'Template describes the pods that will be created.',
  'io.k8s.api.apps.v1.DeploymentSpec.strategy': 'The deployment strategy to use to replace existing pods with new ones.',
  'io.kubevirt.api.v1.VirtualMachineSpec.running': 'Running controls whether the associatied VirtualMachineInstance is created or not Mutually exclusive with RunStrategy',
  'io.kubevirt.api.v1.VirtualMachineSpec.runStrategy': 'Running state indicates the requested running state of the VirtualMachineInstance mutually exclusive with Running',
  'io.kubevirt.api.v1.VirtualMachineSpec.template': 'Template is the direct specification of VirtualMachineInstance',
  'io.kubevirt.api.v1.VirtualMachineInstanceSpec.domain': 'Specification of the desired behavior of the VirtualMachineInstance on the host.',
  'io.kubevirt.api.v1.VirtualMachineInstanceSpec.volumes': 'List of volumes that can be mounted by disks belonging to the vmi.',
  'io.kubevirt.api.v1.VirtualMachineInstanceSpec.networks': 'List of networks that can be attached to a vm\'s virtual interface.',
};

export interface ListSemantics {
  mergeKey?: string;
  strategy?: string;
  listType?: 'map' | 'set' | 'atomic';
  mapKeys?: string[];
}

const byName = (strategy = 'merge'): ListSemantics => ({ mergeKey: 'name', strategy, listType: 'map', mapKeys: ['name'] });

/** Kubernetes' patchMergeKey/patchStrategy/listType tags, by `<definition>.<field>`. */
export const LIST_SEMANTICS: Record<string, ListSemantics> = {
  'io.k8s.api.core.v1.PodSpec.containers': { mergeKey: 'name', strategy: 'merge' },
  'io.k8s.api.core.v1.PodSpec.initContainers': { mergeKey: 'name', strategy: 'merge' },
  'io.k8s.api.core.v1.PodSpec.volumes': { mergeKey: 'name', strategy: 'merge,retainKeys' },
  'io.k8s.api.core.v1.PodSpec.imagePullSecrets': { mergeKey: 'name', strategy: 'merge' },
  'io.k8s.api.core.v1.PodSpec.hostAliases': { mergeKey: 'ip', strategy: 'merge' },
  'io.k8s.api.core.v1.PodSpec.readinessGates': { listType: 'atomic' },
  'io.k8s.api.core.v1.PodSpec.topologySpreadConstraints': { mergeKey: 'topologyKey', strategy: 'merge', listType: 'map', mapKeys: ['topologyKey', 'whenUnsatisfiable'] },
  'io.k8s.api.core.v1.Container.env': { mergeKey: 'name', strategy: 'merge' },
  'io.k8s.api.core.v1.Container.ports': { mergeKey: 'containerPort', strategy: 'merge', listType: 'map', mapKeys: ['containerPort', 'protocol'] },
  'io.k8s.api.core.v1.Container.volumeMounts': { mergeKey: 'mountPath', strategy: 'merge' },
  'io.k8s.api.core.v1.Container.volumeDevices': { mergeKey: 'devicePath', strategy: 'merge' },
  'io.k8s.api.core.v1.Container.resizePolicy': { listType: 'atomic' },
  'io.k8s.api.core.v1.Container.command': { listType: 'atomic' },
  'io.k8s.api.core.v1.Container.args': { listType: 'atomic' },
  'io.k8s.api.core.v1.ResourceRequirements.claims': byName(),
  'io.k8s.api.core.v1.NodeSpec.podCIDRs': { strategy: 'merge', listType: 'set' },
  'io.k8s.api.core.v1.NodeSelector.nodeSelectorTerms': { listType: 'atomic' },
  'io.k8s.api.core.v1.NodeSelectorTerm.matchExpressions': { listType: 'atomic' },
  'io.k8s.api.core.v1.NodeSelectorTerm.matchFields': { listType: 'atomic' },
  'io.k8s.api.core.v1.NodeSelectorRequirement.values': { listType: 'atomic' },
  'io.k8s.api.core.v1.NamespaceSpec.finalizers': { listType: 'atomic' },
  'io.k8s.api.apps.v1.DeploymentSpec.strategy': { strategy: 'retainKeys' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta.finalizers': { strategy: 'merge', listType: 'set' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta.ownerReferences': { mergeKey: 'uid', strategy: 'merge', listType: 'map', mapKeys: ['uid'] },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector.matchExpressions': { listType: 'atomic' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement.values': { listType: 'atomic' },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec.metrics': { listType: 'atomic' },
  'io.k8s.api.autoscaling.v2.HPAScalingRules.policies': { listType: 'atomic' },
};
