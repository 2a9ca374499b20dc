// One-line builders for Nodes, Pods and VMIs in unit tests.
import type { Node, Pod, Taint, Toleration, VirtualMachineInstance } from '@coxswain/api/browser';
import { HYPERVISOR_LABEL, Hypervisor, NodeInfo } from '../framework/node-info';
import { NamespaceLabels, snapshotOf } from '../framework/snapshot';
import { CycleState, FilterPlugin, ScorePlugin } from '../framework/types';
import { VmOverhead, Workload, workloadFromPod, workloadFromVmi } from '../framework/workload';

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: number;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  ready?: boolean;
  hypervisor?: Hypervisor;
  /** coxswain.io/local-storage allocatable (the local provisioner's space). */
  localStorage?: string;
  /** More allocatable resources, e.g. { 'nvidia.com/gpu': '2', 'ephemeral-storage': '10Gi' }. */
  extra?: Record<string, string>;
}

export function nodeObject(name: string, o: NodeOptions = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, [HYPERVISOR_LABEL]: o.hypervisor ?? 'tcg', ...o.labels } },
    spec: { unschedulable: o.unschedulable, taints: o.taints },
    status: {
      allocatable: { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: String(o.pods ?? 110), ...(o.localStorage ? { 'coxswain.io/local-storage': o.localStorage } : {}), ...o.extra },
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    },
  } as Node;
}

export const nodeInfo = (name: string, o: NodeOptions = {}): NodeInfo => NodeInfo.fromNode(nodeObject(name, o));

export interface PodOptions {
  cpu?: string;
  memory?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  priority?: number;
  nodeName?: string;
  schedulerName?: string;
  affinity?: Pod['spec']['affinity'];
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  /** More requests, e.g. { 'nvidia.com/gpu': '1' }. */
  requests?: Record<string, string>;
  /** Host ports of the container (TCP on 0.0.0.0 unless given). */
  hostPorts?: Array<{ hostPort: number; protocol?: 'TCP' | 'UDP' | 'SCTP'; hostIP?: string }>;
  topologySpreadConstraints?: unknown[];
  terminating?: boolean;
}

export function podObject(name: string, o: PodOptions = {}): Pod {
  const requests: Record<string, string> = { ...o.requests };
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.namespace ?? 'default', uid: o.uid ?? `uid-${name}`, labels: o.labels, ...(o.terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: {
      containers: [{ name: 'app', image: 'busybox', resources: { requests }, ports: o.hostPorts?.map((p) => ({ containerPort: p.hostPort, ...p })) }],
      topologySpreadConstraints: o.topologySpreadConstraints,
      nodeSelector: o.nodeSelector,
      tolerations: o.tolerations,
      priority: o.priority,
      nodeName: o.nodeName,
      schedulerName: o.schedulerName,
      affinity: o.affinity,
    },
  } as Pod;
}

export const pod = (name: string, o: PodOptions = {}): Workload => workloadFromPod(podObject(name, o));

export interface VmiOptions {
  cores?: number;
  guest?: string;
  requests?: Record<string, string>;
  requireKvm?: boolean;
  nodeName?: string;
  priority?: number;
  tolerations?: Toleration[];
}

export function vmiObject(name: string, o: VmiOptions = {}): VirtualMachineInstance {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, annotations: o.requireKvm ? { 'coxswain.io/require-kvm': 'true' } : undefined },
    spec: {
      domain: { cpu: { cores: o.cores ?? 1 }, memory: { guest: o.guest ?? '128Mi' }, resources: o.requests ? { requests: o.requests } : undefined },
      nodeName: o.nodeName,
      tolerations: o.tolerations,
      ...(o.priority !== undefined ? { priority: o.priority } : {}),
    },
  } as VirtualMachineInstance;
}

export const NO_OVERHEAD: VmOverhead = { milliCpu: 0, memory: 0 };
export const vmi = (name: string, o: VmiOptions = {}, overhead: VmOverhead = NO_OVERHEAD): Workload => workloadFromVmi(vmiObject(name, o), overhead);

/** Counts a workload against a node, as a bound one would be. */
export function place(node: NodeInfo, ...workloads: Workload[]): NodeInfo {
  for (const w of workloads) node.addWorkload(w);
  return node;
}

/**
 * One filter plugin over every node, its PreFilter first, as an attempt runs it: per node the
 * first reason, or undefined when it passes (or the PreFilter found nothing to check).
 */
export function filterReasons(plugin: FilterPlugin, workload: Workload, nodes: NodeInfo[], namespaceLabels?: NamespaceLabels): Record<string, string | undefined> {
  const state: CycleState = new Map();
  const needed = plugin.preFilter ? plugin.preFilter(workload, snapshotOf(nodes, namespaceLabels), state) : true;
  return Object.fromEntries(nodes.map((n) => [n.name, needed ? plugin.filter(workload, n, state).reasons[0] : undefined]));
}

/** One score plugin over candidate nodes (all nodes are the snapshot), normalized; undefined when its PreScore skips. */
export function pluginScores(plugin: ScorePlugin, workload: Workload, nodes: NodeInfo[], namespaceLabels?: NamespaceLabels): Record<string, number> | undefined {
  const state: CycleState = new Map();
  if (plugin.preScore && !plugin.preScore(workload, nodes, snapshotOf(nodes, namespaceLabels), state)) return undefined;
  const scores = Float64Array.from(nodes.map((n) => plugin.score(workload, n, state)));
  plugin.normalize?.(scores, nodes.length);
  return Object.fromEntries(nodes.map((n, i) => [n.name, scores[i]]));
}
