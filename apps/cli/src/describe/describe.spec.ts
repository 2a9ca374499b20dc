// Golden pages for describe, from the printer fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifestText } from '../manifests/read';
import { expectGolden } from '../testing/golden';
import { describePod } from './pod';
import { describeDeployment, describeGeneric, describeNode } from './workloads';
import { smartLabel } from './writer';

const NOW = new Date('2025-06-01T12:00:00Z');
const objects = parseManifestText(readFileSync(join(__dirname, '../printers/testdata/objects.yaml'), 'utf8'), 'objects.yaml');
const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
const event = (reason: string, message: string, extra: Record<string, unknown> = {}) => ({ type: 'Normal', reason, message, source: { component: 'default-scheduler' }, firstTimestamp: '2025-06-01T11:57:31Z', lastTimestamp: '2025-06-01T11:57:31Z', ...extra });

describe('describe (golden)', () => {
  it('a running pod with restarts, owner and events', () => {
    const pod = { ...find('Pod', 'web-7d4b9c-abcde') };
    pod.metadata = { ...pod.metadata, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-7d4b9c', controller: true, uid: 'u' }] };
    pod.spec = { ...pod.spec, containers: [{ ...pod.spec.containers[0], ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } }, env: [{ name: 'MODE', value: 'prod' }] }, pod.spec.containers[1]] };
    const events = [event('Pulled', 'Container image "nginx:1.27" already present on machine', { source: { component: 'kubelet', host: 'node-1' }, count: 3, firstTimestamp: '2025-06-01T11:57:35Z', lastTimestamp: '2025-06-01T11:59:15Z' }), event('Scheduled', 'Successfully assigned default/web-7d4b9c-abcde to node-1')];
    expectGolden(__dirname, 'pod', describePod(pod, events, NOW));
  });

  it('a pending pod and no events', () => {
    expectGolden(__dirname, 'pod-pending', describePod(find('Pod', 'pending-big'), [], NOW));
  });

  it('a deployment with its replica sets', () => {
    const rs = (name: string, revision: string, replicas: number) => ({ metadata: { name, annotations: { 'deployment.kubernetes.io/revision': revision } }, spec: { replicas }, status: { replicas } });
    expectGolden(__dirname, 'deployment', describeDeployment(find('Deployment', 'web'), [rs('web-old', '1', 1), rs('web-7d4b9c', '2', 3)], [], NOW));
  });

  it('a node with its pods and allocation', () => {
    const node = { ...find('Node', 'node-1') };
    node.status = { ...node.status, capacity: { cpu: '2', memory: '4Gi', pods: '110' }, allocatable: { cpu: '2', memory: '4Gi', pods: '110' } };
    node.spec = { taints: [{ key: 'dedicated', value: 'vm', effect: 'NoSchedule' }] };
    const pod = { metadata: { namespace: 'default', name: 'web-0', creationTimestamp: '2025-06-01T11:00:00Z' }, spec: { containers: [{ resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } }] } };
    expectGolden(__dirname, 'node', describeNode(node, [pod], undefined, NOW));
  });

  it('a VM with the generic describer', () => {
    const vm = { ...find('VirtualMachine', 'db') };
    vm.spec = { runStrategy: 'Always', template: { spec: { domain: { devices: { disks: [{ name: 'root', disk: { bus: 'virtio' } }] } } } } };
    expectGolden(__dirname, 'vm-generic', describeGeneric(vm, [], NOW));
  });

  it.each([
    ['creationTimestamp', 'Creation Timestamp'],
    ['apiVersion', 'API Version'],
    ['uid', 'UID'],
    ['podIP', 'Pod IP'],
    ['kubernetes.io/hostname', 'kubernetes.io/hostname'],
  ])('smartLabel(%s)', (field, want) => {
    expect(smartLabel(field)).toBe(want);
  });
});
