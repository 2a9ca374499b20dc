// The cluster as one attempt sees it: every listed node with what is placed on it, plus the
// indexes Kubernetes keeps in its snapshot so that workloads without inter-pod constraints
// never walk every node's workloads (only nodes holding workloads with pod (anti-)affinity).
import { NodeInfo } from './node-info';

/** Labels of a namespace, or undefined when the namespace is not known. */
export type NamespaceLabels = (namespace: string) => Readonly<Record<string, string>> | undefined;

export interface ClusterSnapshot {
  readonly nodes: readonly NodeInfo[];
  /** Nodes holding at least one workload with pod affinity or anti-affinity terms. */
  readonly nodesWithAffinity: readonly NodeInfo[];
  /** Nodes holding at least one workload with required pod anti-affinity. */
  readonly nodesWithRequiredAntiAffinity: readonly NodeInfo[];
  /**
   * For namespaceSelector in pod affinity terms. Without it a namespaceSelector with
   * requirements matches no namespace (`{}` still matches all).
   */
  readonly namespaceLabels?: NamespaceLabels;
}

/** A snapshot computed from a node list (explain, tests); the scheduler's cache keeps its indexes incrementally. */
export function snapshotOf(nodes: readonly NodeInfo[], namespaceLabels?: NamespaceLabels): ClusterSnapshot {
  return {
    nodes,
    nodesWithAffinity: nodes.filter((n) => n.withAffinity.length > 0),
    nodesWithRequiredAntiAffinity: nodes.filter((n) => n.withRequiredAntiAffinity.length > 0),
    namespaceLabels,
  };
}

/** A namespace lookup from Namespace objects. */
export function namespaceLabelsOf(namespaces: ReadonlyArray<{ metadata?: { name?: string; labels?: Record<string, string> } }>): NamespaceLabels {
  const byName = new Map(namespaces.map((ns) => [ns.metadata?.name ?? '', ns.metadata?.labels ?? {}]));
  return (name) => byName.get(name);
}
