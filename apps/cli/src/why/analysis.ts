// `coxctl why`: pure reading of why a workload waits — the scheduler's summary message
// parsed into (count, reason) pairs, and a per-node view of what stands in the way
// computed from the node objects and what is already bound to them.
import { cpuMillis, formatBytes, formatCpuMillis, memoryBytes } from '@coxswain/api';
import { Obj } from '../types';

export interface SchedulerReason {
  count: number;
  reason: string;
}

export interface SchedulerSummary {
  available: number;
  total: number;
  reasons: SchedulerReason[];
  /** Text after the counts (e.g. a preemption note), if any. */
  rest?: string;
}

/** `0/3 nodes are available: 2 Insufficient memory, 1 node(s) had untolerated taint {k: v}.` */
export function parseSchedulerMessage(message: string): SchedulerSummary | undefined {
  const m = /^(\d+)\/(\d+) nodes are available(?::\s*(.*))?$/s.exec(message.trim());
  if (!m) return undefined;
  let body = (m[3] ?? '').trim();
  let rest: string | undefined;
  const dot = body.indexOf('. ');
  if (dot >= 0) {
    rest = body.slice(dot + 2).trim();
    body = body.slice(0, dot);
  }
  body = body.replace(/\.$/, '');
  // Reasons are "N text" joined by ", "; a reason may itself contain ", " but never ", <digits> ".
  const reasons = body
    ? body.split(/, (?=\d+ )/).map((part) => {
        const r = /^(\d+) (.*)$/.exec(part.trim());
        return r ? { count: Number(r[1]), reason: r[2] } : { count: 0, reason: part.trim() };
      })
    : [];
  return { available: Number(m[1]), total: Number(m[2]), reasons, rest };
}

export interface Request {
  milliCpu: number;
  memory: number;
}

export function podRequest(pod: Obj): Request {
  const sum = (list: Obj[], res: 'cpu' | 'memory') => list.reduce((n, c) => n + (res === 'cpu' ? cpuMillis(c.resources?.requests?.cpu) : memoryBytes(c.resources?.requests?.memory)), 0);
  const containers = (pod.spec?.containers ?? []) as Obj[];
  const inits = (pod.spec?.initContainers ?? []) as Obj[];
  const maxInit = (res: 'cpu' | 'memory') => Math.max(0, ...inits.map((c) => sum([c], res)));
  return {
    milliCpu: Math.max(sum(containers, 'cpu'), maxInit('cpu')) + cpuMillis(pod.spec?.overhead?.cpu),
    memory: Math.max(sum(containers, 'memory'), maxInit('memory')) + memoryBytes(pod.spec?.overhead?.memory),
  };
}

export function vmiRequest(vmi: Obj): Request {
  const domain = vmi.spec?.domain ?? {};
  const req = domain.resources?.requests ?? {};
  const cpu = domain.cpu ?? {};
  return {
    milliCpu: req.cpu !== undefined ? cpuMillis(req.cpu) : 1000 * (cpu.cores ?? 1) * (cpu.sockets ?? 1) * (cpu.threads ?? 1),
    memory: req.memory !== undefined ? memoryBytes(req.memory) : memoryBytes(domain.memory?.guest),
  };
}

export interface NodeView {
  name: string;
  ready: boolean;
  schedulable: boolean;
  /** Empty: nothing coxctl can see stops the workload from going there. */
  blockers: string[];
}

const isTerminal = (o: Obj) => o.status?.phase === 'Succeeded' || o.status?.phase === 'Failed';

function tolerates(tolerations: Obj[], taint: Obj): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

/**
 * What stands between the workload and each node: readiness, cordon, untolerated
 * NoSchedule/NoExecute taints, node selector, hypervisor (VMIs), and free CPU / memory
 * after what is already bound there. An approximation of the scheduler's filters, shown
 * next to the scheduler's own verdict.
 */
export function nodeViews(workload: Obj, nodes: Obj[], bound: { pods: Obj[]; vmis: Obj[] }): NodeView[] {
  const isVmi = workload.kind === 'VirtualMachineInstance';
  const spec = workload.spec ?? {};
  const tolerations = (spec.tolerations ?? []) as Obj[];
  const selector = (spec.nodeSelector ?? {}) as Record<string, string>;
  const want = isVmi ? vmiRequest(workload) : podRequest(workload);
  return nodes.map((node) => {
    const name = node.metadata?.name as string;
    const labels = (node.metadata?.labels ?? {}) as Record<string, string>;
    const ready = ((node.status?.conditions ?? []) as Obj[]).some((c) => c.type === 'Ready' && c.status === 'True');
    const schedulable = !node.spec?.unschedulable;
    const blockers: string[] = [];
    if (!ready) blockers.push('node is not ready');
    if (!schedulable) blockers.push('node is cordoned');
    for (const taint of (node.spec?.taints ?? []) as Obj[]) {
      if ((taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerates(tolerations, taint)) blockers.push(`untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
    }
    const mismatched = Object.entries(selector).filter(([k, v]) => labels[k] !== v);
    if (mismatched.length) blockers.push(`node selector ${mismatched.map(([k, v]) => `${k}=${v}`).join(',')} does not match`);
    if (isVmi) {
      const hv = labels['coxswain.io/hypervisor'];
      if (hv !== 'kvm' && hv !== 'tcg') blockers.push('no hypervisor for virtual machines (label coxswain.io/hypervisor)');
      else if (workload.metadata?.annotations?.['coxswain.io/require-kvm'] === 'true' && hv !== 'kvm') blockers.push('no KVM');
    }
    const alloc = node.status?.allocatable ?? node.status?.capacity ?? {};
    const used = { milliCpu: 0, memory: 0 };
    for (const p of bound.pods) if (p.spec?.nodeName === name && !isTerminal(p) && p.metadata?.uid !== workload.metadata?.uid) addTo(used, podRequest(p));
    for (const v of bound.vmis) if ((v.status?.nodeName ?? v.spec?.nodeName) === name && !isTerminal(v) && v.metadata?.uid !== workload.metadata?.uid) addTo(used, vmiRequest(v));
    const freeCpu = cpuMillis(alloc.cpu) - used.milliCpu;
    const freeMem = memoryBytes(alloc.memory) - used.memory;
    if (alloc.cpu !== undefined && want.milliCpu > freeCpu) blockers.push(`Insufficient cpu: needs ${formatCpuMillis(want.milliCpu)}, ${formatCpuMillis(Math.max(0, freeCpu))} free`);
    if (alloc.memory !== undefined && want.memory > freeMem) blockers.push(`Insufficient memory: needs ${formatBytes(want.memory)}, ${formatBytes(Math.max(0, freeMem))} free`);
    return { name, ready, schedulable, blockers };
  });
}

function addTo(sum: Request, r: Request): void {
  sum.milliCpu += r.milliCpu;
  sum.memory += r.memory;
}

/** The condition that explains a pending workload (PodScheduled=False), if any. */
export function schedulingCondition(workload: Obj): Obj | undefined {
  return ((workload.status?.conditions ?? []) as Obj[]).find((c) => c.type === 'PodScheduled' && c.status === 'False');
}

/** Container states worth pointing at on a scheduled workload that is not running. */
export function containerProblems(pod: Obj): string[] {
  const out: string[] = [];
  for (const c of [...((pod.status?.initContainerStatuses ?? []) as Obj[]), ...((pod.status?.containerStatuses ?? []) as Obj[])]) {
    const waiting = c.state?.waiting;
    const terminated = c.state?.terminated;
    if (waiting?.reason && waiting.reason !== 'ContainerCreating' && waiting.reason !== 'PodInitializing') out.push(`container ${c.name}: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`);
    else if (terminated && terminated.exitCode !== 0) out.push(`container ${c.name}: terminated with exit code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}`);
    else if (!c.ready && c.restartCount > 0) out.push(`container ${c.name}: not ready after ${c.restartCount} restarts`);
  }
  return out;
}
