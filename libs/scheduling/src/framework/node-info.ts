// A node as the scheduler sees it: its static facts parsed once per Node update, and what bound
// and assumed workloads hold, kept incrementally (never re-summed per attempt): requested
// resources, host ports, and the workloads themselves (their labels and namespace for the
// topology plugins, indexed by whether they carry pod (anti-)affinity).
import type { Node, Taint } from '@coxswain/api/browser';
import { HostPortUsage } from './host-ports';
import { addInto, NO_SCALARS, parseResourceList, parseScalarResources, Resources, ScalarResources, zeroResources } from './resources';
import { Workload } from './workload';

export const HYPERVISOR_LABEL = 'coxswain.io/hypervisor';
export type Hypervisor = 'kvm' | 'tcg' | 'none';

export class NodeInfo {
  /** Undefined while workloads name a node the node informer has not delivered yet. */
  node?: Node;
  labels: Record<string, string> = {};
  allocatable: Resources = zeroResources();
  /** Allocatable beyond cpu, memory and pods: ephemeral-storage, hugepages-*, extended resources. */
  scalarAllocatable: ScalarResources = NO_SCALARS;
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
  /** Scalar requests of bound and assumed workloads. */
  readonly scalarRequested = new Map<string, number>();
  /** Host ports bound and assumed workloads hold. */
  readonly usedPorts = new HostPortUsage();
  /** Bound and assumed workloads by key. */
  readonly workloads = new Map<string, Workload>();
  /** Those with pod affinity or anti-affinity terms (InterPodAffinity's symmetric score). */
  withAffinity: Workload[] = [];
  /** Those with required pod anti-affinity (InterPodAffinity's symmetric filter). */
  withRequiredAntiAffinity: Workload[] = [];

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
    const allocatable = node.status?.allocatable ?? node.status?.capacity;
    this.allocatable = parseResourceList(allocatable);
    this.scalarAllocatable = parseScalarResources(allocatable);
    this.ready = node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    this.unschedulable = node.spec?.unschedulable === true;
    const taints = node.spec?.taints ?? [];
    this.hardTaints = taints.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    this.preferNoScheduleTaints = taints.filter((t) => t.effect === 'PreferNoSchedule');
    const hv = this.labels[HYPERVISOR_LABEL];
    this.hypervisor = hv === 'kvm' || hv === 'tcg' ? hv : 'none';
  }

  addWorkload(w: Workload): void {
    if (this.workloads.has(w.key)) return;
    this.workloads.set(w.key, w);
    this.count(w, 1);
  }

  /** Takes out what the workload counted when it was added (whatever object is passed for it). */
  removeWorkload(w: Pick<Workload, 'key'>): void {
    const counted = this.workloads.get(w.key);
    if (!counted) return;
    this.workloads.delete(w.key);
    this.count(counted, -1);
  }

  /** The same workload with new facts (labels, lifecycle): recounted. */
  replaceWorkload(w: Workload): void {
    this.removeWorkload(w);
    this.addWorkload(w);
  }

  private count(w: Workload, sign: 1 | -1): void {
    addInto(this.requested, w.requests, sign);
    this.nonZeroRequested.milliCpu += sign * w.nonZero.milliCpu;
    this.nonZeroRequested.memory += sign * w.nonZero.memory;
    if (w.scalarRequests) {
      for (const name in w.scalarRequests) {
        const sum = (this.scalarRequested.get(name) ?? 0) + sign * w.scalarRequests[name];
        if (sum !== 0) this.scalarRequested.set(name, sum);
        else this.scalarRequested.delete(name);
      }
    }
    if (w.hostPorts) this.usedPorts.add(w.hostPorts, sign);
    if (w.podAffinity) {
      if (sign > 0) {
        this.withAffinity.push(w);
        if (w.podAffinity.antiRequired.length) this.withRequiredAntiAffinity.push(w);
      } else {
        this.withAffinity = this.withAffinity.filter((o) => o.key !== w.key);
        this.withRequiredAntiAffinity = this.withRequiredAntiAffinity.filter((o) => o.key !== w.key);
      }
    }
  }
}

export type NodeChange = 'allocatable' | 'labels' | 'taints' | 'schedulable' | 'ready';
export type NodeFacts = Pick<NodeInfo, 'node' | 'labels' | 'allocatable' | 'scalarAllocatable' | 'unschedulable' | 'ready'>;

/** Which node facts changed, so the queue retries only workloads a change could help. */
export function nodeChanges(before: NodeFacts, after: NodeFacts): Set<NodeChange> {
  const changes = new Set<NodeChange>();
  const a = before.allocatable;
  const b = after.allocatable;
  if (a.milliCpu !== b.milliCpu || a.memory !== b.memory || a.pods !== b.pods || !sameRecord(before.scalarAllocatable, after.scalarAllocatable)) changes.add('allocatable');
  if (!sameRecord(before.labels, after.labels)) changes.add('labels');
  if (JSON.stringify(before.node?.spec?.taints ?? []) !== JSON.stringify(after.node?.spec?.taints ?? [])) changes.add('taints');
  if (before.unschedulable !== after.unschedulable) changes.add('schedulable');
  if (before.ready !== after.ready) changes.add('ready');
  return changes;
}

/** Shallow equality of two records (labels, scalar resource amounts). */
export function sameRecord<T>(a: Readonly<Record<string, T>>, b: Readonly<Record<string, T>>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}
