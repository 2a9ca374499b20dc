// InterPodAffinity (Kubernetes' plugin of that name). Filter: the workload's required pod
// affinity needs, in the node's topology domain, a workload matching all its terms (unless
// nothing matches anywhere yet and it matches its own terms: the first of a group); its
// required anti-affinity rules out domains holding a match; and (the symmetric check) a
// placed workload's required anti-affinity that matches the incoming one rules out its domain.
// Score: preferred terms, both the incoming workload's and placed workloads' (which also
// count their required affinity at hardPodAffinityWeight), summed per domain and normalized.
// What the filter and the score need is computed once per attempt over the snapshot.
import { AffinityTerm, matchesAllTerms, termMatches, TopologyCounts } from '../../framework/affinity-terms';
import { NodeInfo } from '../../framework/node-info';
import { ClusterSnapshot } from '../../framework/snapshot';
import { constantStatus, errorStatus, Status, SUCCESS } from '../../framework/status';
import { ClusterEvent, CycleState, FilterPlugin, MAX_NODE_SCORE, ScorePlugin } from '../../framework/types';
import { Workload } from '../../framework/workload';

export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const REASON_AFFINITY_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const REASON_ANTI_AFFINITY_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
export const REASON_EXISTING_ANTI_AFFINITY_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";

const AFFINITY_NOT_MATCH = constantStatus('UnschedulableAndUnresolvable', REASON_AFFINITY_NOT_MATCH);
const ANTI_AFFINITY_NOT_MATCH = constantStatus('Unschedulable', REASON_ANTI_AFFINITY_NOT_MATCH);
const EXISTING_ANTI_AFFINITY_NOT_MATCH = constantStatus('Unschedulable', REASON_EXISTING_ANTI_AFFINITY_NOT_MATCH);
const NO_STATE = errorStatus(`${INTER_POD_AFFINITY}: filter called without its PreFilter state`);
const SCORE_STATE = `${INTER_POD_AFFINITY}/score`;

/** What the filter reads, per topology domain. */
export interface AffinityFilterState {
  /** Placed workloads matching all of the incoming workload's required affinity terms, counted under each term's key. */
  affinity: TopologyCounts;
  /** Placed workloads matching one of its required anti-affinity terms. */
  antiAffinity: TopologyCounts;
  /** Placed workloads whose required anti-affinity matches the incoming workload. */
  existingAntiAffinity: TopologyCounts;
  /** The incoming workload matches all its own required affinity terms. */
  matchesOwnAffinity: boolean;
}

/** PreFilter, pure over the workload and the snapshot. */
export function affinityFilterState(workload: Workload, snapshot: ClusterSnapshot): AffinityFilterState {
  const ns = snapshot.namespaceLabels;
  const existingAntiAffinity = new TopologyCounts();
  for (const node of snapshot.nodesWithRequiredAntiAffinity) {
    for (const placed of node.withRequiredAntiAffinity) {
      for (const term of placed.podAffinity!.antiRequired) if (termMatches(term, workload, ns)) existingAntiAffinity.addForNode(node.labels, term.topologyKey, 1);
    }
  }
  const affinity = new TopologyCounts();
  const antiAffinity = new TopologyCounts();
  const required = workload.podAffinity?.required ?? [];
  const antiRequired = workload.podAffinity?.antiRequired ?? [];
  if (required.length || antiRequired.length) {
    for (const node of snapshot.nodes) {
      for (const placed of node.workloads.values()) {
        if (required.length && matchesAllTerms(required, placed, ns)) for (const term of required) affinity.addForNode(node.labels, term.topologyKey, 1);
        for (const term of antiRequired) if (termMatches(term, placed, ns)) antiAffinity.addForNode(node.labels, term.topologyKey, 1);
      }
    }
  }
  return { affinity, antiAffinity, existingAntiAffinity, matchesOwnAffinity: matchesAllTerms(required, workload, ns) };
}

/**
 * Every required affinity term's key must be on the node and its domain must hold a match —
 * unless no match exists anywhere and the workload matches its own terms (the first pod of a
 * group that attracts itself may go anywhere with the keys).
 */
function satisfiesAffinity(required: readonly AffinityTerm[], labels: Record<string, string>, state: AffinityFilterState): boolean {
  let matchesExist = true;
  for (const term of required) {
    const value = labels[term.topologyKey];
    if (value === undefined) return false;
    if (state.affinity.get(term.topologyKey, value) <= 0) matchesExist = false;
  }
  return matchesExist || (state.affinity.isEmpty && state.matchesOwnAffinity);
}

/** The verdict for one node, given the PreFilter state. */
export function affinityStatus(workload: Pick<Workload, 'podAffinity'>, node: Pick<NodeInfo, 'labels'>, state: AffinityFilterState): Status {
  const terms = workload.podAffinity;
  if (terms?.required.length && !satisfiesAffinity(terms.required, node.labels, state)) return AFFINITY_NOT_MATCH;
  if (terms?.antiRequired.length && !state.antiAffinity.isEmpty) {
    for (const term of terms.antiRequired) if (state.antiAffinity.forNode(node.labels, term.topologyKey) > 0) return ANTI_AFFINITY_NOT_MATCH;
  }
  if (state.existingAntiAffinity.anyPositiveForNode(node.labels)) return EXISTING_ANTI_AFFINITY_NOT_MATCH;
  return SUCCESS;
}

export interface InterPodAffinityArgs {
  /** What a placed workload's required affinity term matching the incoming one adds to its domain's score (Kubernetes: 1). */
  hardPodAffinityWeight?: number;
  /** Skip scoring when the incoming workload has no preferred terms, whatever placed ones prefer (Kubernetes' ignorePreferredTermsOfExistingPods). */
  ignorePreferredTermsOfExistingPods?: boolean;
}

/**
 * PreScore: per topology domain, the weights of preferred terms that hold there (anti-affinity
 * subtracts), the incoming workload's over every placed workload and placed workloads' over
 * the incoming one. Undefined when nothing applies.
 */
export function affinityScores(workload: Workload, snapshot: ClusterSnapshot, args: Required<InterPodAffinityArgs>): TopologyCounts | undefined {
  const own = workload.podAffinity;
  const hasPreferred = own !== undefined && (own.preferred.length > 0 || own.antiPreferred.length > 0);
  if (!hasPreferred && (args.ignorePreferredTermsOfExistingPods || snapshot.nodesWithAffinity.length === 0)) return undefined;
  const ns = snapshot.namespaceLabels;
  const scores = new TopologyCounts();
  for (const node of hasPreferred ? snapshot.nodes : snapshot.nodesWithAffinity) {
    for (const placed of hasPreferred ? node.workloads.values() : node.withAffinity) {
      if (own) {
        for (const { weight, term } of own.preferred) if (termMatches(term, placed, ns)) scores.addForNode(node.labels, term.topologyKey, weight);
        for (const { weight, term } of own.antiPreferred) if (termMatches(term, placed, ns)) scores.addForNode(node.labels, term.topologyKey, -weight);
      }
      const theirs = placed.podAffinity;
      if (!theirs) continue;
      if (args.hardPodAffinityWeight > 0) for (const term of theirs.required) if (termMatches(term, workload, ns)) scores.addForNode(node.labels, term.topologyKey, args.hardPodAffinityWeight);
      for (const { weight, term } of theirs.preferred) if (termMatches(term, workload, ns)) scores.addForNode(node.labels, term.topologyKey, weight);
      for (const { weight, term } of theirs.antiPreferred) if (termMatches(term, workload, ns)) scores.addForNode(node.labels, term.topologyKey, -weight);
    }
  }
  return scores.isEmpty ? undefined : scores;
}

/** Min–max to 0..100 (scores may be negative); all equal → 0. */
export function normalizeMinMax(scores: Float64Array, count: number): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    min = Math.min(min, scores[i]);
    max = Math.max(max, scores[i]);
  }
  const spread = max - min;
  for (let i = 0; i < count; i++) scores[i] = spread > 0 ? Math.floor((MAX_NODE_SCORE * (scores[i] - min)) / spread) : 0;
}

export class InterPodAffinity implements FilterPlugin, ScorePlugin {
  readonly name = INTER_POD_AFFINITY;
  readonly events: readonly ClusterEvent[] = ['NodeAdd', 'NodeLabels', 'WorkloadAdded', 'WorkloadRemoved', 'NamespaceLabels'];
  readonly crossNode = true;
  private readonly args: Required<InterPodAffinityArgs>;

  constructor(args: InterPodAffinityArgs = {}) {
    this.args = { hardPodAffinityWeight: args.hardPodAffinityWeight ?? 1, ignorePreferredTermsOfExistingPods: args.ignorePreferredTermsOfExistingPods ?? false };
  }

  preFilter(workload: Workload, snapshot: ClusterSnapshot, state: CycleState): boolean {
    const own = workload.podAffinity;
    const hasRequired = own !== undefined && (own.required.length > 0 || own.antiRequired.length > 0);
    if (!hasRequired && snapshot.nodesWithRequiredAntiAffinity.length === 0) return false;
    const computed = affinityFilterState(workload, snapshot);
    if (!hasRequired && computed.existingAntiAffinity.isEmpty) return false;
    state.set(INTER_POD_AFFINITY, computed);
    return true;
  }

  filter(workload: Workload, node: NodeInfo, state?: CycleState): Status {
    const computed = state?.get(INTER_POD_AFFINITY) as AffinityFilterState | undefined;
    return computed ? affinityStatus(workload, node, computed) : NO_STATE;
  }

  preScore(workload: Workload, _feasible: readonly NodeInfo[], snapshot: ClusterSnapshot, state: CycleState): boolean {
    const scores = affinityScores(workload, snapshot, this.args);
    if (scores) state.set(SCORE_STATE, scores);
    return scores !== undefined;
  }

  score(_workload: Workload, node: NodeInfo, state?: CycleState): number {
    return (state?.get(SCORE_STATE) as TopologyCounts | undefined)?.sumForNode(node.labels) ?? 0;
  }

  normalize(scores: Float64Array, count: number): void {
    normalizeMinMax(scores, count);
  }
}

export const newInterPodAffinity = (args?: InterPodAffinityArgs): InterPodAffinity => new InterPodAffinity(args);
