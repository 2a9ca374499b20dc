// Which nodes a DaemonSet's pod belongs on (Kubernetes' NodeShouldRunDaemonPod): node
// selector, required node affinity, and taints against the template's tolerations plus the
// ones Kubernetes adds to every daemon pod.
import { Node, PodSpec, Taint, Toleration } from '@coxswain/api';
import { isTolerated, matchesNodeAffinity, matchesNodeSelector } from '@coxswain/scheduling';

/** Tolerations the DaemonSet controller adds to its pods (AddOrUpdateDaemonPodTolerations). */
export const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];
export const NETWORK_UNAVAILABLE_TOLERATION: Toleration = { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' };

/** The template's tolerations plus the daemon ones it lacks. */
export function daemonTolerations(spec: PodSpec): Toleration[] {
  const out = [...(spec.tolerations ?? [])];
  const extra = spec.hostNetwork ? [...DAEMON_TOLERATIONS, NETWORK_UNAVAILABLE_TOLERATION] : DAEMON_TOLERATIONS;
  for (const t of extra) if (!out.some((o) => o.key === t.key && o.effect === t.effect)) out.push(t);
  return out;
}

export interface NodeFit {
  /** A new daemon pod may start here. */
  shouldRun: boolean;
  /** An existing daemon pod may stay (untolerated NoSchedule taints do not evict). */
  shouldContinueRunning: boolean;
}

export function nodeFit(spec: PodSpec, node: Node): NodeFit {
  const labels = node.metadata.labels ?? {};
  // The scheduler's own NodeAffinity rules, so the controller and the scheduler never disagree.
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!matchesNodeSelector(spec.nodeSelector, labels) || !matchesNodeAffinity(terms, node.metadata.name ?? '', labels)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = daemonTolerations(spec);
  const untolerated = (node.spec?.taints ?? []).filter((taint: Taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !isTolerated(tolerations, taint));
  return { shouldRun: untolerated.length === 0, shouldContinueRunning: !untolerated.some((t) => t.effect === 'NoExecute') };
}

/** Required node affinity pinning a pod to one node by name (ReplaceDaemonSetPodNodeNameNodeAffinity). */
export function pinnedAffinity(spec: PodSpec, nodeName: string): PodSpec['affinity'] {
  return {
    ...(spec.affinity ?? {}),
    nodeAffinity: {
      ...(spec.affinity?.nodeAffinity ?? {}),
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] },
    },
  };
}

/** The node a daemon pod is for: its nodeName, else the node its affinity pins it to. */
export function targetNodeOf(spec: PodSpec): string | undefined {
  if (spec.nodeName) return spec.nodeName;
  for (const term of spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}
