// What the scheduler believes about the cluster: nodes with their running totals, and every
// placement counted against them — bound ones from the informers and assumed ones the
// scheduler decided but whose bind has not been confirmed yet. Assuming synchronously,
// before the next decision, is what stops two workloads from over-committing one node.
import { Node } from '@coxswain/api';
import { ClusterChange, ClusterEvent, nodeChanges, NodeInfo, Workload } from '@coxswain/scheduling';

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

  /** Nodes with a Node object, in a stable order for round-robin scans. */
  listNodes(): readonly NodeInfo[] {
    if (this.listStale) {
      this.list = [...this.nodes.values()].filter((n) => n.node !== undefined);
      this.listStale = false;
    }
    return this.list;
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
    const before = { node: info.node, labels: info.labels, allocatable: info.allocatable, unschedulable: info.unschedulable, ready: info.ready };
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
   * A workload the informers show bound (or finished). Confirms an assumption, moves a
   * placement that landed elsewhere, and frees a finished one. Reports WorkloadRemoved on
   * the node where capacity was freed.
   */
  observeBound(workload: Workload): ClusterChange[] {
    const existing = this.placements.get(workload.key);
    if (workload.terminal || !workload.nodeName) return existing ? this.remove(workload.key) : NONE;
    if (existing && existing.nodeName === workload.nodeName && sameRequests(existing.workload, workload)) {
      existing.assumed = false;
      existing.workload = workload;
      return NONE;
    }
    const freed = existing ? this.remove(workload.key) : NONE;
    this.count(workload, workload.nodeName, false);
    return freed;
  }

  /** The workload is gone; frees what it held. */
  removeWorkload(key: string): ClusterChange[] {
    return this.placements.has(key) ? this.remove(key) : NONE;
  }

  /** Counts a decision against the node right away, before the bind is sent. */
  assume(workload: Workload, nodeName: string): void {
    if (this.placements.has(workload.key)) throw new Error(`${workload.key} is already placed on ${this.placements.get(workload.key)!.nodeName}`);
    this.count(workload, nodeName, true);
  }

  /** Drops an assumption whose bind failed; a confirmed placement stays. */
  forget(key: string): ClusterChange[] {
    return this.isAssumed(key) ? this.remove(key) : NONE;
  }

  private count(workload: Workload, nodeName: string, assumed: boolean): void {
    let info = this.nodes.get(nodeName);
    if (!info) this.nodes.set(nodeName, (info = new NodeInfo(nodeName)));
    info.addWorkload(workload);
    this.placements.set(workload.key, { workload, nodeName, assumed });
  }

  private remove(key: string): ClusterChange[] {
    const p = this.placements.get(key)!;
    this.placements.delete(key);
    const info = this.nodes.get(p.nodeName);
    if (info) {
      info.removeWorkload(p.workload);
      if (!info.node && info.workloads.size === 0) this.nodes.delete(p.nodeName);
    }
    return [{ events: ['WorkloadRemoved'], node: p.nodeName }];
  }
}

function sameRequests(a: Workload, b: Workload): boolean {
  return a.requests.milliCpu === b.requests.milliCpu && a.requests.memory === b.requests.memory && a.requests.pods === b.requests.pods &&
    a.nonZero.milliCpu === b.nonZero.milliCpu && a.nonZero.memory === b.nonZero.memory;
}
