// What the scheduler has placed on each node: the sum of the requests of the Pods and VMIs
// bound to it, against the node's allocatable capacity. Mirrors apps/scheduler's
// podRequests/vmiRequests so the bars show what placement decisions see.
import { Obj } from './objects';
import { parseQuantity, quantityOrZero } from './quantity';

export interface Resources {
  /** cores */
  cpu: number;
  /** bytes */
  memory: number;
  pods: number;
}

/** The scheduler's default per-VM overhead (QEMU itself): 10m CPU and 96Mi. */
export const VM_OVERHEAD: Resources = { cpu: 0.01, memory: 96 * 2 ** 20, pods: 0 };

const request = (resources: Obj | undefined, name: string): number => {
  const v = parseQuantity(resources?.requests?.[name] ?? resources?.limits?.[name]);
  return Number.isFinite(v) ? v : 0;
};

/** The larger of the containers' sum and any single init container, plus spec.overhead. */
export function podRequests(pod: Obj): Resources {
  const spec = pod?.spec ?? {};
  let cpu = 0;
  let memory = 0;
  for (const c of spec.containers ?? []) {
    cpu += request(c.resources, 'cpu');
    memory += request(c.resources, 'memory');
  }
  for (const c of spec.initContainers ?? []) {
    cpu = Math.max(cpu, request(c.resources, 'cpu'));
    memory = Math.max(memory, request(c.resources, 'memory'));
  }
  return { cpu: cpu + quantityOrZero(spec.overhead?.cpu), memory: memory + quantityOrZero(spec.overhead?.memory), pods: 1 };
}

/** requests.cpu ?? cores×sockets×threads; requests.memory ?? memory.guest; plus the VM overhead. */
export function vmiRequests(vmi: Obj, overhead: Resources = VM_OVERHEAD): Resources {
  const domain = vmi?.spec?.domain ?? {};
  const req = domain.resources?.requests ?? {};
  const memory = req.memory !== undefined ? quantityOrZero(req.memory) : quantityOrZero(domain.memory?.guest);
  const cpuReq = parseQuantity(req.cpu);
  const cpu = Number.isFinite(cpuReq) ? cpuReq : (domain.cpu?.cores ?? 1) * (domain.cpu?.sockets ?? 1) * (domain.cpu?.threads ?? 1);
  return { cpu: cpu + overhead.cpu, memory: memory + overhead.memory, pods: 1 };
}

const terminalPod = (p: Obj) => p?.status?.phase === 'Succeeded' || p?.status?.phase === 'Failed';
const terminalVmi = (v: Obj) => v?.status?.phase === 'Succeeded' || v?.status?.phase === 'Failed';
const add = (a: Resources, b: Resources): Resources => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory, pods: a.pods + b.pods });
export const ZERO: Resources = { cpu: 0, memory: 0, pods: 0 };

/** Requests of the live workloads bound to each node. */
export function allocatedByNode(pods: Obj[], vmis: Obj[]): Map<string, Resources> {
  const out = new Map<string, Resources>();
  for (const p of pods) {
    const node = p?.spec?.nodeName;
    if (!node || terminalPod(p)) continue;
    out.set(node, add(out.get(node) ?? ZERO, podRequests(p)));
  }
  for (const v of vmis) {
    const node = v?.status?.nodeName ?? v?.spec?.nodeName;
    if (!node || terminalVmi(v)) continue;
    out.set(node, add(out.get(node) ?? ZERO, vmiRequests(v)));
  }
  return out;
}

export function allocatable(node: Obj): Resources {
  const a = node?.status?.allocatable ?? node?.status?.capacity ?? {};
  return { cpu: quantityOrZero(a.cpu), memory: quantityOrZero(a.memory), pods: a.pods === undefined ? 110 : quantityOrZero(a.pods) };
}

/** Phase counts for the overview tiles: `{Running: 3, Pending: 1}`. */
export function countBy<T>(items: T[], key: (item: T) => string): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
