// One scheduling decision, written out in order: PreFilter once over the snapshot, filter
// (round-robin over a sample of nodes), PreScore and score the feasible ones, pick the best.
// Pure over its inputs; the caller assumes and binds.
import { ClusterSnapshot, Cycle, Diagnosis, emptyDiagnosis, Framework, NodeInfo, recordRejection, Workload } from '@coxswain/scheduling';

export type Decision =
  | { kind: 'placed'; node: NodeInfo; feasible: number; evaluated: number }
  | { kind: 'unschedulable'; diagnosis: Diagnosis }
  | { kind: 'error'; plugin: string; message: string };

export interface FindNodeOptions {
  /** Where the round-robin scan starts (so successive workloads look at different nodes first). */
  start: number;
  /** Stop filtering once this many feasible nodes are found. */
  numToFind: number;
  /** Tie breaker in [0, 1). */
  random: () => number;
}

const MIN_FEASIBLE_NODES = 100;
const MIN_PERCENTAGE = 5;

/**
 * kube-scheduler's percentageOfNodesToScore: below 100 nodes look at all of them; otherwise
 * stop after `percentage` % (adaptive when 0: 50 % − nodes/125, at least 5 %), never fewer
 * than 100. Scoring a sample is what keeps an attempt cheap on a large cluster.
 */
export function numFeasibleNodesToFind(total: number, percentage = 0): number {
  if (total < MIN_FEASIBLE_NODES || percentage >= 100) return total;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(MIN_PERCENTAGE, 50 - total / 125);
  return Math.max(MIN_FEASIBLE_NODES, Math.floor((total * pct) / 100));
}

/** Scratch arrays reused across attempts, so a decision allocates little. */
export class Scratch {
  feasible: NodeInfo[] = [];
  totals = new Float64Array(0);
  scores = new Float64Array(0);

  ensure(n: number): void {
    if (this.totals.length < n) {
      this.totals = new Float64Array(n * 2);
      this.scores = new Float64Array(n * 2);
    }
  }
}

/** Filters nodes from `start` round-robin until `numToFind` pass; counts rejections as it goes. */
export function findFeasible(
  framework: Framework,
  workload: Workload,
  cycle: Cycle,
  nodes: readonly NodeInfo[],
  options: Pick<FindNodeOptions, 'start' | 'numToFind'>,
  scratch: Scratch,
): { feasible: NodeInfo[]; evaluated: number; diagnosis: Diagnosis } | { error: { plugin: string; message: string } } {
  const feasible = scratch.feasible;
  feasible.length = 0;
  const diagnosis = emptyDiagnosis(nodes.length);
  const n = nodes.length;
  let evaluated = 0;
  for (; evaluated < n && feasible.length < options.numToFind; evaluated++) {
    const node = nodes[(options.start + evaluated) % n];
    const verdict = framework.runFilters(workload, node, cycle);
    const code = verdict.status.code;
    if (code === 'Success') {
      feasible.push(node);
    } else if (code === 'Error') {
      return { error: { plugin: verdict.plugin ?? '', message: verdict.status.reasons.join(', ') } };
    } else {
      recordRejection(diagnosis, node.name, verdict.plugin!, verdict.status);
    }
  }
  return { feasible, evaluated, diagnosis };
}

/**
 * Weighted sum of every scorer's (normalized) score per feasible node, into scratch.totals.
 * A scorer whose PreScore finds nothing to prefer would score all alike and is left out.
 */
export function scoreNodes(framework: Framework, workload: Workload, cycle: Cycle, feasible: readonly NodeInfo[], snapshot: ClusterSnapshot, scratch: Scratch): Float64Array {
  const count = feasible.length;
  scratch.ensure(count);
  const totals = scratch.totals;
  totals.fill(0, 0, count);
  for (const { plugin, weight } of framework.scorers) {
    if (plugin.preScore && !plugin.preScore(workload, feasible, snapshot, cycle.state)) continue;
    const scores = scratch.scores;
    for (let i = 0; i < count; i++) scores[i] = plugin.score(workload, feasible[i], cycle.state);
    plugin.normalize?.(scores, count);
    for (let i = 0; i < count; i++) totals[i] += scores[i] * weight;
  }
  return totals;
}

/** Highest total wins; ties are broken uniformly at random (reservoir sampling), as Kubernetes does. */
export function selectHost(totals: Float64Array, count: number, random: () => number): number {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < count; i++) {
    if (totals[i] > totals[best]) {
      best = i;
      ties = 1;
    } else if (totals[i] === totals[best]) {
      ties++;
      if (random() * ties < 1) best = i;
    }
  }
  return best;
}

export function findNode(framework: Framework, workload: Workload, snapshot: ClusterSnapshot, options: FindNodeOptions, scratch = new Scratch()): Decision {
  const nodes = snapshot.nodes;
  if (nodes.length === 0) return { kind: 'unschedulable', diagnosis: emptyDiagnosis(0) };
  const cycle = framework.prepare(workload, snapshot);
  const found = findFeasible(framework, workload, cycle, nodes, options, scratch);
  if ('error' in found) return { kind: 'error', ...found.error };
  const { feasible, evaluated } = found;
  if (feasible.length === 0) return { kind: 'unschedulable', diagnosis: found.diagnosis };
  if (feasible.length === 1) return { kind: 'placed', node: feasible[0], feasible: 1, evaluated };
  const totals = scoreNodes(framework, workload, cycle, feasible, snapshot, scratch);
  return { kind: 'placed', node: feasible[selectHost(totals, feasible.length, options.random)], feasible: feasible.length, evaluated };
}
