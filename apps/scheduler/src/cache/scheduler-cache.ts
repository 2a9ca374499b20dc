// What the scheduler believes about the cluster: nodes with their running totals, and every
// placement counted against them — bound ones from the informers and assumed ones the
// scheduler decided but whose bind has not been confirmed yet. Assuming synchronously,
// before the next decision, is what stops two workloads from over-committing one node (and
// lets the next replica's anti-affinity or spread see the one just placed).
import { Node } from '@coxswain/api';
import { ClusterChange, ClusterEvent, ClusterSnapshot, NamespaceLabels, NO_SCALARS, nodeChanges, NodeInfo, sameRecord, snapshotOf, Workload } from '@coxswain/scheduling';

export interface Placement {
  workload: Workload;
  nodeName: string;
  /** True until the informer shows the workload bound (or the bind fails and it is forgotten). */
  assumed: boolean;
}

const CHANGE_EVENTS = { allocatable: 'NodeAllocatable', labels: 'NodeLabels', taints: 'NodeTaints', schedulable: 'NodeSchedulable', ready: 'NodeReady' } as const;
const NONE: ClusterChange[] = [];

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly placements = new Map<string, Placement>();
  private list: NodeInfo[] = [];
  private listStale = false;
  private snap?: ClusterSnapshot;
  /** A workload with pod (anti-)affinity was counted or uncounted: the snapshot's indexes are rebuilt. */
  private affinityStale = false;

  /** Nodes with a Node object, in a stable order for round-robin scans. */
  listNodes(): readonly NodeInfo[] {
    if (this.listStale) {
      this.list = [...this.nodes.values()].filter((n) => n.node !== undefined);
      this.listStale = false;
    }
    return this.list;
  }

  /**
   * The listed nodes with Kubernetes' indexes (nodes holding workloads with pod affinity, with
   * required anti-affinity). Rebuilt only after the node list or such a workload changed, so
   * an attempt for a workload without inter-pod constraints pays nothing for them.
   */
  snapshot(namespaceLabels?: NamespaceLabels): ClusterSnapshot {
    const nodes = this.listNodes();
    if (!this.snap || this.snap.nodes !== nodes || this.affinityStale || this.snap.namespaceLabels !== namespaceLabels) {
      this.snap = snapshotOf(nodes, namespaceLabels);
      this.affinityStale = false;
    }
    return this.snap;
  }

  getNode(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  placement(key: string): Placement | undefined {
    return this.placements.get(key);
  }

  isAssumed(key: string): boolean {
    return this.placements.get(key)?.assumed === true;
  }

  get assumedCount(): number {
    let n = 0;
    for (const p of this.placements.values()) if (p.assumed) n++;
    return n;
  }

  /** Adds or updates a Node; returns what changed that a pending workload may care about. */
  setNode(node: Node): ClusterChange[] {
    const name = node.metadata?.name ?? '';
    const info = this.nodes.get(name);
    if (!info || !info.node) {
      if (info) info.setNode(node);
      else this.nodes.set(name, NodeInfo.fromNode(node));
      this.listStale = true;
      return [{ events: ['NodeAdd'], node: name }];
    }
    const before = { node: info.node, labels: info.labels, allocatable: info.allocatable, scalarAllocatable: info.scalarAllocatable, unschedulable: info.unschedulable, ready: info.ready };
    info.setNode(node);
    const events: ClusterEvent[] = [...nodeChanges(before, info)].map((c) => CHANGE_EVENTS[c]);
    return events.length ? [{ events, node: name }] : NONE;
  }

  /** Removes a Node; its totals live on (unlisted) while workloads still name it. */
  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    info.node = undefined;
    if (info.workloads.size === 0) this.nodes.delete(name);
    this.listStale = true;
  }

  /**
   * A workload the informers show bound (or finished). Confirms an assumption (taking the
   * informer's copy: labels and deletion may have changed), moves a placement that landed
   * elsewhere, and frees a finished one. Reports WorkloadRemoved on the node where capacity
   * was freed and WorkloadAdded where a workload appeared or its labels changed.
   */
  observeBound(workload: Workload): ClusterChange[] {
    const existing = this.placements.get(workload.key);
    if (workload.terminal || !workload.nodeName) return existing ? this.remove(workload.key) : NONE;
    if (existing && existing.nodeName === workload.nodeName) {
      const before = existing.workload;
      existing.assumed = false;
      existing.workload = workload;
      this.nodes.get(workload.nodeName)?.replaceWorkload(workload);
      if (Boolean(before.podAffinity) !== Boolean(workload.podAffinity)) this.affinityStale = true;
      const events: ClusterEvent[] = [];
      if (!sameRequests(before, workload)) events.push('WorkloadRemoved');
      if (!sameRecord(before.labels, workload.labels)) events.push('WorkloadAdded');
      return events.length ? [{ events, node: workload.nodeName }] : NONE;
    }
    const freed = existing ? this.remove(workload.key) : NONE;
    this.count(workload, workload.nodeName, false);
    return [...freed, { events: ['WorkloadAdded'], node: workload.nodeName }];
  }

  /** The workload is gone; frees what it held. */
  removeWorkload(key: string): ClusterChange[] {
    return this.placements.has(key) ? this.remove(key) : NONE;
  }

  /** Counts a decision against the node right away, before the bind is sent. */
  assume(workload: Workload, nodeName: string): ClusterChange[] {
    if (this.placements.has(workload.key)) throw new Error(`${workload.key} is already placed on ${this.placements.get(workload.key)!.nodeName}`);
    this.count(workload, nodeName, true);
    return [{ events: ['WorkloadAdded'], node: nodeName }];
  }

  /** Drops an assumption whose bind failed; a confirmed placement stays. */
  forget(key: string): ClusterChange[] {
    return this.isAssumed(key) ? this.remove(key) : NONE;
  }

  private count(workload: Workload, nodeName: string, assumed: boolean): void {
    let info = this.nodes.get(nodeName);
    if (!info) this.nodes.set(nodeName, (info = new NodeInfo(nodeName)));
    info.addWorkload(workload);
    if (workload.podAffinity) this.affinityStale = true;
    this.placements.set(workload.key, { workload, nodeName, assumed });
  }

  private remove(key: string): ClusterChange[] {
    const p = this.placements.get(key)!;
    this.placements.delete(key);
    const info = this.nodes.get(p.nodeName);
    if (p.workload.podAffinity) this.affinityStale = true;
    if (info) {
      info.removeWorkload(p.workload);
      if (!info.node && info.workloads.size === 0) this.nodes.delete(p.nodeName);
    }
    return [{ events: ['WorkloadRemoved'], node: p.nodeName }];
  }
}

function sameRequests(a: Workload, b: Workload): boolean {
  return a.requests.milliCpu === b.requests.milliCpu && a.requests.memory === b.requests.memory && a.requests.pods === b.requests.pods &&
    a.nonZero.milliCpu === b.nonZero.milliCpu && a.nonZero.memory === b.nonZero.memory && sameRecord(a.scalarRequests ?? NO_SCALARS, b.scalarRequests ?? NO_SCALARS);
}
