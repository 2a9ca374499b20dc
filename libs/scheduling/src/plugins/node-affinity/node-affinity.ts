// NodeAffinity: spec.nodeSelector (every label must match) and required node affinity
// (terms ORed, expressions within a term ANDed), with Kubernetes' operators.
import type { NodeSelectorRequirement, NodeSelectorTerm } from '@coxswain/api/browser';
import { NodeInfo } from '../../framework/node-info';
import { constantStatus, Status, SUCCESS } from '../../framework/status';
import { ClusterEvent, FilterPlugin } from '../../framework/types';
import { Workload } from '../../framework/workload';

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

export class NodeAffinity implements FilterPlugin {
  readonly name = NODE_AFFINITY;
  readonly events: readonly ClusterEvent[] = ['NodeAdd', 'NodeLabels'];

  filter(workload: Workload, node: NodeInfo): Status {
    if (!matchesNodeSelector(workload.nodeSelector, node.labels)) return MISMATCH;
    if (!matchesNodeAffinity(workload.affinityTerms, node.name, node.labels)) return MISMATCH;
    return SUCCESS;
  }
}

export const newNodeAffinity = (): NodeAffinity => new NodeAffinity();
