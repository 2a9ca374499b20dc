// A node as the scheduler sees it: its static facts parsed once per Node update, and the sum
// of what bound and assumed workloads request, kept incrementally (never re-summed per attempt).
import type { Node, Taint } from '@coxswain/api/browser';
import { addInto, parseResourceList, Resources, zeroResources } from './resources';
import { Workload } from './workload';

export const HYPERVISOR_LABEL = 'coxswain.io/hypervisor';
export type Hypervisor = 'kvm' | 'tcg' | 'none';

export class NodeInfo {
  /** Undefined while workloads name a node the node informer has not delivered yet. */
  node?: Node;
  labels: Record<string, string> = {};
  allocatable: Resources = zeroResources();
  ready = false;
  unschedulable = false;
  /** Taints that keep workloads off (NoSchedule, NoExecute); PreferNoSchedule does not filter. */
  hardTaints: Taint[] = [];
  preferNoScheduleTaints: Taint[] = [];
  hypervisor: Hypervisor = 'none';
  /** Requests of bound and assumed workloads (fit checks). */
  readonly requested: Resources = zeroResources();
  /** The same with Kubernetes' non-zero defaults (scoring). */
  readonly nonZeroRequested = { milliCpu: 0, memory: 0 };
  /** Workload keys counted in the sums above. */
  readonly workloads = new Set<string>();

  constructor(readonly name: string) {}

  static fromNode(node: Node): NodeInfo {
    const info = new NodeInfo(node.metadata?.name ?? '');
    info.setNode(node);
    return info;
  }

  /** Replaces the node facts; the aggregates stay. */
  setNode(node: Node): void {
    this.node = node;
    this.labels = node.metadata?.labels ?? {};
    this.allocatable = parseResourceList(node.status?.allocatable ?? node.status?.capacity);
    this.ready = node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    this.unschedulable = node.spec?.unschedulable === true;
    const taints = node.spec?.taints ?? [];
    this.hardTaints = taints.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    this.preferNoScheduleTaints = taints.filter((t) => t.effect === 'PreferNoSchedule');
    const hv = this.labels[HYPERVISOR_LABEL];
    this.hypervisor = hv === 'kvm' || hv === 'tcg' ? hv : 'none';
  }

  addWorkload(w: Pick<Workload, 'key' | 'requests' | 'nonZero'>): void {
    if (this.workloads.has(w.key)) return;
    this.workloads.add(w.key);
    addInto(this.requested, w.requests);
    this.nonZeroRequested.milliCpu += w.nonZero.milliCpu;
    this.nonZeroRequested.memory += w.nonZero.memory;
  }

  removeWorkload(w: Pick<Workload, 'key' | 'requests' | 'nonZero'>): void {
    if (!this.workloads.delete(w.key)) return;
    addInto(this.requested, w.requests, -1);
    this.nonZeroRequested.milliCpu -= w.nonZero.milliCpu;
    this.nonZeroRequested.memory -= w.nonZero.memory;
  }
}

export type NodeChange = 'allocatable' | 'labels' | 'taints' | 'schedulable' | 'ready';
export type NodeFacts = Pick<NodeInfo, 'node' | 'labels' | 'allocatable' | 'unschedulable' | 'ready'>;

/** Which node facts changed, so the queue retries only workloads a change could help. */
export function nodeChanges(before: NodeFacts, after: NodeFacts): Set<NodeChange> {
  const changes = new Set<NodeChange>();
  const a = before.allocatable;
  const b = after.allocatable;
  if (a.milliCpu !== b.milliCpu || a.memory !== b.memory || a.pods !== b.pods) changes.add('allocatable');
  if (!sameRecord(before.labels, after.labels)) changes.add('labels');
  if (JSON.stringify(before.node?.spec?.taints ?? []) !== JSON.stringify(after.node?.spec?.taints ?? [])) changes.add('taints');
  if (before.unschedulable !== after.unschedulable) changes.add('schedulable');
  if (before.ready !== after.ready) changes.add('ready');
  return changes;
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}
