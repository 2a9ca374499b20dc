// What the scheduler has placed on each node, against what the node can allocate — the
// scheduler's own reduction from @coxswain/scheduling (a VMI without a CPU request counts
// 100m per vCPU plus the VM overhead), converted to the units the bars draw: CPU in cores.
import { boundWorkloads, DEFAULT_VM_OVERHEAD, parseResourceList, requestedByNode, Resources as SchedulerResources, workloadFromPod, workloadFromVmi } from '@coxswain/scheduling';
import type { Pod, VirtualMachineInstance } from '@coxswain/api/browser';
import { Obj } from './objects';

export interface Resources {
  /** cores */
  cpu: number;
  /** bytes */
  memory: number;
  pods: number;
}

export const ZERO: Resources = { cpu: 0, memory: 0, pods: 0 };

const toCores = (r: SchedulerResources): Resources => ({ cpu: r.milliCpu / 1000, memory: r.memory, pods: r.pods });

export const podRequests = (pod: Obj): Resources => toCores(workloadFromPod(pod as Pod).requests);

export const vmiRequests = (vmi: Obj): Resources => toCores(workloadFromVmi(vmi as VirtualMachineInstance, DEFAULT_VM_OVERHEAD).requests);

/** Requests of the live workloads bound to each node. */
export function allocatedByNode(pods: Obj[], vmis: Obj[]): Map<string, Resources> {
  const out = new Map<string, Resources>();
  for (const [node, sum] of requestedByNode(boundWorkloads({ pods: pods as Pod[], vmis: vmis as VirtualMachineInstance[] }))) out.set(node, toCores(sum));
  return out;
}

/** allocatable (else capacity) as the scheduler reads it: what is missing or unreadable counts 0. */
export const allocatable = (node: Obj): Resources => toCores(parseResourceList(node?.status?.allocatable ?? node?.status?.capacity));

/** Phase counts for the overview tiles: `{Running: 3, Pending: 1}`. */
export function countBy<T>(items: T[], key: (item: T) => string): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
