// Plugin names → factories, and the default pipeline order.
import { newBalancedAllocation } from '../plugins/balanced-allocation';
import { newLeastAllocated } from '../plugins/least-allocated';
import { newMostAllocated } from '../plugins/most-allocated';
import { newNodeAffinity } from '../plugins/node-affinity';
import { newNodeReady } from '../plugins/node-ready';
import { newNodeResourcesFit } from '../plugins/node-resources-fit';
import { newNodeUnschedulable } from '../plugins/node-unschedulable';
import { newTaintToleration } from '../plugins/taint-toleration';
import { newVmCapable } from '../plugins/vm-capable';
import { newVolumeBinding } from '../plugins/volume-binding';
import { Framework, WeightedScorer } from './framework';
import { FilterPlugin, ScorePlugin } from './types';

type Args = Record<string, unknown> | undefined;

export const FILTER_FACTORIES: Record<string, (args: Args) => FilterPlugin> = {
  NodeUnschedulable: newNodeUnschedulable,
  NodeReady: newNodeReady,
  VMCapable: newVmCapable,
  NodeAffinity: newNodeAffinity,
  TaintToleration: newTaintToleration,
  NodeResourcesFit: newNodeResourcesFit,
  VolumeBinding: newVolumeBinding,
};

export const SCORE_FACTORIES: Record<string, (args: Args) => ScorePlugin> = {
  LeastAllocated: (args) => newLeastAllocated(args),
  MostAllocated: (args) => newMostAllocated(args),
  BalancedAllocation: (args) => newBalancedAllocation(args),
  TaintToleration: newTaintToleration,
};

/**
 * Filter order: node-wide conditions first (cordon, readiness: they rule a node out for
 * everyone), then the workload's structural constraints (hypervisor, affinity, taints),
 * and resource fit, then volumes (a claim's node and free local storage) last, as in
 * Kubernetes. All are cheap; the order decides which reason a node reports, and
 * a permanent reason ("untolerated taint") tells users more than a passing shortage.
 */
export const DEFAULT_FILTERS: readonly string[] = ['NodeUnschedulable', 'NodeReady', 'VMCapable', 'NodeAffinity', 'TaintToleration', 'NodeResourcesFit', 'VolumeBinding'];

/** Kubernetes' default scoring: spread by free resources, keep cpu/memory balanced, avoid soft taints. */
export const DEFAULT_SCORES: Readonly<Record<string, number>> = { LeastAllocated: 1, BalancedAllocation: 1, TaintToleration: 1 };

export interface ProfileSpec {
  schedulerName: string;
  /** Filters in run order; default DEFAULT_FILTERS. */
  filters?: string[];
  /** Score plugin → weight (0 disables); default DEFAULT_SCORES. */
  scores?: Record<string, number>;
  /** Per-plugin arguments, e.g. { MostAllocated: { resources: { cpu: 1, memory: 2 } } }. */
  pluginArgs?: Record<string, Record<string, unknown>>;
}

export function buildFramework(spec: ProfileSpec): Framework {
  const filters = (spec.filters ?? DEFAULT_FILTERS).map((name) => {
    const make = FILTER_FACTORIES[name];
    if (!make) throw new Error(`profile ${spec.schedulerName}: unknown filter plugin ${name} (known: ${Object.keys(FILTER_FACTORIES).join(', ')})`);
    return make(spec.pluginArgs?.[name]);
  });
  const scorers: WeightedScorer[] = [];
  for (const [name, weight] of Object.entries(spec.scores ?? DEFAULT_SCORES)) {
    const make = SCORE_FACTORIES[name];
    if (!make) throw new Error(`profile ${spec.schedulerName}: unknown score plugin ${name} (known: ${Object.keys(SCORE_FACTORIES).join(', ')})`);
    if (!(Number.isFinite(weight) && weight >= 0)) throw new Error(`profile ${spec.schedulerName}: weight of ${name} must be a number >= 0`);
    if (weight > 0) scorers.push({ plugin: make(spec.pluginArgs?.[name]), weight });
  }
  return new Framework(spec.schedulerName, filters, scorers);
}
