// Why a Pending Pod or VMI is not placed: the scheduler's own words (PodScheduled condition
// and FailedScheduling events) and, per node, the filters it fails as the dashboard sees the
// cluster now — the same checks in the same order as apps/scheduler's filter plugins.
import { allocatable, allocatedByNode, podRequests, Resources, vmiRequests, ZERO } from './allocation';
import { condition, labelsOf, nameOf, Obj } from './objects';
import { formatBytes, formatCpu } from './quantity';
import { isNodeReady } from './status';
import { eventTime } from './columns';
import { timeOf } from './age';

export interface NodeVerdict {
  node: string;
  fits: boolean;
  reasons: string[];
}

export interface PlacementExplanation {
  pending: boolean;
  /** The scheduler's message (`0/2 nodes are available: 2 Insufficient cpu.`). */
  schedulerMessage?: string;
  /** Reasons with node counts parsed from that message. */
  summary: Array<{ count: number; reason: string }>;
  /** Latest FailedScheduling events, newest first. */
  events: Array<{ message: string; count: number; lastSeen?: string }>;
  perNode: NodeVerdict[];
}

const HYPERVISOR_LABEL = 'coxswain.io/hypervisor';

/** `0/3 nodes are available: 2 Insufficient memory, 1 node(s) were unschedulable.` → counts. */
export function parseSchedulerMessage(message: string | undefined): Array<{ count: number; reason: string }> {
  const match = /nodes are available:\s*(.*?)\.?\s*(?:preemption:.*)?$/s.exec(message ?? '');
  if (!match) return [];
  const out: Array<{ count: number; reason: string }> = [];
  // Reasons may contain commas inside braces (`taint {k: v}`): split only at ", <digits> ".
  for (const part of match[1].split(/,\s*(?=\d+\s)/)) {
    const m = /^(\d+)\s+(.*)$/.exec(part.trim());
    if (m) out.push({ count: Number(m[1]), reason: m[2] });
  }
  return out;
}

function matchesExpression(labels: Record<string, string>, expr: Obj): boolean {
  const value = labels[expr.key];
  const values: string[] = expr.values ?? [];
  switch (expr.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

function matchesAffinity(spec: Obj, node: Obj): boolean {
  const labels = labelsOf(node);
  const selector: Record<string, string> = spec.nodeSelector ?? {};
  if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) return false;
  const terms: Obj[] | undefined = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return true;
  return terms.some((t) => (t.matchExpressions ?? []).every((e: Obj) => matchesExpression(labels, e)) && (t.matchFields ?? []).every((e: Obj) => matchesExpression({ 'metadata.name': nameOf(node) }, e)));
}

function tolerates(tolerations: Obj[], taint: Obj): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

/** The per-node verdicts for one workload (Pod or VirtualMachineInstance). */
export function nodeVerdicts(workload: Obj, nodes: Obj[], pods: Obj[], vmis: Obj[]): NodeVerdict[] {
  const isVmi = workload.kind === 'VirtualMachineInstance';
  const spec = workload.spec ?? {};
  const want = isVmi ? vmiRequests(workload) : podRequests(workload);
  const others = (list: Obj[]) => list.filter((o) => o.metadata?.uid !== workload.metadata?.uid);
  const used = allocatedByNode(others(pods), others(vmis));
  const tolerations: Obj[] = spec.tolerations ?? [];
  return nodes.map((node) => {
    const reasons: string[] = [];
    const name = nameOf(node);
    if (!isNodeReady(node)) reasons.push('node(s) were not ready');
    else if (node.spec?.unschedulable) reasons.push('node(s) were unschedulable');
    else {
      const cap = allocatable(node);
      const have: Resources = used.get(name) ?? ZERO;
      if (have.pods + 1 > cap.pods) reasons.push('Too many pods');
      if (want.cpu > 0 && want.cpu > cap.cpu - have.cpu + 1e-9) reasons.push(`Insufficient cpu (requests ${formatCpu(want.cpu)}, free ${formatCpu(Math.max(0, cap.cpu - have.cpu))} of ${formatCpu(cap.cpu)})`);
      if (want.memory > 0 && want.memory > cap.memory - have.memory) reasons.push(`Insufficient memory (requests ${formatBytes(want.memory)}, free ${formatBytes(Math.max(0, cap.memory - have.memory))} of ${formatBytes(cap.memory)})`);
      if (!matchesAffinity(spec, node)) reasons.push("node(s) didn't match Pod's node affinity/selector");
      const taint = (node.spec?.taints ?? []).find((t: Obj) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t));
      if (taint) reasons.push(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
      if (isVmi) {
        const hv = labelsOf(node)[HYPERVISOR_LABEL];
        if (hv !== 'kvm' && hv !== 'tcg') reasons.push('node(s) had no hypervisor for virtual machines');
      }
    }
    return { node: name, fits: reasons.length === 0, reasons };
  });
}

export function isPending(workload: Obj): boolean {
  if (workload?.metadata?.deletionTimestamp) return false;
  const bound = workload?.spec?.nodeName || workload?.status?.nodeName;
  return !bound && (workload?.status?.phase ?? 'Pending') === 'Pending';
}

export function explainPlacement(workload: Obj, nodes: Obj[], pods: Obj[], vmis: Obj[], events: Obj[]): PlacementExplanation {
  const scheduled = condition(workload, 'PodScheduled');
  const failures = events
    .filter((e) => e.reason === 'FailedScheduling' && (!e.involvedObject?.uid || e.involvedObject.uid === workload.metadata?.uid))
    .sort((a, b) => timeOf(eventTime(b)) - timeOf(eventTime(a)))
    .map((e) => ({ message: e.message ?? '', count: e.count ?? 1, lastSeen: eventTime(e) }));
  const schedulerMessage = scheduled?.status === 'False' ? scheduled.message : failures[0]?.message;
  const pending = isPending(workload);
  return { pending, schedulerMessage, summary: parseSchedulerMessage(schedulerMessage), events: failures, perNode: pending ? nodeVerdicts(workload, nodes, pods, vmis) : [] };
}
