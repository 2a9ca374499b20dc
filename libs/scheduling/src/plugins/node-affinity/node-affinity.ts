// NodeAffinity: spec.nodeSelector (every label must match) and required node affinity
// (terms ORed, expressions within a term ANDed), with Kubernetes' operators (filter); the
// weights of the preferred terms a node matches (score, normalized to the best candidate).
import type { NodeSelectorRequirement, NodeSelectorTerm } from '@coxswain/api/browser';
import { NodeInfo } from '../../framework/node-info';
import { constantStatus, Status, SUCCESS } from '../../framework/status';
import { ClusterEvent, FilterPlugin, MAX_NODE_SCORE, ScorePlugin } from '../../framework/types';
import { WeightedNodeTerm, Workload } from '../../framework/workload';

export const NODE_AFFINITY = 'NodeAffinity';
export const REASON_AFFINITY_MISMATCH = "node(s) didn't match Pod's node affinity/selector";

const MISMATCH = constantStatus('UnschedulableAndUnresolvable', REASON_AFFINITY_MISMATCH);

export function matchesNodeSelector(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const key in selector) if (labels[key] !== selector[key]) return false;
  return true;
}

/** One requirement against a value (undefined = the label is absent). Gt/Lt compare integers. */
export function matchesRequirement(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(values[0])) return false;
      const a = BigInt(value);
      const b = BigInt(values[0]);
      return req.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** A term with no requirements matches nothing (Kubernetes' rule); matchFields knows metadata.name only. */
export function matchesTerm(term: NodeSelectorTerm, nodeName: string, labels: Record<string, string>): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  for (const req of expressions) if (!matchesRequirement(req, Object.prototype.hasOwnProperty.call(labels, req.key) ? labels[req.key] : undefined)) return false;
  for (const req of fields) if (!matchesRequirement(req, req.key === 'metadata.name' ? nodeName : undefined)) return false;
  return true;
}

export function matchesNodeAffinity(terms: NodeSelectorTerm[] | undefined, nodeName: string, labels: Record<string, string>): boolean {
  if (!terms) return true;
  return terms.some((term) => matchesTerm(term, nodeName, labels));
}

/** Sum of the weights of the preferred terms the node matches (a term without requirements matches nothing). */
export function preferredAffinityScore(terms: readonly WeightedNodeTerm[] | undefined, nodeName: string, labels: Record<string, string>): number {
  let score = 0;
  for (const t of terms ?? []) if (matchesTerm(t.preference, nodeName, labels)) score += t.weight;
  return score;
}

/** Kubernetes' DefaultNormalizeScore: scaled so the best candidate scores 100 (all 0 stays 0). */
export function normalizeToMax(scores: Float64Array, count: number): void {
  let max = 0;
  for (let i = 0; i < count; i++) max = Math.max(max, scores[i]);
  if (max === 0) return;
  for (let i = 0; i < count; i++) scores[i] = Math.floor((MAX_NODE_SCORE * scores[i]) / max);
}

export class NodeAffinity implements FilterPlugin, ScorePlugin {
  readonly name = NODE_AFFINITY;
  readonly events: readonly ClusterEvent[] = ['NodeAdd', 'NodeLabels'];

  preFilter(workload: Workload): boolean {
    return workload.nodeSelector !== undefined || workload.affinityTerms !== undefined;
  }

  filter(workload: Workload, node: NodeInfo): Status {
    if (!matchesNodeSelector(workload.nodeSelector, node.labels)) return MISMATCH;
    if (!matchesNodeAffinity(workload.affinityTerms, node.name, node.labels)) return MISMATCH;
    return SUCCESS;
  }

  preScore(workload: Workload): boolean {
    return workload.preferredNodeTerms !== undefined;
  }

  score(workload: Workload, node: NodeInfo): number {
    return preferredAffinityScore(workload.preferredNodeTerms, node.name, node.labels);
  }

  normalize(scores: Float64Array, count: number): void {
    normalizeToMax(scores, count);
  }
}

export const newNodeAffinity = (): NodeAffinity => new NodeAffinity();
