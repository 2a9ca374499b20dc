// PodTopologySpread (Kubernetes' plugin of that name). A constraint counts, per domain of its
// topology key, the workloads in the same namespace its selector matches (terminating ones
// left out). Eligible domains come from nodes that have every constraint's key and pass its
// inclusion policies (nodeAffinityPolicy Honor: the workload's nodeSelector and required node
// affinity; nodeTaintsPolicy Honor: its tolerations). DoNotSchedule (filter): placing the
// workload must keep `count(domain) + self − global minimum ≤ maxSkew`, the minimum being 0
// while fewer than minDomains domains exist; a node without the key is refused.
// ScheduleAnyway (score): fewer matches in the node's domain score higher, weighted by
// log(domains + 2), normalized over the candidates. System default constraints are not applied.
import { matchesNodeAffinity, matchesNodeSelector } from '../node-affinity/node-affinity';
import { selects, Selector } from '../../framework/affinity-terms';
import { NodeInfo } from '../../framework/node-info';
import { ClusterSnapshot } from '../../framework/snapshot';
import { hasTopologyKeys, SpreadConstraint } from '../../framework/spread-constraints';
import { constantStatus, errorStatus, Status, SUCCESS, unresolvable } from '../../framework/status';
import { findUntoleratedTaint } from '../../framework/tolerations';
import { ClusterEvent, CycleState, FilterPlugin, MAX_NODE_SCORE, ScorePlugin } from '../../framework/types';
import { Workload } from '../../framework/workload';

export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';
export const REASON_SPREAD_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const REASON_SPREAD_MISSING_LABEL = `${REASON_SPREAD_NOT_MATCH} (missing required label)`;
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

const NOT_MATCH = constantStatus('Unschedulable', REASON_SPREAD_NOT_MATCH);
const MISSING_LABEL = constantStatus('UnschedulableAndUnresolvable', REASON_SPREAD_MISSING_LABEL);
const NO_STATE = errorStatus(`${POD_TOPOLOGY_SPREAD}: filter called without its PreFilter state`);
const SCORE_STATE = `${POD_TOPOLOGY_SPREAD}/score`;
/** Marks a candidate without every key in the raw scores (Kubernetes' invalidScore); normalized to 0. */
const IGNORED = -1;

type Spreadable = Pick<Workload, 'namespace' | 'nodeSelector' | 'affinityTerms' | 'tolerations'>;

/** Whether a node is one of the constraint's eligible domains (its inclusion policies). */
export function nodeIncluded(c: SpreadConstraint, workload: Spreadable, node: Pick<NodeInfo, 'name' | 'labels' | 'hardTaints'>): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !(matchesNodeSelector(workload.nodeSelector, node.labels) && matchesNodeAffinity(workload.affinityTerms, node.name, node.labels))) return false;
  if (c.nodeTaintsPolicy === 'Honor' && findUntoleratedTaint(node.hardTaints, workload.tolerations)) return false;
  return true;
}

/** Workloads on the node in `namespace` that the selector matches, terminating ones left out. */
export function countMatching(node: Pick<NodeInfo, 'workloads'>, selector: Selector, namespace: string): number {
  if (selector === null) return 0;
  let n = 0;
  for (const w of node.workloads.values()) if (!w.deleting && w.namespace === namespace && selects(selector, w.labels)) n++;
  return n;
}

export interface SpreadFilterState {
  constraints: readonly SpreadConstraint[];
  /** Per constraint: eligible domain → matching workloads. */
  counts: Array<Map<string, number>>;
  /** Per constraint: the global minimum (0 while fewer than minDomains domains exist). */
  minMatch: number[];
}

/** PreFilter, pure over the workload's DoNotSchedule constraints and the snapshot. */
export function spreadFilterState(workload: Spreadable, constraints: readonly SpreadConstraint[], snapshot: Pick<ClusterSnapshot, 'nodes'>): SpreadFilterState {
  const counts = constraints.map(() => new Map<string, number>());
  for (const node of snapshot.nodes) {
    if (!hasTopologyKeys(node.labels, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i];
      if (!nodeIncluded(c, workload, node)) continue;
      const domain = node.labels[c.topologyKey];
      counts[i].set(domain, (counts[i].get(domain) ?? 0) + countMatching(node, c.selector, workload.namespace));
    }
  }
  const minMatch = constraints.map((c, i) => {
    if (counts[i].size < c.minDomains) return 0;
    let min = Infinity;
    for (const n of counts[i].values()) min = Math.min(min, n);
    return min;
  });
  return { constraints, counts, minMatch };
}

/** The verdict for one node, given the PreFilter state. */
export function spreadStatus(node: Pick<NodeInfo, 'labels'>, state: SpreadFilterState): Status {
  for (let i = 0; i < state.constraints.length; i++) {
    const c = state.constraints[i];
    const domain = node.labels[c.topologyKey];
    if (domain === undefined) return MISSING_LABEL;
    const skew = (state.counts[i].get(domain) ?? 0) + (c.selfMatch ? 1 : 0) - state.minMatch[i];
    if (skew > c.maxSkew) return NOT_MATCH;
  }
  return SUCCESS;
}

export interface SpreadScoreState {
  constraints: readonly SpreadConstraint[];
  namespace: string;
  /** Candidates without every key: scored 0. */
  ignored: ReadonlySet<string>;
  /** Per constraint (hostname ones are counted per node at score time): domain of a candidate → matching workloads. */
  counts: Array<Map<string, number>>;
  /** Per constraint: log(candidate domains + 2). */
  weights: number[];
}

/** PreScore over the candidates (domains) and the snapshot (counts). */
export function spreadScoreState(workload: Spreadable, constraints: readonly SpreadConstraint[], feasible: readonly NodeInfo[], snapshot: Pick<ClusterSnapshot, 'nodes'>): SpreadScoreState {
  const ignored = new Set<string>();
  const counts = constraints.map(() => new Map<string, number>());
  for (const node of feasible) {
    if (!hasTopologyKeys(node.labels, constraints)) {
      ignored.add(node.name);
      continue;
    }
    constraints.forEach((c, i) => c.topologyKey !== HOSTNAME_LABEL && counts[i].set(node.labels[c.topologyKey], 0));
  }
  const weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME_LABEL ? feasible.length - ignored.size : counts[i].size) + 2));
  for (const node of snapshot.nodes) {
    if (!hasTopologyKeys(node.labels, constraints)) continue;
    constraints.forEach((c, i) => {
      if (c.topologyKey === HOSTNAME_LABEL || !nodeIncluded(c, workload, node)) return;
      const domain = node.labels[c.topologyKey];
      const sum = counts[i].get(domain);
      if (sum !== undefined) counts[i].set(domain, sum + countMatching(node, c.selector, workload.namespace));
    });
  }
  return { constraints, namespace: workload.namespace, ignored, counts, weights };
}

/** Raw score: Σ count × weight + (maxSkew − 1), rounded; higher means more crowded (reversed by normalize). */
export function spreadScore(node: NodeInfo, state: SpreadScoreState): number {
  if (state.ignored.has(node.name)) return IGNORED;
  let score = 0;
  state.constraints.forEach((c, i) => {
    const domain = node.labels[c.topologyKey];
    if (domain === undefined) return;
    const count = c.topologyKey === HOSTNAME_LABEL ? countMatching(node, c.selector, state.namespace) : (state.counts[i].get(domain) ?? 0);
    score += count * state.weights[i] + (c.maxSkew - 1);
  });
  return Math.round(score);
}

/** Kubernetes' normalization: 100 × (max + min − score) / max over the scored candidates; ignored ones 0. */
export function normalizeSpread(scores: Float64Array, count: number): void {
  let min = Infinity;
  let max = 0;
  for (let i = 0; i < count; i++) {
    if (scores[i] === IGNORED) continue;
    min = Math.min(min, scores[i]);
    max = Math.max(max, scores[i]);
  }
  for (let i = 0; i < count; i++) {
    if (scores[i] === IGNORED) scores[i] = 0;
    else scores[i] = max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - scores[i])) / max);
  }
}

export class PodTopologySpread implements FilterPlugin, ScorePlugin {
  readonly name = POD_TOPOLOGY_SPREAD;
  readonly events: readonly ClusterEvent[] = ['NodeAdd', 'NodeLabels', 'NodeTaints', 'WorkloadAdded', 'WorkloadRemoved'];
  readonly crossNode = true;

  preFilter(workload: Workload, snapshot: ClusterSnapshot, state: CycleState): boolean {
    const spread = workload.spread;
    if (!spread || (!spread.invalid && spread.hard.length === 0)) return false;
    state.set(POD_TOPOLOGY_SPREAD, spread.invalid ?? spreadFilterState(workload, spread.hard, snapshot));
    return true;
  }

  filter(_workload: Workload, node: NodeInfo, state?: CycleState): Status {
    const computed = state?.get(POD_TOPOLOGY_SPREAD) as SpreadFilterState | string | undefined;
    if (typeof computed === 'string') return unresolvable(computed);
    return computed ? spreadStatus(node, computed) : NO_STATE;
  }

  preScore(workload: Workload, feasible: readonly NodeInfo[], snapshot: ClusterSnapshot, state: CycleState): boolean {
    const soft = workload.spread?.soft;
    if (!soft?.length) return false;
    state.set(SCORE_STATE, spreadScoreState(workload, soft, feasible, snapshot));
    return true;
  }

  score(_workload: Workload, node: NodeInfo, state?: CycleState): number {
    const computed = state?.get(SCORE_STATE) as SpreadScoreState | undefined;
    return computed ? spreadScore(node, computed) : 0;
  }

  normalize(scores: Float64Array, count: number): void {
    normalizeSpread(scores, count);
  }
}

export const newPodTopologySpread = (): PodTopologySpread => new PodTopologySpread();
