// Schemas with no input class behind them: list/status envelopes, the status halves of
// kinds (written by controllers, typed as interfaces in libs/api) and metrics.k8s.io.
// `$ref` values are bare definition names here; the document renderers add the prefix.
import { META_PACKAGE } from './names';

export type JsonSchema = { [key: string]: unknown };

const str: JsonSchema = { type: 'string' };
const int: JsonSchema = { type: 'integer', format: 'int32' };
const int64: JsonSchema = { type: 'integer', format: 'int64' };
const bool: JsonSchema = { type: 'boolean' };
const time: JsonSchema = { type: 'string', format: 'date-time' };
const ref = (name: string): JsonSchema => ({ $ref: name });
const arr = (items: JsonSchema, extra: JsonSchema = {}): JsonSchema => ({ type: 'array', items, ...extra });
const map = (values: JsonSchema): JsonSchema => ({ type: 'object', additionalProperties: values });
const obj = (properties: Record<string, JsonSchema>, required?: string[], description?: string): JsonSchema => ({
  ...(description ? { description } : {}),
  type: 'object',
  properties,
  ...(required ? { required } : {}),
});
const oneOf = (...values: string[]): JsonSchema => ({ type: 'string', enum: values });

export const QUANTITY_PATTERN = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
/**
 * Fields refer to these two by name (so `kubectl explain` prints `<Quantity>`), and also
 * carry the flag themselves for readers that do not follow references.
 */
export const QUANTITY_REF: JsonSchema = { $ref: QUANTITY, 'x-kubernetes-int-or-string': true };
export const INT_OR_STRING_REF: JsonSchema = { $ref: INT_OR_STRING, 'x-kubernetes-int-or-string': true };
const quantities = map(QUANTITY_REF);

export const CONDITION = `${META_PACKAGE}.Condition`;
export const LIST_META = `${META_PACKAGE}.ListMeta`;
export const STATUS = `${META_PACKAGE}.Status`;
export const PATCH = `${META_PACKAGE}.Patch`;
export const DELETE_OPTIONS = `${META_PACKAGE}.DeleteOptions`;

const conditions: JsonSchema = arr(ref(CONDITION), {
  'x-kubernetes-list-map-keys': ['type'],
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-patch-merge-key': 'type',
  'x-kubernetes-patch-strategy': 'merge',
});

const core = 'io.k8s.api.core.v1';
const kubevirt = 'io.kubevirt.api.v1';
const metrics = 'io.k8s.metrics.pkg.apis.metrics.v1beta1';

const containerState = obj({
  waiting: obj({ reason: str, message: str }, undefined, 'Details about a waiting container'),
  running: obj({ startedAt: time }, undefined, 'Details about a running container'),
  terminated: obj({ exitCode: int, signal: int, reason: str, message: str, startedAt: time, finishedAt: time, containerID: str }, ['exitCode'], 'Details about a terminated container'),
});

/** Envelopes and meta types. */
const META_SCHEMAS: Record<string, JsonSchema> = {
  [LIST_META]: obj(
    { continue: str, remainingItemCount: int64, resourceVersion: str, selfLink: str },
    undefined,
    'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
  ),
  [STATUS]: obj(
    {
      apiVersion: str,
      code: int,
      details: obj({ causes: arr(obj({ field: str, message: str, reason: str })), group: str, kind: str, name: str, retryAfterSeconds: int, uid: str }),
      kind: str,
      message: str,
      metadata: ref(LIST_META),
      reason: str,
      status: str,
    },
    undefined,
    'Status is a return value for calls that don\'t return other objects.',
  ),
  [QUANTITY]: {
    description:
      "Quantity is a fixed-point representation of a number: an integer or a decimal with an optional suffix, binary (Ki, Mi, Gi, Ti, Pi, Ei), decimal SI (m, k, M, G, T, P, E) or a decimal exponent (e3). Examples: 250m, 1.5, 64Mi, 2e3.",
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern: QUANTITY_PATTERN,
    'x-kubernetes-int-or-string': true,
  },
  [INT_OR_STRING]: {
    description: 'IntOrString is a type that can hold an int32 or a string: a port number or name, a count or a percentage (25%).',
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    'x-kubernetes-int-or-string': true,
  },
  [PATCH]: { description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.', type: 'object' },
  [DELETE_OPTIONS]: obj(
    {
      apiVersion: str,
      dryRun: arr(str),
      gracePeriodSeconds: int64,
      kind: str,
      preconditions: obj({ resourceVersion: str, uid: str }),
      propagationPolicy: oneOf('Orphan', 'Background', 'Foreground'),
    },
    undefined,
    'DeleteOptions may be provided when deleting an API object.',
  ),
};

/** Status halves of kinds, mirroring the interfaces in libs/api/src/types. */
const STATUS_SCHEMAS: Record<string, JsonSchema> = {
  [`${core}.PodStatus`]: obj(
    {
      phase: oneOf('Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'),
      conditions,
      message: str,
      reason: str,
      hostIP: str,
      hostIPs: arr(obj({ ip: str })),
      podIP: str,
      podIPs: arr(obj({ ip: str })),
      startTime: time,
      containerStatuses: arr(ref(`${core}.ContainerStatus`)),
      initContainerStatuses: arr(ref(`${core}.ContainerStatus`)),
      qosClass: oneOf('BestEffort', 'Burstable', 'Guaranteed'),
      nominatedNodeName: str,
    },
    undefined,
    'PodStatus represents information about the status of a pod.',
  ),
  [`${core}.ContainerStatus`]: obj(
    { name: str, state: containerState, lastState: containerState, ready: bool, restartCount: int, image: str, imageID: str, containerID: str, started: bool },
    ['name', 'ready', 'restartCount', 'image'],
    'ContainerStatus contains details for the current status of this container.',
  ),
  [`${core}.NodeStatus`]: obj(
    {
      capacity: quantities,
      allocatable: quantities,
      conditions,
      addresses: arr(obj({ type: str, address: str }, ['type', 'address']), { 'x-kubernetes-patch-merge-key': 'type', 'x-kubernetes-patch-strategy': 'merge' }),
      nodeInfo: obj(
        Object.fromEntries(
          ['architecture', 'bootID', 'containerRuntimeVersion', 'kernelVersion', 'kubeProxyVersion', 'kubeletVersion', 'machineID', 'operatingSystem', 'osImage', 'systemUUID'].map((k) => [k, str]),
        ),
      ),
      daemonEndpoints: obj({ kubeletEndpoint: obj({ Port: int }) }),
      phase: str,
      images: arr(obj({ names: arr(str), sizeBytes: int64 })),
    },
    undefined,
    'NodeStatus is information about the current status of a node.',
  ),
  [`${core}.NamespaceStatus`]: obj({ phase: oneOf('Active', 'Terminating'), conditions }, undefined, 'NamespaceStatus is information about the current status of a Namespace.'),
  ['io.k8s.api.apps.v1.DeploymentStatus']: obj(
    { observedGeneration: int64, replicas: int, updatedReplicas: int, readyReplicas: int, availableReplicas: int, unavailableReplicas: int, conditions, collisionCount: int },
    undefined,
    'DeploymentStatus is the most recently observed status of the Deployment.',
  ),
  ['io.k8s.api.apps.v1.ReplicaSetStatus']: obj(
    { replicas: int, fullyLabeledReplicas: int, readyReplicas: int, availableReplicas: int, observedGeneration: int64, conditions },
    ['replicas'],
    'ReplicaSetStatus represents the current status of a ReplicaSet.',
  ),
  ['io.k8s.api.autoscaling.v1.ScaleStatus']: obj({ replicas: int, selector: str }, ['replicas'], 'ScaleStatus represents the current status of a scale subresource.'),
  ['io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus']: obj(
    {
      observedGeneration: int64,
      lastScaleTime: time,
      currentReplicas: int,
      desiredReplicas: int,
      currentMetrics: arr({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }),
      conditions,
    },
    ['desiredReplicas'],
    'HorizontalPodAutoscalerStatus describes the current status of a horizontal pod autoscaler.',
  ),
  [`${kubevirt}.VirtualMachineInstanceStatus`]: obj(
    {
      phase: oneOf('Pending', 'Scheduling', 'Scheduled', 'Running', 'Succeeded', 'Failed', 'Unknown'),
      nodeName: str,
      conditions,
      interfaces: arr(obj({ name: str, ipAddress: str, ipAddresses: arr(str), mac: str })),
      reason: str,
      guestOSInfo: map(str),
      phaseTransitionTimestamps: arr(obj({ phase: str, phaseTransitionTimestamp: time })),
      qosClass: str,
      launcherContainerImageVersion: str,
    },
    undefined,
    'VirtualMachineInstanceStatus represents information about the status of a VirtualMachineInstance. Status may trail the actual state of a system.',
  ),
  [`${kubevirt}.VirtualMachineStatus`]: obj(
    {
      created: bool,
      ready: bool,
      printableStatus: str,
      conditions,
      stateChangeRequests: arr(obj({ action: oneOf('Start', 'Stop'), uid: str }, ['action'])),
      observedGeneration: int64,
      desiredGeneration: int64,
      startFailure: obj({ consecutiveFailCount: int, retryAfterTimestamp: time }),
      runStrategy: str,
    },
    undefined,
    'VirtualMachineStatus represents the status returned by the controller to describe how the VirtualMachine is doing',
  ),
  [`${kubevirt}.VirtualMachineInstanceReplicaSetStatus`]: obj({ replicas: int, readyReplicas: int, conditions, labelSelector: str }),
};

/** Which status definition each kind's `status` field points at. */
export const STATUS_OF_KIND: Record<string, string> = {
  [`${core}.Pod`]: `${core}.PodStatus`,
  [`${core}.Node`]: `${core}.NodeStatus`,
  [`${core}.Namespace`]: `${core}.NamespaceStatus`,
  'io.k8s.api.apps.v1.Deployment': 'io.k8s.api.apps.v1.DeploymentStatus',
  'io.k8s.api.apps.v1.ReplicaSet': 'io.k8s.api.apps.v1.ReplicaSetStatus',
  'io.k8s.api.autoscaling.v1.Scale': 'io.k8s.api.autoscaling.v1.ScaleStatus',
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler': 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus',
  [`${kubevirt}.VirtualMachineInstance`]: `${kubevirt}.VirtualMachineInstanceStatus`,
  [`${kubevirt}.VirtualMachine`]: `${kubevirt}.VirtualMachineStatus`,
  [`${kubevirt}.VirtualMachineInstanceReplicaSet`]: `${kubevirt}.VirtualMachineInstanceReplicaSetStatus`,
};

const gvk = (kind: string): JsonSchema => ({ 'x-kubernetes-group-version-kind': [{ group: 'metrics.k8s.io', kind, version: 'v1beta1' }] });
const metricsMeta = (description: string): Record<string, JsonSchema> => ({
  apiVersion: str,
  kind: str,
  metadata: ref(`${META_PACKAGE}.ObjectMeta`),
  timestamp: { ...time, description: 'The following fields define time interval from which metrics were collected from the interval [Timestamp-Window, Timestamp].' },
  window: { type: 'string', description },
});

/** metrics.k8s.io/v1beta1, as metrics-server publishes it. */
const METRICS_SCHEMAS: Record<string, JsonSchema> = {
  [`${metrics}.NodeMetrics`]: {
    ...obj({ ...metricsMeta('Window is the duration of the sample.'), usage: { ...quantities, description: 'The memory usage is the memory working set.' } }, ['timestamp', 'window', 'usage'], 'NodeMetrics sets resource usage metrics of a node.'),
    ...gvk('NodeMetrics'),
  },
  [`${metrics}.PodMetrics`]: {
    ...obj(
      { ...metricsMeta('Window is the duration of the sample.'), containers: arr(ref(`${metrics}.ContainerMetrics`), { description: 'Metrics for all containers are collected within the same time window.' }) },
      ['timestamp', 'window', 'containers'],
      'PodMetrics sets resource usage metrics of a pod.',
    ),
    ...gvk('PodMetrics'),
  },
  [`${metrics}.ContainerMetrics`]: obj({ name: str, usage: quantities }, ['name', 'usage'], 'ContainerMetrics sets resource usage metrics of a container.'),
  [`${metrics}.NodeMetricsList`]: { ...obj({ apiVersion: str, items: arr(ref(`${metrics}.NodeMetrics`)), kind: str, metadata: ref(LIST_META) }, ['items'], 'NodeMetricsList is a list of NodeMetrics.'), ...gvk('NodeMetricsList') },
  [`${metrics}.PodMetricsList`]: { ...obj({ apiVersion: str, items: arr(ref(`${metrics}.PodMetrics`)), kind: str, metadata: ref(LIST_META) }, ['items'], 'PodMetricsList is a list of PodMetrics.'), ...gvk('PodMetricsList') },
};

export function staticSchemas(): Record<string, JsonSchema> {
  return { ...META_SCHEMAS, ...STATUS_SCHEMAS, ...METRICS_SCHEMAS };
}
