// The placement rules that drifted between the scheduler, `coxctl why` and the dashboard,
// as one table. Every consumer's spec runs it (contract tests), so a rule can only change
// in one place: libs/scheduling.
import type { Node, Pod, VirtualMachineInstance } from '@coxswain/api/browser';
import { nodeObject, NodeOptions, podObject, PodOptions, vmiObject, VmiOptions } from './fixtures';

export interface DriftCase {
  name: string;
  workload: Pod | VirtualMachineInstance;
  nodes: Node[];
  bound: { pods: Pod[]; vmis: VirtualMachineInstance[] };
  /** Per node, the reason the scheduler counts (its first rejecting filter), or undefined when it fits. */
  want: Record<string, string | undefined>;
  /** The workload's CPU request as the scheduler counts it, where the case is about that. */
  wantMilliCpu?: number;
}

const node = (name: string, o: NodeOptions = {}) => nodeObject(name, o);
const pod = (name: string, o: PodOptions = {}) => podObject(name, o);
const vmi = (name: string, o: VmiOptions = {}) => vmiObject(name, o);
const requiredTerms = (terms: unknown[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } }) as Pod['spec']['affinity'];
const none = { pods: [], vmis: [] };
const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const podTerm = (matchLabels: Record<string, string>, topologyKey: string) => ({ labelSelector: { matchLabels }, topologyKey });
const requiredPod = (kind: 'podAffinity' | 'podAntiAffinity', matchLabels: Record<string, string>, topologyKey: string) =>
  ({ [kind]: { requiredDuringSchedulingIgnoredDuringExecution: [podTerm(matchLabels, topologyKey)] } }) as Pod['spec']['affinity'];
const web = { app: 'web' };

export const DRIFT_CASES: DriftCase[] = [
  {
    // KubeVirt's default cpuAllocationRatio: 100m per vCPU (+10m VM overhead), not whole cores.
    name: 'VMI CPU without a request counts 100m per vCPU',
    workload: vmi('vm', { cores: 2, guest: '128Mi' }),
    nodes: [node('small', { cpu: '300m' }), node('tiny', { cpu: '200m' })],
    bound: none,
    want: { small: undefined, tiny: 'Insufficient cpu' },
    wantMilliCpu: 210,
  },
  {
    name: 'an empty node-selector term matches no node',
    workload: pod('p', { cpu: '100m', affinity: requiredTerms([{}]) }),
    nodes: [node('a')],
    bound: none,
    want: { a: "node(s) didn't match Pod's node affinity/selector" },
  },
  {
    // Beyond 2^53 floating point calls these equal; Kubernetes compares integers.
    name: 'Gt/Lt compare large numbers exactly',
    workload: pod('p', { cpu: '100m', affinity: requiredTerms([{ matchExpressions: [{ key: 'example.io/serial', operator: 'Gt', values: ['9007199254740992'] }] }]) }),
    nodes: [node('above', { labels: { 'example.io/serial': '9007199254740993' } }), node('equal', { labels: { 'example.io/serial': '9007199254740992' } })],
    bound: none,
    want: { above: undefined, equal: "node(s) didn't match Pod's node affinity/selector" },
  },
  {
    name: 'a workload tolerating not-ready may go to a not-ready node',
    workload: pod('p', { cpu: '100m', tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }] }),
    nodes: [node('down', { ready: false })],
    bound: none,
    want: { down: undefined },
  },
  {
    name: 'a VMI requiring KVM does not go to a TCG node',
    workload: vmi('vm', { requireKvm: true }),
    nodes: [node('tcg', { hypervisor: 'tcg' }), node('kvm', { hypervisor: 'kvm' })],
    bound: none,
    want: { tcg: "node(s) didn't have KVM", kvm: undefined },
  },
  {
    name: 'the pods limit counts bound workloads',
    workload: pod('p', { cpu: '100m' }),
    nodes: [node('full', { pods: 1 }), node('roomy', { pods: 2 })],
    bound: { pods: [pod('bound-1', { cpu: '10m', nodeName: 'full' }), pod('bound-2', { cpu: '10m', nodeName: 'roomy' })], vmis: [] },
    want: { full: 'Too many pods', roomy: undefined },
  },
  {
    name: 'required pod anti-affinity on the hostname keeps replicas apart',
    workload: pod('web-1', { cpu: '100m', labels: web, affinity: requiredPod('podAntiAffinity', web, HOST) }),
    nodes: [node('a'), node('b')],
    bound: { pods: [pod('web-0', { cpu: '100m', labels: web, affinity: requiredPod('podAntiAffinity', web, HOST), nodeName: 'a' })], vmis: [] },
    want: { a: "node(s) didn't match pod anti-affinity rules", b: undefined },
  },
  {
    // Symmetry: the placed pod's anti-affinity rules the incoming one out, though the incoming one states none.
    name: "a placed pod's required anti-affinity keeps matching pods out of its domain",
    workload: pod('web', { cpu: '100m', labels: web }),
    nodes: [node('a'), node('b')],
    bound: { pods: [pod('loner', { cpu: '100m', labels: { app: 'loner' }, affinity: requiredPod('podAntiAffinity', web, HOST), nodeName: 'a' })], vmis: [] },
    want: { a: "node(s) didn't satisfy existing pods anti-affinity rules", b: undefined },
  },
  {
    name: 'required pod affinity goes to the zone of a match',
    workload: pod('web', { cpu: '100m', labels: web, affinity: requiredPod('podAffinity', { app: 'db' }, ZONE) }),
    nodes: [node('a', { labels: { [ZONE]: 'a' } }), node('b', { labels: { [ZONE]: 'b' } })],
    bound: { pods: [pod('db', { cpu: '100m', labels: { app: 'db' }, nodeName: 'a' })], vmis: [] },
    want: { a: undefined, b: "node(s) didn't match pod affinity rules" },
  },
  {
    name: 'the first pod of a group with affinity to itself may go to any node with the key',
    workload: pod('web-0', { cpu: '100m', labels: web, affinity: requiredPod('podAffinity', web, ZONE) }),
    nodes: [node('a', { labels: { [ZONE]: 'a' } }), node('b', { labels: { [ZONE]: 'b' } })],
    bound: none,
    want: { a: undefined, b: undefined },
  },
  {
    name: 'topology spread with maxSkew 1 refuses the zone that is ahead',
    workload: pod('web-1', { cpu: '100m', labels: web, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: web } }] }),
    nodes: [node('a', { labels: { [ZONE]: 'a' } }), node('b', { labels: { [ZONE]: 'b' } })],
    bound: { pods: [pod('web-0', { cpu: '100m', labels: web, nodeName: 'a' })], vmis: [] },
    want: { a: "node(s) didn't match pod topology spread constraints", b: undefined },
  },
  {
    name: 'an extended resource the node does not have',
    workload: pod('trainer', { cpu: '100m', requests: { 'nvidia.com/gpu': '1' } }),
    nodes: [node('plain'), node('gpu', { extra: { 'nvidia.com/gpu': '1' } })],
    bound: none,
    want: { plain: 'Insufficient nvidia.com/gpu', gpu: undefined },
  },
  {
    // Node agents report their filesystem; a node that reports nothing is not held against the pod.
    name: 'ephemeral-storage is checked only where the node reports it',
    workload: pod('scratch', { cpu: '100m', requests: { 'ephemeral-storage': '8Gi' } }),
    nodes: [node('silent'), node('small', { extra: { 'ephemeral-storage': '4Gi' } }), node('big', { extra: { 'ephemeral-storage': '100Gi' } })],
    bound: none,
    want: { silent: undefined, small: 'Insufficient ephemeral-storage', big: undefined },
  },
  {
    name: 'two pods cannot bind the same host port on one node',
    workload: pod('proxy-1', { cpu: '100m', hostPorts: [{ hostPort: 8080 }] }),
    nodes: [node('a'), node('b')],
    bound: { pods: [pod('proxy-0', { cpu: '100m', hostPorts: [{ hostPort: 8080 }], nodeName: 'a' })], vmis: [] },
    want: { a: "node(s) didn't have free ports for the requested pod ports", b: undefined },
  },
];
