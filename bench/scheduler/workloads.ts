// The bench's cluster: hollow nodes with leases, and the mixed Pods and VMIs it creates.
import { Node, Pod, VirtualMachineInstance } from '@coxswain/api';

export const NS = 'bench';

export function hollowNode(i: number): Node {
  const name = `hollow-${String(i).padStart(4, '0')}`;
  // Mostly TCG nodes, some with KVM, a few without a hypervisor; a few tainted or cordoned.
  const hypervisor = i % 20 === 0 ? 'kvm' : i % 20 === 1 ? 'none' : 'tcg';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'coxswain.io/hypervisor': hypervisor, zone: `zone-${i % 3}` } },
    spec: { unschedulable: i % 100 === 7 ? true : undefined, taints: i % 50 === 3 ? [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] : undefined },
    status: {
      capacity: { cpu: '16', memory: '64Gi', pods: '110' },
      allocatable: { cpu: '16', memory: '64Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: new Date().toISOString() }],
    },
  } as Node;
}

export function lease(name: string) {
  const now = new Date().toISOString().replace('Z', '000Z');
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: now } };
}

const CPU = ['100m', '250m', '500m'];
const MEM = ['128Mi', '256Mi', '512Mi'];

export function pod(i: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${i}`, namespace: NS },
    spec: {
      containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu: CPU[i % 3], memory: MEM[(i >> 1) % 3] } } }],
      ...(i % 10 === 0 ? { nodeSelector: { zone: `zone-${i % 3}` } } : {}),
    },
  } as Pod;
}

export function vmi(i: number): VirtualMachineInstance {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: { name: `vmi-${i}`, namespace: NS, annotations: i % 10 === 0 ? { 'coxswain.io/require-kvm': 'true' } : undefined },
    spec: {
      domain: { cpu: { cores: 1 + (i % 2) }, memory: { guest: ['256Mi', '512Mi', '1Gi'][i % 3] }, devices: { disks: [{ name: 'root', disk: { bus: 'virtio' } }] } },
      volumes: [{ name: 'root', containerDisk: { image: 'busybox' } }],
    },
  } as VirtualMachineInstance;
}

