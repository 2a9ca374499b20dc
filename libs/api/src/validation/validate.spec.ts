import { applyDefaults } from '../defaults/defaults';
import { StatusError } from '../status/status';
import { assertValid, validateObject } from './validate';
import { validateUpdate } from './update';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pod = (spec: Obj = {}, metadata: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', ...metadata },
  spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec },
});

const deployment = (spec: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] } },
    ...spec,
  },
});

const vmi = (spec: Obj = {}): Obj => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachineInstance',
  metadata: { name: 'tiny', namespace: 'default' },
  spec: {
    domain: {
      cpu: { cores: 1 },
      resources: { requests: { memory: '128Mi' } },
      firmware: { kernelBoot: { container: { image: 'coxswain/tiny-vm', kernelPath: '/boot/vmlinuz', initrdPath: '/boot/initrd.img' }, kernelArgs: 'console=ttyS0' } },
      devices: { disks: [{ name: 'cloudinit', disk: { bus: 'virtio' } }] },
    },
    volumes: [{ name: 'cloudinit', cloudInitNoCloud: { userData: '#!/bin/sh\necho hi' } }],
    ...spec,
  },
});

const vm = (spec: Obj = {}): Obj => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachine',
  metadata: { name: 'tiny', namespace: 'default' },
  spec: { runStrategy: 'Always', template: { metadata: { labels: { vm: 'tiny' } }, spec: vmi().spec }, ...spec },
});

const hpa = (spec: Obj = {}): Obj => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 1,
    maxReplicas: 5,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    ...spec,
  },
});

const withContainer = (patch: Obj): Obj => pod({ containers: [{ name: 'app', image: 'busybox', ...patch }] });

const validCases: Array<[string, Obj]> = [
  ['minimal pod', pod()],
  ['pod with everything', pod({
    restartPolicy: 'OnFailure',
    terminationGracePeriodSeconds: 5,
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }, { operator: 'Exists' }],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
    volumes: [{ name: 'data', emptyDir: {} }],
    containers: [{
      name: 'app',
      image: 'reg.local:5000/team/app:1.0',
      command: ['sh', '-c'],
      args: ['sleep 3600'],
      env: [{ name: 'MODE', value: 'x' }],
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: 1, memory: '128Mi' } },
      livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
      readinessProbe: { tcpSocket: { port: 8080 } },
      startupProbe: { exec: { command: ['true'] }, failureThreshold: 30 },
      volumeMounts: [{ name: 'data', mountPath: '/data' }],
    }],
  })],
  ['pod with init containers', pod({
    volumes: [{ name: 'work', emptyDir: {} }],
    initContainers: [{ name: 'wait-for-db', image: 'busybox', command: ['sh', '-c', 'until nc -z db 5432; do sleep 1; done'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
  })],
  ['pod with generateName only', pod({}, { name: undefined, generateName: 'web-' })],
  ['pod with labels and annotations', pod({}, { labels: { app: 'web', 'example.com/tier': 'front' }, annotations: { 'note': 'anything goes: {"json": true}' } })],
  ['deployment', deployment()],
  ['deployment with Recreate', deployment({ strategy: { type: 'Recreate' } })],
  ['deployment with matchExpressions', deployment({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] } })],
  ['deployment scaled to zero', deployment({ replicas: 0 })],
  ['replicaset', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { replicas: 1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } } }],
  ['namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } }],
  ['node with taints', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1.example' }, spec: { unschedulable: true, taints: [{ key: 'dedicated', value: 'vm', effect: 'NoSchedule' }] } }],
  ['lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00.000000Z' } }],
  ['event', { apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, reason: 'Scheduled', message: 'ok', type: 'Normal', count: 1 }],
  ['hpa', hpa()],
  ['hpa with AverageValue and behavior', hpa({ metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } }], behavior: { scaleDown: { stabilizationWindowSeconds: 30, policies: [{ type: 'Pods', value: 1, periodSeconds: 15 }] } } })],
  ['vmi kernel boot', vmi()],
  ['vmi containerDisk boot with memory.guest', vmi({ domain: { memory: { guest: '256Mi' }, devices: { disks: [{ name: 'root' }] } }, volumes: [{ name: 'root', containerDisk: { image: 'quay.io/containerdisks/fedora:40' } }] })],
  ['vmi configMap and secret disks (KubeVirt shape)', vmi({ domain: { ...vmi().spec.domain, devices: { disks: [{ name: 'cloudinit' }, { name: 'cfg', serial: 'CVLY623300HK240D' }, { name: 'sec', serial: 'D23YZ9W6WA5DJ487' }] } }, volumes: [...vmi().spec.volumes, { name: 'cfg', configMap: { name: 'app-config' } }, { name: 'sec', secret: { secretName: 'app-secret', optional: true, volumeLabel: 'SECRETS' } }] })],
  ['vmi cloud-init with networkData', vmi({ volumes: [{ name: 'cloudinit', cloudInitNoCloud: { userData: '#!/bin/sh\n', networkData: 'version: 2\n' } }] })],
  ['vm with runStrategy', vm()],
  ['vm with running', vm({ runStrategy: undefined, running: false })],
  ['vmirs', { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceReplicaSet', metadata: { name: 'pool' }, spec: { replicas: 2, selector: { matchLabels: { vm: 'pool' } }, template: { metadata: { labels: { vm: 'pool' } }, spec: vmi().spec } } }],
];

describe('validateObject accepts valid objects', () => {
  it.each(validCases)('%s', (_name, obj) => {
    const result = validateObject(applyDefaults(obj as never));
    expect(result.causes).toEqual([]);
    expect(result.unknownFields).toEqual([]);
  });
});

const invalidCases: Array<[string, Obj, string, string]> = [
  ['uppercase name', pod({}, { name: 'Web' }), 'metadata.name', 'FieldValueInvalid'],
  ['name with underscore', pod({}, { name: 'web_1' }), 'metadata.name', 'FieldValueInvalid'],
  ['name too long', pod({}, { name: 'a'.repeat(254) }), 'metadata.name', 'FieldValueInvalid'],
  ['missing name', pod({}, { name: undefined }), 'metadata.name', 'FieldValueRequired'],
  ['namespace with dot', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }, 'metadata.name', 'FieldValueInvalid'],
  ['bad pod namespace', pod({}, { namespace: 'Prod' }), 'metadata.namespace', 'FieldValueInvalid'],
  ['bad label key', pod({}, { labels: { '-x': 'y' } }), 'metadata.labels', 'FieldValueInvalid'],
  ['bad label value', pod({}, { labels: { x: 'a b' } }), 'metadata.labels', 'FieldValueInvalid'],
  ['non-string label value', pod({}, { labels: { x: 1 } }), 'metadata.labels', 'FieldValueInvalid'],
  ['two controllers', pod({}, { ownerReferences: [{ apiVersion: 'v1', kind: 'A', name: 'a', uid: '1', controller: true }, { apiVersion: 'v1', kind: 'B', name: 'b', uid: '2', controller: true }] }), 'metadata.ownerReferences', 'FieldValueInvalid'],
  ['ownerReference without uid', pod({}, { ownerReferences: [{ apiVersion: 'v1', kind: 'A', name: 'a' }] }), 'metadata.ownerReferences[0].uid', 'FieldValueRequired'],
  ['unknown restartPolicy', pod({ restartPolicy: 'Sometimes' }), 'spec.restartPolicy', 'FieldValueNotSupported'],
  ['no containers', pod({ containers: [] }), 'spec.containers', 'FieldValueRequired'],
  ['containers missing', pod({ containers: undefined }), 'spec.containers', 'FieldValueRequired'],
  ['containers not a list', pod({ containers: 'busybox' }), 'spec.containers', 'FieldValueInvalid'],
  ['container without image', pod({ containers: [{ name: 'app' }] }), 'spec.containers[0].image', 'FieldValueRequired'],
  ['container without name', pod({ containers: [{ image: 'busybox' }] }), 'spec.containers[0].name', 'FieldValueRequired'],
  ['container bad name', withContainer({ name: 'App' }), 'spec.containers[0].name', 'FieldValueInvalid'],
  ['duplicate container names', pod({ containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] }), 'spec.containers[1].name', 'FieldValueDuplicate'],
  ['negative grace period', pod({ terminationGracePeriodSeconds: -1 }), 'spec.terminationGracePeriodSeconds', 'FieldValueInvalid'],
  ['fractional grace period', pod({ terminationGracePeriodSeconds: 1.5 }), 'spec.terminationGracePeriodSeconds', 'FieldValueInvalid'],
  ['string grace period', pod({ terminationGracePeriodSeconds: '30' }), 'spec.terminationGracePeriodSeconds', 'FieldValueInvalid'],
  ['malformed cpu quantity', withContainer({ resources: { requests: { cpu: '1.2.3' } } }), 'spec.containers[0].resources.requests', 'FieldValueInvalid'],
  ['malformed memory quantity', withContainer({ resources: { limits: { memory: '64MB' } } }), 'spec.containers[0].resources.limits', 'FieldValueInvalid'],
  ['negative quantity', withContainer({ resources: { requests: { cpu: '-1' } } }), 'spec.containers[0].resources.requests', 'FieldValueInvalid'],
  ['request above limit', withContainer({ resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }), 'spec.containers[0].resources.requests', 'FieldValueInvalid'],
  ['port out of range', withContainer({ ports: [{ containerPort: 70000 }] }), 'spec.containers[0].ports[0].containerPort', 'FieldValueInvalid'],
  ['port zero', withContainer({ ports: [{ containerPort: 0 }] }), 'spec.containers[0].ports[0].containerPort', 'FieldValueInvalid'],
  ['bad protocol', withContainer({ ports: [{ containerPort: 80, protocol: 'ICMP' }] }), 'spec.containers[0].ports[0].protocol', 'FieldValueNotSupported'],
  ['bad port name', withContainer({ ports: [{ containerPort: 80, name: 'HTTP' }] }), 'spec.containers[0].ports[0].name', 'FieldValueInvalid'],
  ['duplicate port', withContainer({ ports: [{ containerPort: 80 }, { containerPort: 80 }] }), 'spec.containers[0].ports[1]', 'FieldValueDuplicate'],
  ['bad env name', withContainer({ env: [{ name: '1X', value: 'v' }] }), 'spec.containers[0].env[0].name', 'FieldValueInvalid'],
  ['env without name', withContainer({ env: [{ value: 'v' }] }), 'spec.containers[0].env[0].name', 'FieldValueRequired'],
  ['bad pull policy', withContainer({ imagePullPolicy: 'Sometimes' }), 'spec.containers[0].imagePullPolicy', 'FieldValueNotSupported'],
  ['probe without handler', withContainer({ livenessProbe: { periodSeconds: 5 } }), 'spec.containers[0].livenessProbe', 'FieldValueRequired'],
  ['probe with two handlers', withContainer({ readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } }), 'spec.containers[0].readinessProbe.tcpSocket', 'FieldValueForbidden'],
  ['probe period zero', withContainer({ livenessProbe: { exec: { command: ['true'] }, periodSeconds: 0 } }), 'spec.containers[0].livenessProbe.periodSeconds', 'FieldValueInvalid'],
  ['liveness successThreshold 2', withContainer({ livenessProbe: { exec: { command: ['true'] }, successThreshold: 2 } }), 'spec.containers[0].livenessProbe.successThreshold', 'FieldValueInvalid'],
  ['startup successThreshold 2', withContainer({ startupProbe: { exec: { command: ['true'] }, successThreshold: 2 } }), 'spec.containers[0].startupProbe.successThreshold', 'FieldValueInvalid'],
  ['readiness probe with its own grace', withContainer({ readinessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 5 } }), 'spec.containers[0].readinessProbe.terminationGracePeriodSeconds', 'FieldValueInvalid'],
  ['liveness probe grace 0', withContainer({ livenessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 0 } }), 'spec.containers[0].livenessProbe.terminationGracePeriodSeconds', 'FieldValueInvalid'],
  ['httpGet without port', withContainer({ livenessProbe: { httpGet: { path: '/' } } }), 'spec.containers[0].livenessProbe.httpGet.port', 'FieldValueRequired'],
  ['init container with a readiness probe', pod({ initContainers: [{ name: 'init', image: 'busybox', readinessProbe: { exec: { command: ['true'] } } }] }), 'spec.initContainers[0].readinessProbe', 'FieldValueForbidden'],
  ['init container with a liveness probe', pod({ initContainers: [{ name: 'init', image: 'busybox', livenessProbe: { exec: { command: ['true'] } } }] }), 'spec.initContainers[0].livenessProbe', 'FieldValueForbidden'],
  ['init container with a startup probe', pod({ initContainers: [{ name: 'init', image: 'busybox', startupProbe: { exec: { command: ['true'] } } }] }), 'spec.initContainers[0].startupProbe', 'FieldValueForbidden'],
  ['init container with a lifecycle hook', pod({ initContainers: [{ name: 'init', image: 'busybox', lifecycle: { postStart: { exec: { command: ['true'] } } } }] }), 'spec.initContainers[0].lifecycle', 'FieldValueForbidden'],
  ['sidecar (init container with restartPolicy Always)', pod({ initContainers: [{ name: 'proxy', image: 'busybox', restartPolicy: 'Always' }] }), 'spec.initContainers[0].restartPolicy', 'FieldValueForbidden'],
  ['app container with a restartPolicy', withContainer({ restartPolicy: 'Always' }), 'spec.containers[0].restartPolicy', 'FieldValueForbidden'],
  ['mount of unknown volume', withContainer({ volumeMounts: [{ name: 'nope', mountPath: '/x' }] }), 'spec.containers[0].volumeMounts[0].name', 'FieldValueNotFound'],
  ['toleration Exists with value', pod({ tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }), 'spec.tolerations[0].operator', 'FieldValueInvalid'],
  ['toleration bad effect', pod({ tolerations: [{ key: 'k', effect: 'Sometimes' }] }), 'spec.tolerations[0].effect', 'FieldValueNotSupported'],
  ['tolerationSeconds without NoExecute', pod({ tolerations: [{ key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 }] }), 'spec.tolerations[0].effect', 'FieldValueInvalid'],
  ['node affinity In without values', pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'z', operator: 'In' }] }] } } } }), 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values', 'FieldValueRequired'],
  ['node affinity bad operator', pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'z', operator: 'Near' }] }] } } } }), 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator', 'FieldValueNotSupported'],
  ['bad nodeSelector', pod({ nodeSelector: { 'a b': 'c' } }), 'spec.nodeSelector', 'FieldValueInvalid'],
  ['negative replicas', deployment({ replicas: -1 }), 'spec.replicas', 'FieldValueInvalid'],
  ['deployment without selector', deployment({ selector: undefined }), 'spec.selector', 'FieldValueRequired'],
  ['deployment empty selector', deployment({ selector: {} }), 'spec.selector', 'FieldValueInvalid'],
  ['selector does not match template', deployment({ selector: { matchLabels: { app: 'db' } } }), 'spec.template.metadata.labels', 'FieldValueInvalid'],
  ['deployment restartPolicy Never', deployment({ template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'b' }] } } }), 'spec.template.spec.restartPolicy', 'FieldValueNotSupported'],
  ['deployment bad strategy', deployment({ strategy: { type: 'BlueGreen' } }), 'spec.strategy.type', 'FieldValueNotSupported'],
  ['recreate with rollingUpdate', deployment({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }), 'spec.strategy.rollingUpdate', 'FieldValueForbidden'],
  ['maxSurge and maxUnavailable 0', deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } }), 'spec.strategy.rollingUpdate.maxUnavailable', 'FieldValueInvalid'],
  ['bad maxSurge', deployment({ strategy: { rollingUpdate: { maxSurge: 'lots' } } }), 'spec.strategy.rollingUpdate.maxSurge', 'FieldValueInvalid'],
  ['selector bad operator', deployment({ selector: { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] } }), 'spec.selector.matchExpressions[0].operator', 'FieldValueNotSupported'],
  ['template container invalid', deployment({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a' }] } } }), 'spec.template.spec.containers[0].image', 'FieldValueRequired'],
  ['node duplicate taint', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'a', effect: 'NoSchedule' }] } }, 'spec.taints[1]', 'FieldValueDuplicate'],
  ['node taint bad effect', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { taints: [{ key: 'a', effect: 'Never' }] } }, 'spec.taints[0].effect', 'FieldValueNotSupported'],
  ['node with namespace', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', namespace: 'default' } }, 'metadata.namespace', 'FieldValueForbidden'],
  ['hpa max below min', hpa({ minReplicas: 5, maxReplicas: 2 }), 'spec.maxReplicas', 'FieldValueInvalid'],
  ['hpa minReplicas 0', hpa({ minReplicas: 0 }), 'spec.minReplicas', 'FieldValueInvalid'],
  ['hpa no maxReplicas', hpa({ maxReplicas: undefined }), 'spec.maxReplicas', 'FieldValueRequired'],
  ['hpa utilization without value', hpa({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }] }), 'spec.metrics[0].resource.target.averageUtilization', 'FieldValueRequired'],
  ['hpa unknown resource', hpa({ metrics: [{ type: 'Resource', resource: { name: 'gpu', target: { type: 'Utilization', averageUtilization: 5 } } }] }), 'spec.metrics[0].resource.name', 'FieldValueNotSupported'],
  ['hpa bad averageValue', hpa({ metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1 GB' } } }] }), 'spec.metrics[0].resource.target.averageValue', 'FieldValueInvalid'],
  ['hpa window too long', hpa({ behavior: { scaleUp: { stabilizationWindowSeconds: 4000 } } }), 'spec.behavior.scaleUp.stabilizationWindowSeconds', 'FieldValueInvalid'],
  ['hpa without target', hpa({ scaleTargetRef: undefined }), 'spec.scaleTargetRef', 'FieldValueRequired'],
  ['vmi without memory', vmi({ domain: { cpu: { cores: 1 }, firmware: vmi().spec.domain.firmware } , volumes: [] }), 'spec.domain.resources.requests.memory', 'FieldValueRequired'],
  ['vmi zero cores', vmi({ domain: { ...vmi().spec.domain, cpu: { cores: 0 } } }), 'spec.domain.cpu.cores', 'FieldValueInvalid'],
  ['vmi bad memory', vmi({ domain: { ...vmi().spec.domain, resources: { requests: { memory: 'lots' } } } }), 'spec.domain.resources.requests', 'FieldValueInvalid'],
  ['vmi disk without volume', vmi({ volumes: [] }), 'spec.domain.devices.disks[0].name', 'FieldValueInvalid'],
  ['vmi volume without source', vmi({ volumes: [{ name: 'cloudinit' }] }), 'spec.volumes[0]', 'FieldValueRequired'],
  ['vmi containerDisk without image', vmi({ volumes: [{ name: 'cloudinit', containerDisk: {} }] }), 'spec.volumes[0].containerDisk.image', 'FieldValueRequired'],
  ['vmi kernelBoot without image', vmi({ domain: { ...vmi().spec.domain, firmware: { kernelBoot: { container: { kernelPath: '/k' } } } } }), 'spec.domain.firmware.kernelBoot.container.image', 'FieldValueRequired'],
  ['vmi interface without network', vmi({ domain: { ...vmi().spec.domain, devices: { disks: vmi().spec.domain.devices.disks, interfaces: [{ name: 'x', masquerade: {} }] } }, networks: [] }), 'spec.domain.devices.interfaces[0].name', 'FieldValueInvalid'],
  ['vmi configMap volume without name', vmi({ volumes: [{ name: 'cloudinit', configMap: {} }] }), 'spec.volumes[0].configMap.name', 'FieldValueRequired'],
  ['vmi secret volume without secretName', vmi({ volumes: [{ name: 'cloudinit', secret: { volumeLabel: 'cfgdata' } }] }), 'spec.volumes[0].secret.secretName', 'FieldValueRequired'],
  ['vmi volume label with a comma', vmi({ volumes: [{ name: 'cloudinit', configMap: { name: 'c', volumeLabel: 'a,b' } }] }), 'spec.volumes[0].configMap.volumeLabel', 'FieldValueInvalid'],
  ['vmi volume with configMap and secret', vmi({ volumes: [{ name: 'cloudinit', configMap: { name: 'c' }, secret: { secretName: 's' } }] }), 'spec.volumes[0].secret', 'FieldValueForbidden'],
  ['vmi disk serial over 20 characters', vmi({ domain: { ...vmi().spec.domain, devices: { disks: [{ name: 'cloudinit', serial: 'S'.repeat(21) }] } } }), 'spec.domain.devices.disks[0].serial', 'FieldValueInvalid'],
  ['vmi disk serial with a space', vmi({ domain: { ...vmi().spec.domain, devices: { disks: [{ name: 'cloudinit', serial: 'a b' }] } } }), 'spec.domain.devices.disks[0].serial', 'FieldValueInvalid'],
  ['vmi dataVolume without a name', vmi({ volumes: [{ name: 'cloudinit', dataVolume: {} }] }), 'spec.volumes[0].dataVolume.name', 'FieldValueRequired'],
  ['vmi serviceAccount volume (no token issuer)', vmi({ volumes: [{ name: 'cloudinit', serviceAccount: { serviceAccountName: 'default' } }] }), 'spec.volumes[0].serviceAccount', 'FieldValueForbidden'],
  ['vm dataVolumeTemplate without storage', vm({ dataVolumeTemplates: [{ metadata: { name: 'disk' }, spec: { source: { registry: { url: 'docker://x' } } } }] }), 'spec.dataVolumeTemplates[0].spec.pvc', 'FieldValueRequired'],
  ['vm dataVolumeTemplate without a name', vm({ dataVolumeTemplates: [{ spec: { source: { blank: {} }, storage: { resources: { requests: { storage: '1Gi' } } } } }] }), 'spec.dataVolumeTemplates[0].metadata.name', 'FieldValueRequired'],
  ['pod asks for a service account token', pod({ automountServiceAccountToken: true }), 'spec.automountServiceAccountToken', 'FieldValueForbidden'],
  ['deployment template asks for a service account token', deployment({ template: { metadata: { labels: { app: 'web' } }, spec: { automountServiceAccountToken: true, containers: [{ name: 'a', image: 'b' }] } } }), 'spec.template.spec.automountServiceAccountToken', 'FieldValueForbidden'],
  ['vm bad runStrategy', vm({ runStrategy: 'Sometimes' }), 'spec.runStrategy', 'FieldValueNotSupported'],
  ['vm running and runStrategy', vm({ running: true }), 'spec.running', 'FieldValueForbidden'],
  ['vm without template', vm({ template: undefined }), 'spec.template', 'FieldValueRequired'],
  ['vmirs negative replicas', { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceReplicaSet', metadata: { name: 'p' }, spec: { replicas: -2, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: vmi().spec } } }, 'spec.replicas', 'FieldValueInvalid'],
  ['lease negative duration', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l', namespace: 'x' }, spec: { leaseDurationSeconds: 0 } }, 'spec.leaseDurationSeconds', 'FieldValueInvalid'],
  ['event bad type', { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'd' }, involvedObject: { kind: 'Pod', name: 'p' }, type: 'Error' }, 'type', 'FieldValueNotSupported'],
  ['metadata not an object', { apiVersion: 'v1', kind: 'Pod', metadata: 'web', spec: pod().spec }, 'metadata', 'FieldValueInvalid'],
];

describe('validateObject rejects invalid objects with field paths', () => {
  it.each(invalidCases)('%s → %s (%s)', (_name, obj, field, reason) => {
    const result = validateObject(applyDefaults(obj as never));
    expect(result.causes).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason })]));
  });

  it('words causes like Kubernetes', () => {
    const { causes } = validateObject(pod({ restartPolicy: 'Sometimes' }, { name: 'Web' }));
    expect(causes).toContainEqual({ reason: 'FieldValueNotSupported', field: 'spec.restartPolicy', message: 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"' });
    expect(causes.find((c) => c.field === 'metadata.name')?.message).toMatch(/^Invalid value: "Web": a lowercase RFC 1123 subdomain/);
  });

  it('words an init container\'s probe as Kubernetes does', () => {
    const { causes } = validateObject(pod({ initContainers: [{ name: 'init', image: 'busybox', readinessProbe: { exec: { command: ['true'] } } }] }));
    expect(causes).toEqual([{ reason: 'FieldValueForbidden', field: 'spec.initContainers[0].readinessProbe', message: 'Forbidden: may not be set for init containers' }]);
  });

  it('rejects unknown kinds and non-objects', () => {
    expect(validateObject({ kind: 'Frobnicator', metadata: { name: 'x' } }).causes[0]).toMatchObject({ field: 'kind', reason: 'FieldValueNotSupported' });
    expect(validateObject([]).causes).toHaveLength(1);
    expect(validateObject(null).causes).toHaveLength(1);
  });
});

describe('unknown fields', () => {
  const withExtras = (): Obj => {
    const obj = pod({ frobnicate: true });
    obj.spec.containers[0].imagee = 'typo';
    obj.metadata.labelz = {};
    return obj;
  };

  it('are listed with their paths', () => {
    expect(validateObject(withExtras()).unknownFields.sort()).toEqual(['metadata.labelz', 'spec.containers[0].imagee', 'spec.frobnicate']);
  });

  it('are a 400 under Strict', () => {
    let error: StatusError | undefined;
    try {
      assertValid(withExtras() as never, 'Strict');
    } catch (e) {
      error = e as StatusError;
    }
    expect(error?.code).toBe(400);
    expect(error?.message).toContain('cannot be handled as a Pod: strict decoding error: unknown field');
    expect(error?.message).toContain('unknown field "spec.containers[0].imagee"');
  });

  it('are pruned and reported as warnings under Warn, silently under Ignore', () => {
    const warned = withExtras();
    expect(assertValid(warned as never, 'Warn')).toHaveLength(3);
    expect(warned.spec.frobnicate).toBeUndefined();
    expect(warned.spec.containers[0].imagee).toBeUndefined();
    expect(warned.spec.containers[0].image).toBe('busybox');
    const ignored = withExtras();
    expect(assertValid(ignored as never, 'Ignore')).toEqual([]);
    expect(ignored.metadata.labelz).toBeUndefined();
  });

  it('does not look inside free-form fields (status, annotations)', () => {
    const obj = pod();
    obj.status = { phase: 'Running', anything: { goes: 1 } };
    expect(validateObject(obj).unknownFields).toEqual([]);
  });
});

describe('assertValid', () => {
  it('throws a 422 Invalid Status with causes', () => {
    let error: StatusError | undefined;
    try {
      assertValid(deployment({ replicas: -1 }) as never);
    } catch (e) {
      error = e as StatusError;
    }
    expect(error?.status).toMatchObject({
      kind: 'Status',
      code: 422,
      reason: 'Invalid',
      details: { name: 'web', kind: 'Deployment', group: 'apps', causes: [{ field: 'spec.replicas', reason: 'FieldValueInvalid' }] },
    });
    expect(error?.message).toBe('Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  });
});

describe('ControllerRevision', () => {
  const revision = (extra: Obj): Obj => ({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'agent-5d8c7f', namespace: 'default' }, ...extra });
  const message = (obj: Obj): string | undefined => {
    try {
      assertValid(obj as never);
      return undefined;
    } catch (e) {
      return (e as StatusError).message;
    }
  };

  it.each<[string, Obj, string | undefined]>([
    ['a snapshot with a revision', { data: { spec: { template: { $patch: 'replace' } } }, revision: 2 }, undefined],
    ['no data', { revision: 1 }, 'ControllerRevision "agent-5d8c7f" is invalid: data: Required value'],
    ['a negative revision', { data: {}, revision: -1 }, 'ControllerRevision "agent-5d8c7f" is invalid: revision: Invalid value: -1: must be greater than or equal to 0'],
  ])('%s', (_name, extra, expected) => {
    expect(message(revision(extra))).toBe(expected);
  });

  it('keeps data immutable and lets the revision number move', () => {
    const before = revision({ data: { spec: { template: { a: 1 } } }, revision: 1 });
    expect(validateUpdate(before as never, revision({ data: { spec: { template: { a: 1 } } }, revision: 4 }) as never)).toEqual([]);
    expect(validateUpdate(before as never, revision({ data: { spec: { template: { a: 2 } } }, revision: 1 }) as never).map((c) => [c.field, c.message])).toEqual([['data', 'Invalid value: {"spec":{"template":{"a":2}}}: field is immutable']]);
  });
});

describe('validateUpdate', () => {
  it.each<[string, Obj, Obj, string | undefined]>([
    ['image change is allowed', pod(), withContainer({ image: 'busybox:2' }), undefined],
    ['command change is forbidden', pod(), withContainer({ command: ['x'] }), 'spec'],
    ['rename is forbidden', pod(), pod({}, { name: 'other' }), 'metadata.name'],
    ['rebinding is forbidden', pod({ nodeName: 'a' }), pod({ nodeName: 'b' }), 'spec.nodeName'],
    ['removing a toleration is forbidden', pod({ tolerations: [{ operator: 'Exists' }] }), pod({ tolerations: [] }), 'spec.tolerations'],
    ['adding a toleration is allowed', pod({ tolerations: [] }), pod({ tolerations: [{ operator: 'Exists' }] }), undefined],
    ['deployment replicas change is allowed', deployment(), deployment({ replicas: 7 }), undefined],
    ['deployment selector change is forbidden', deployment(), deployment({ selector: { matchLabels: { app: 'web', x: 'y' } } }), 'spec.selector'],
    ['vmi spec change is forbidden', vmi(), vmi({ terminationGracePeriodSeconds: 1 }), 'spec'],
  ])('%s', (_name, before, after, field) => {
    const causes = validateUpdate(before as never, after as never);
    if (field === undefined) expect(causes).toEqual([]);
    else expect(causes.map((c) => c.field)).toContain(field);
  });

  it('forbids new finalizers on an object being deleted', () => {
    const before = pod({}, { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['a'] });
    const after = pod({}, { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['a', 'b'] });
    expect(validateUpdate(before as never, after as never).map((c) => c.field)).toEqual(['metadata.finalizers']);
  });
});

describe('fields nothing enforces are refused, worded like Kubernetes', () => {
  const service = (spec: Obj): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec } });
  const statefulSet = (spec: Obj): Obj => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'default' }, spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'busybox' }] } }, ...spec } });
  const daemonSet = (podSpec: Obj): Obj => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'busybox' }], ...podSpec } } } });
  const replicaSet = (podSpec: Obj): Obj => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'default' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...podSpec } } } });
  const job = (spec: Obj): Obj => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'default' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec } });
  const mounted = (mount: Obj, securityContext?: Obj): Obj => pod({ volumes: [{ name: 'data', emptyDir: {} }], containers: [{ name: 'app', image: 'busybox', volumeMounts: [{ name: 'data', mountPath: '/data', ...mount }], ...(securityContext ? { securityContext } : {}) }] });
  const hook = (handler: unknown, podSpec: Obj = {}): Obj => pod({ containers: [{ name: 'app', image: 'busybox', lifecycle: { preStop: handler } }], ...podSpec });
  const errors = (obj: Obj): string[] => validateObject(applyDefaults(obj as never)).causes.map((c) => `${c.field}: ${c.message}`);

  it.each<[string, Obj, string[]]>([
    ['hostPID', pod({ hostPID: true }), ['spec.hostPID: Forbidden: not supported by this cluster']],
    ['hostIPC', pod({ hostIPC: true }), ['spec.hostIPC: Forbidden: not supported by this cluster']],
    ['shareProcessNamespace', pod({ shareProcessNamespace: true }), ['spec.shareProcessNamespace: Forbidden: not supported by this cluster']],
    ['hostPID in a Deployment template', deployment({ template: { metadata: { labels: { app: 'web' } }, spec: { hostPID: true, containers: [{ name: 'a', image: 'b' }] } } }), ['spec.template.spec.hostPID: Forbidden: not supported by this cluster']],
    ['volumeDevices', withContainer({ volumeDevices: [{ name: 'disk', devicePath: '/dev/xvda' }] }), ['spec.containers[0].volumeDevices: Forbidden: raw block volumes are not supported by this cluster']],
    ['resources.claims', withContainer({ resources: { claims: [{ name: 'gpu' }] } }), ['spec.containers[0].resources.claims: Forbidden: dynamic resource allocation is not supported by this cluster']],
    ['resourceClaims', pod({ resourceClaims: [{ name: 'gpu', resourceClaimName: 'gpu' }] }), ['spec.resourceClaims: Forbidden: dynamic resource allocation is not supported by this cluster']],
    ['recursiveReadOnly Enabled', mounted({ readOnly: true, recursiveReadOnly: 'Enabled' }), ['spec.containers[0].volumeMounts[0].recursiveReadOnly: Forbidden: recursive read-only mounts are not supported by this cluster; set readOnly (read-only at the mount point only) and leave this unset or "Disabled"']],
    ['recursiveReadOnly IfPossible', mounted({ readOnly: true, recursiveReadOnly: 'IfPossible' }), [expect.stringMatching(/^spec\.containers\[0\]\.volumeMounts\[0\]\.recursiveReadOnly: Forbidden: recursive read-only mounts/) as never]],
    ['recursiveReadOnly typo', mounted({ recursiveReadOnly: 'Off' }), ['spec.containers[0].volumeMounts[0].recursiveReadOnly: Unsupported value: "Off": supported values: "Disabled"']],
    ['os windows', pod({ os: { name: 'windows' } }), ['spec.os.name: Forbidden: Windows pods are not supported by this cluster (its nodes run Linux)']],
    ['os unknown', pod({ os: { name: 'plan9' } }), ['spec.os.name: Unsupported value: "plan9": supported values: "linux", "windows"']],
    ['os without name', pod({ os: {} }), ['spec.os.name: Required value']],
    ['mountPropagation unknown', mounted({ mountPropagation: 'Shared' }), ['spec.containers[0].volumeMounts[0].mountPropagation: Unsupported value: "Shared": supported values: "Bidirectional", "HostToContainer", "None"']],
    ['Bidirectional unprivileged', mounted({ mountPropagation: 'Bidirectional' }), ['spec.containers[0].volumeMounts[0].mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers']],
    ['Bidirectional in an init container', pod({ volumes: [{ name: 'd', emptyDir: {} }], initContainers: [{ name: 'i', image: 'busybox', volumeMounts: [{ name: 'd', mountPath: '/d', mountPropagation: 'Bidirectional' }] }] }), ['spec.initContainers[0].volumeMounts[0].mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers']],
    ['preemptionPolicy unknown', pod({ preemptionPolicy: 'Always' }), ['spec.preemptionPolicy: Unsupported value: "Always": supported values: "Never", "PreemptLowerPriority"']],
    ['ReplicaSet template deadline', replicaSet({ activeDeadlineSeconds: 60 }), ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported']],
    ['Deployment template deadline', deployment({ template: { metadata: { labels: { app: 'web' } }, spec: { activeDeadlineSeconds: 60, containers: [{ name: 'a', image: 'b' }] } } }), ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported']],
    ['StatefulSet template deadline', statefulSet({ template: { metadata: { labels: { app: 'db' } }, spec: { activeDeadlineSeconds: 60, containers: [{ name: 'db', image: 'busybox' }] } } }), ['spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported']],
    ['DaemonSet template deadline', daemonSet({ activeDeadlineSeconds: 60 }), ['spec.template.spec.activeDeadlineSeconds: Invalid value: 60: activeDeadlineSeconds in DaemonSet is not Supported']],
    ['ReplicaSet template restartPolicy', replicaSet({ restartPolicy: 'OnFailure' }), ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"']],
    ['DaemonSet template restartPolicy', daemonSet({ restartPolicy: 'Never' }), ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']],
    ['StatefulSet retention whenDeleted', statefulSet({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' } }), ['spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Retain", "Delete"']],
    ['StatefulSet retention whenScaled', statefulSet({ persistentVolumeClaimRetentionPolicy: { whenScaled: 'delete' } }), ['spec.persistentVolumeClaimRetentionPolicy.whenScaled: Unsupported value: "delete": supported values: "Retain", "Delete"']],
    ['StatefulSet maxUnavailable 0', statefulSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } } }), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: must be greater than 0']],
    ['StatefulSet maxUnavailable 0%', statefulSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '0%' } } }), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "0%": must be greater than 0']],
    ['StatefulSet maxUnavailable 150%', statefulSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '150%' } } }), ['spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%']],
    ['Job podReplacementPolicy', job({ podReplacementPolicy: 'Always' }), ['spec.podReplacementPolicy: Unsupported value: "Always": supported values: "TerminatingOrFailed", "Failed"']],
    ['Service IPv6', service({ ipFamilies: ['IPv6'] }), ['spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster']],
    ['Service IPv4 and IPv6', service({ ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'] }), ['spec.ipFamilies[1]: Invalid value: "IPv6": not configured on this cluster']],
    ['Service RequireDualStack', service({ ipFamilyPolicy: 'RequireDualStack' }), ['spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services']],
    ['Service unknown family', service({ ipFamilies: ['IPv5'] }), ['spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"']],
    ['Service duplicate family', service({ ipFamilies: ['IPv4', 'IPv4'] }), ['spec.ipFamilies[1]: Duplicate value: "IPv4"']],
    ['hook without handler', hook({}), ['spec.containers[0].lifecycle.preStop: Required value: must specify a handler type']],
    ['hook with two handlers', hook({ exec: { command: ['true'] }, sleep: { seconds: 1 } }), ['spec.containers[0].lifecycle.preStop.sleep: Forbidden: may not specify more than 1 handler type']],
    ['exec without command', hook({ exec: { command: [] } }), ['spec.containers[0].lifecycle.preStop.exec.command: Required value']],
    ['httpGet without port', hook({ httpGet: { path: '/quit' } }), ['spec.containers[0].lifecycle.preStop.httpGet.port: Required value']],
    ['httpGet port out of range', hook({ httpGet: { port: 70000 } }), ['spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['httpGet bad scheme', hook({ httpGet: { port: 80, scheme: 'FTP' } }), ['spec.containers[0].lifecycle.preStop.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"']],
    ['tcpSocket without port', hook({ tcpSocket: {} }), ['spec.containers[0].lifecycle.preStop.tcpSocket.port: Required value']],
    ['sleep 0', hook({ sleep: { seconds: 0 } }), ['spec.containers[0].lifecycle.preStop.sleep: Invalid value: 0: must be greater than 0 and less than terminationGracePeriodSeconds (30)']],
    ['sleep past the grace period', hook({ sleep: { seconds: 20 } }, { terminationGracePeriodSeconds: 10 }), ['spec.containers[0].lifecycle.preStop.sleep: Invalid value: 20: must be greater than 0 and less than terminationGracePeriodSeconds (10)']],
    ['stopSignal', withContainer({ lifecycle: { stopSignal: 'SIGUSR1' } }), ['spec.containers[0].lifecycle.stopSignal: Forbidden: not supported by this cluster (its nodes stop containers with SIGTERM, then SIGKILL after the grace period)']],
    ['lifecycle not an object', withContainer({ lifecycle: 'preStop' }), ['spec.containers[0].lifecycle: Invalid value: "preStop": must be an object']],
    ['hostAlias bad ip', pod({ hostAliases: [{ ip: '10.0.0.300', hostnames: ['db'] }] }), ['spec.hostAliases[0].ip: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['hostAlias without ip', pod({ hostAliases: [{ hostnames: ['db'] }] }), ['spec.hostAliases[0].ip: Invalid value: "": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['hostAlias without hostnames', pod({ hostAliases: [{ ip: '10.0.0.5', hostnames: [] }] }), ['spec.hostAliases[0].hostnames: Required value: at least one host name']],
    ['hostAlias bad hostname', pod({ hostAliases: [{ ip: '10.0.0.5', hostnames: ['Foo_Bar'] }] }), [expect.stringMatching(/^spec\.hostAliases\[0\]\.hostnames\[0\]: Invalid value: "Foo_Bar": a lowercase RFC 1123 subdomain/) as never]],
  ])('%s', (_name, obj, want) => {
    expect(errors(obj)).toEqual(want);
  });

  it.each<[string, Obj]>([
    ['host namespaces set to false', pod({ hostPID: false, hostIPC: false, shareProcessNamespace: false })],
    ['empty volumeDevices and claims', pod({ resourceClaims: [], containers: [{ name: 'app', image: 'busybox', volumeDevices: [], resources: { claims: [] } }] })],
    ['recursiveReadOnly Disabled', mounted({ readOnly: true, recursiveReadOnly: 'Disabled' })],
    ['os linux', pod({ os: { name: 'linux' } })],
    ['HostToContainer and None', pod({ volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', emptyDir: {} }], containers: [{ name: 'app', image: 'busybox', volumeMounts: [{ name: 'a', mountPath: '/a', mountPropagation: 'HostToContainer' }, { name: 'b', mountPath: '/b', mountPropagation: 'None' }] }] })],
    ['Bidirectional for a privileged container', mounted({ mountPropagation: 'Bidirectional' }, { privileged: true })],
    ['preemptionPolicy Never', pod({ preemptionPolicy: 'Never', priorityClassName: 'system-cluster-critical' })],
    ['a pod deadline', pod({ activeDeadlineSeconds: 60 })],
    ['a Job template deadline', job({ template: { spec: { activeDeadlineSeconds: 60, restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } })],
    ['StatefulSet retention Delete', statefulSet({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } })],
    ['StatefulSet maxUnavailable 2', statefulSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } })],
    ['Service PreferDualStack (single-stack here)', service({ ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4'] })],
    ['Service SingleStack IPv4', service({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] })],
    ['every hook handler', pod({ containers: [
      { name: 'a', image: 'busybox', lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo hi'] } }, preStop: { httpGet: { port: 'http', path: '/quit', httpHeaders: [{ name: 'X', value: 'y' }] } } } },
      { name: 'b', image: 'busybox', lifecycle: { postStart: { tcpSocket: { port: 80 } }, preStop: { sleep: { seconds: 5 } } } },
    ] })],
    ['host aliases', pod({ hostAliases: [{ ip: '10.0.0.5', hostnames: ['db.local', 'db'] }, { ip: 'fd00::5', hostnames: ['v6'] }] })],
    ['what kubectl run sends', { apiVersion: 'v1', kind: 'Pod', metadata: { creationTimestamp: null, labels: { run: 'web' }, name: 'web' }, spec: { containers: [{ image: 'nginx', name: 'web', resources: {} }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always' }, status: {} }],
    ['what kubectl create deployment sends', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { creationTimestamp: null, labels: { app: 'web' }, name: 'web' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, strategy: {}, template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ image: 'nginx', name: 'nginx', resources: {} }] } } }, status: {} }],
  ])('accepts %s', (_name, obj) => {
    expect(errors(obj)).toEqual([]);
  });

  it('reports unknown keys inside lifecycle, hostAliases and os as unknown fields (a typo is not silently dropped)', () => {
    const obj = pod({ hostAliases: [{ ip: '10.0.0.5', hostnames: ['db'], hostname: 'x' }], os: { name: 'linux', version: '1' }, containers: [{ name: 'app', image: 'busybox', lifecycle: { preStopp: { exec: { command: ['true'] } }, postStart: { exec: { command: ['true'], cmd: 'x' } } } }] });
    expect(validateObject(applyDefaults(obj as never)).unknownFields.sort()).toEqual(['spec.containers[0].lifecycle.postStart.exec.cmd', 'spec.containers[0].lifecycle.preStopp', 'spec.hostAliases[0].hostname', 'spec.os.version']);
    let error: StatusError | undefined;
    try {
      assertValid(applyDefaults(obj as never), 'Strict');
    } catch (e) {
      error = e as StatusError;
    }
    expect(error?.code).toBe(400);
    expect(error?.message).toContain('unknown field "spec.containers[0].lifecycle.preStopp"');
    const warned = applyDefaults(obj as never) as Obj;
    expect(assertValid(warned as never, 'Warn')).toContain('unknown field "spec.containers[0].lifecycle.preStopp"');
    expect(warned.spec.containers[0].lifecycle).toEqual({ postStart: { exec: { command: ['true'] } } });
  });

  it('finds the free-form fields of templates too', () => {
    const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'default' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', lifecycle: { preStp: {} } }] } } } } } };
    expect(validateObject(applyDefaults(cronJob as never)).unknownFields).toEqual(['spec.jobTemplate.spec.template.spec.containers[0].lifecycle.preStp']);
  });

  it('defaults a hook\'s httpGet path and scheme as a probe\'s', () => {
    const defaulted = applyDefaults(hook({ httpGet: { port: 80 } }) as never) as Obj;
    expect(defaulted.spec.containers[0].lifecycle.preStop.httpGet).toEqual({ port: 80, path: '/', scheme: 'HTTP' });
  });

  it('leaves spec.priority to admission (no default of 0 hiding the class)', () => {
    expect((applyDefaults(pod({ priorityClassName: 'system-node-critical' }) as never) as Obj).spec.priority).toBeUndefined();
    expect((applyDefaults(deployment() as never) as Obj).spec.template.spec.priority).toBeUndefined();
  });
});
