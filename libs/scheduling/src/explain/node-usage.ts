// What bound workloads hold on each node, computed from objects the way the scheduler's cache
// counts them (live Pods and VMIs with a node, their reduced requests), for callers that have
// lists rather than informers: `coxctl why`, the dashboard's bars, `explain`.
import type { Node, Pod, VirtualMachineInstance } from '@coxswain/api/browser';
import { NodeInfo } from '../framework/node-info';
import { addInto, Resources, zeroResources } from '../framework/resources';
import { DEFAULT_VM_OVERHEAD, VmOverhead, Workload, workloadFromPod, workloadFromVmi } from '../framework/workload';

/** Bound (or binding) workloads as listed from the API. */
export interface BoundWorkloads {
  pods?: readonly Pod[];
  vmis?: readonly VirtualMachineInstance[];
}

/** Each listed workload reduced once; terminal and unbound ones are left out. */
export function boundWorkloads(bound: BoundWorkloads, overhead: VmOverhead = DEFAULT_VM_OVERHEAD): Workload[] {
  const all = [...(bound.pods ?? []).map((p) => workloadFromPod(p)), ...(bound.vmis ?? []).map((v) => workloadFromVmi(v, overhead))];
  return all.filter((w) => w.nodeName && !w.terminal);
}

/** Requests per node name. */
export function requestedByNode(workloads: readonly Workload[]): Map<string, Resources> {
  const out = new Map<string, Resources>();
  for (const w of workloads) {
    if (!w.nodeName || w.terminal) continue;
    let sum = out.get(w.nodeName);
    if (!sum) out.set(w.nodeName, (sum = zeroResources()));
    addInto(sum, w.requests);
  }
  return out;
}

/** NodeInfos as the scheduler's cache would hold them, skipping `except` (the workload being explained). */
export function nodeInfos(nodes: readonly Node[], workloads: readonly Workload[], except?: Pick<Workload, 'key' | 'uid'>): NodeInfo[] {
  const infos = nodes.map((n) => NodeInfo.fromNode(n));
  const byName = new Map(infos.map((i) => [i.name, i]));
  for (const w of workloads) {
    if (except && isSame(w, except)) continue;
    if (w.nodeName && !w.terminal) byName.get(w.nodeName)?.addWorkload(w);
  }
  return infos;
}

/** The same object: by uid when both have one (a recreated namesake is another), else by kind/namespace/name. */
function isSame(a: Pick<Workload, 'key' | 'uid'>, b: Pick<Workload, 'key' | 'uid'>): boolean {
  return a.uid && b.uid ? a.uid === b.uid : a.key === b.key;
}
