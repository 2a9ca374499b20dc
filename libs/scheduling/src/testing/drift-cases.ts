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
];
