// The plugin interfaces: small, synchronous, pure over (workload, node). Anything that touches
// the world (API calls, clocks) lives outside plugins.
import { NodeInfo } from './node-info';
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
  /** A PersistentVolumeClaim, PersistentVolume or StorageClass changed. */
  | 'VolumeChange';

/** Events from one change, and the node it touched (where a parked workload might now fit). */
export interface ClusterChange {
  events: ClusterEvent[];
  node?: string;
}

export const ALL_CLUSTER_EVENTS: readonly ClusterEvent[] = ['NodeAdd', 'NodeAllocatable', 'NodeLabels', 'NodeTaints', 'NodeSchedulable', 'NodeReady', 'WorkloadRemoved', 'VolumeChange'];

export interface Plugin {
  readonly name: string;
}

export interface FilterPlugin extends Plugin {
  /** May this workload run on this node? Success, or a rejection with reasons. */
  filter(workload: Workload, node: NodeInfo): Status;
  /** Events after which a workload this plugin rejected is worth another attempt. */
  readonly events: readonly ClusterEvent[];
}

export const MAX_NODE_SCORE = 100;

export interface ScorePlugin extends Plugin {
  /** 0..MAX_NODE_SCORE (after normalize, if the plugin has one). Higher is better. */
  score(workload: Workload, node: NodeInfo): number;
  /** Rescales this plugin's raw scores over all candidate nodes in place, e.g. to 0..100. */
  normalize?(scores: Float64Array, count: number): void;
}

export const isFilterPlugin = (p: Plugin): p is FilterPlugin => typeof (p as FilterPlugin).filter === 'function';
export const isScorePlugin = (p: Plugin): p is ScorePlugin => typeof (p as ScorePlugin).score === 'function';
