// Plugin names → factories, and the default pipeline order.
import { newBalancedAllocation } from '../plugins/balanced-allocation';
import { InterPodAffinityArgs, newInterPodAffinity } from '../plugins/inter-pod-affinity';
import { newLeastAllocated } from '../plugins/least-allocated';
import { newMostAllocated } from '../plugins/most-allocated';
import { newNodeAffinity } from '../plugins/node-affinity';
import { newNodePorts } from '../plugins/node-ports';
import { newNodeReady } from '../plugins/node-ready';
import { newNodeResourcesFit, NodeResourcesFitArgs } from '../plugins/node-resources-fit';
import { newNodeUnschedulable } from '../plugins/node-unschedulable';
import { newPodTopologySpread } from '../plugins/pod-topology-spread';
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
  NodePorts: newNodePorts,
  NodeResourcesFit: (args) => newNodeResourcesFit(args as NodeResourcesFitArgs | undefined),
  VolumeBinding: newVolumeBinding,
  PodTopologySpread: newPodTopologySpread,
  InterPodAffinity: (args) => newInterPodAffinity(args as InterPodAffinityArgs | undefined),
};

export const SCORE_FACTORIES: Record<string, (args: Args) => ScorePlugin> = {
  LeastAllocated: (args) => newLeastAllocated(args),
  MostAllocated: (args) => newMostAllocated(args),
  BalancedAllocation: (args) => newBalancedAllocation(args),
  TaintToleration: newTaintToleration,
  NodeAffinity: newNodeAffinity,
  InterPodAffinity: (args) => newInterPodAffinity(args as InterPodAffinityArgs | undefined),
  PodTopologySpread: newPodTopologySpread,
};

/**
 * Filter order: node-wide conditions first (cordon, readiness: they rule a node out for
 * everyone), then the workload's structural constraints (hypervisor, affinity, taints),
 * host ports and resource fit, then volumes (a claim's node and free local storage), and
 * last the two that look at other nodes' workloads (topology spread, inter-pod affinity), as
 * in Kubernetes. The order decides which reason a node reports, and a permanent reason
 * ("untolerated taint") tells users more than a passing shortage. Filters whose PreFilter
 * finds nothing to check for a workload (no host ports, no claims, no pod affinity...) are
 * skipped for its attempt.
 */
export const DEFAULT_FILTERS: readonly string[] = [
  'NodeUnschedulable',
  'NodeReady',
  'VMCapable',
  'NodeAffinity',
  'TaintToleration',
  'NodePorts',
  'NodeResourcesFit',
  'VolumeBinding',
  'PodTopologySpread',
  'InterPodAffinity',
];

/**
 * Kubernetes' default scoring: spread by free resources, keep cpu/memory balanced, avoid soft
 * taints, and the preferences workloads state (preferred node and pod affinity, ScheduleAnyway
 * spread) at Kubernetes' weight of 2. Those three drop out of an attempt when the workload
 * (and, for pod affinity, every placed workload) states no preference.
 */
export const DEFAULT_SCORES: Readonly<Record<string, number>> = { LeastAllocated: 1, BalancedAllocation: 1, TaintToleration: 1, NodeAffinity: 2, InterPodAffinity: 2, PodTopologySpread: 2 };

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
