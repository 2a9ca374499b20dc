// The plugin interfaces: small, synchronous, pure over (workload, node). Anything that touches
// the world (API calls, clocks) lives outside plugins. Plugins that look beyond one node
// (inter-pod affinity, topology spread) compute what they need once per attempt over the
// snapshot (Kubernetes' PreFilter / PreScore) into the attempt's CycleState.
import { NodeInfo } from './node-info';
import type { ClusterSnapshot } from './snapshot';
import { Status } from './status';
import { Workload } from './workload';

/** Cluster changes that can turn a rejection into a fit; plugins name the ones that matter to them. */
export type ClusterEvent =
  | 'NodeAdd'
  | 'NodeAllocatable'
  | 'NodeLabels'
  | 'NodeTaints'
  | 'NodeSchedulable'
  | 'NodeReady'
  /** A bound workload went away (deleted, finished, or its bind failed): capacity freed. */
  | 'WorkloadRemoved'
  /** A workload was placed on a node (bound or assumed), or a placed one's labels changed. */
  | 'WorkloadAdded'
  /** A namespace appeared or its labels changed (namespaceSelector in pod affinity terms). */
  | 'NamespaceLabels'
  /** A PersistentVolumeClaim, PersistentVolume or StorageClass changed. */
  | 'VolumeChange';

/** Events from one change, and the node it touched (where a parked workload might now fit). */
export interface ClusterChange {
  events: ClusterEvent[];
  node?: string;
}

export const ALL_CLUSTER_EVENTS: readonly ClusterEvent[] = ['NodeAdd', 'NodeAllocatable', 'NodeLabels', 'NodeTaints', 'NodeSchedulable', 'NodeReady', 'WorkloadRemoved', 'WorkloadAdded', 'NamespaceLabels', 'VolumeChange'];

/** What plugins computed for one attempt, keyed by plugin name. */
export type CycleState = Map<string, unknown>;

export interface Plugin {
  readonly name: string;
}

export interface FilterPlugin extends Plugin {
  /**
   * Once per attempt, before any filter() (Kubernetes' PreFilter): computes what filter()
   * reads into `state`. Returns false when the workload gives this plugin nothing to check;
   * its filter() is then skipped for the attempt (so workloads without such constraints
   * cost nothing per node).
   */
  preFilter?(workload: Workload, snapshot: ClusterSnapshot, state: CycleState): boolean;
  /** May this workload run on this node? Success, or a rejection with reasons. */
  filter(workload: Workload, node: NodeInfo, state?: CycleState): Status;
  /** Events after which a workload this plugin rejected is worth another attempt. */
  readonly events: readonly ClusterEvent[];
  /**
   * The verdict on a node also depends on workloads on other nodes (a zone's pods): a change
   * elsewhere may place a workload this plugin rejected, so the queue does not test it on the
   * changed node alone.
   */
  readonly crossNode?: boolean;
}

export const MAX_NODE_SCORE = 100;

export interface ScorePlugin extends Plugin {
  /**
   * Once per attempt, before score() (Kubernetes' PreScore), over the feasible nodes.
   * Returns false when this plugin would score every node alike (nothing to prefer): it is
   * then left out of the attempt.
   */
  preScore?(workload: Workload, feasible: readonly NodeInfo[], snapshot: ClusterSnapshot, state: CycleState): boolean;
  /** 0..MAX_NODE_SCORE (after normalize, if the plugin has one). Higher is better. */
  score(workload: Workload, node: NodeInfo, state?: CycleState): number;
  /** Rescales this plugin's raw scores over all candidate nodes in place, e.g. to 0..100. */
  normalize?(scores: Float64Array, count: number): void;
}

export const isFilterPlugin = (p: Plugin): p is FilterPlugin => typeof (p as FilterPlugin).filter === 'function';
export const isScorePlugin = (p: Plugin): p is ScorePlugin => typeof (p as ScorePlugin).score === 'function';
