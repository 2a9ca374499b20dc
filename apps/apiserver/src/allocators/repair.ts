// Keeps the allocation keys and the Services in agreement (Kubernetes' repair controllers):
// a key whose Service is gone (a process died between allocating and writing) is given back
// after a grace period; a Service holding a value without a key gets its key back (only while
// the Service is still at the revision listed: the list may be older than the keys).
import { EtcdRangeAllocator, Owner } from './etcd-allocator';
import { heldIPs, heldNodePorts } from './service-plan';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface RepairAction {
  kind: 'release' | 'restore';
  value: string;
  /** The holder to release from, or the Service to restore for. */
  owner: Owner;
}

/** Pure: what to fix in one range, given the keys and the Services' held values. */
export function planRepair(keys: Map<string, Owner | undefined>, held: Map<string, Owner>, now: Date, graceMs: number): RepairAction[] {
  const actions: RepairAction[] = [];
  for (const [value, owner] of keys) {
    const holder = held.get(value);
    if (holder && owner && holder.uid === owner.uid) continue;
    if (holder) continue; // someone else's record of a value a Service uses: left for a human, never stolen
    const at = owner ? Date.parse(owner.allocatedAt) : NaN;
    if (!owner || Number.isNaN(at) || now.getTime() - at > graceMs) actions.push({ kind: 'release', value, owner: owner ?? { namespace: '', name: '', uid: '', allocatedAt: '' } });
  }
  for (const [value, owner] of held) if (!keys.has(value)) actions.push({ kind: 'restore', value, owner });
  return actions;
}

export function heldValues(services: Obj[], pick: (svc: Obj) => string[], now: Date): Map<string, Owner> {
  const out = new Map<string, Owner>();
  for (const svc of services) {
    for (const value of pick(svc)) out.set(value, { namespace: svc.metadata.namespace, name: svc.metadata.name, uid: svc.metadata.uid, allocatedAt: now.toISOString() });
  }
  return out;
}

/**
 * Applies the plan for both ranges. `keyOf` names a Service's etcd key: a restore happens only
 * while that key is still at the listed resourceVersion (the list may be older than the keys).
 */
export async function repairAllocations(services: Obj[], keyOf: (svc: Obj) => string, ips: EtcdRangeAllocator, nodePorts: EtcdRangeAllocator, now: Date, graceMs: number): Promise<RepairAction[]> {
  const holders = new Map(services.map((svc) => [svc.metadata.uid as string, { key: keyOf(svc), revision: Number(svc.metadata.resourceVersion) }]));
  const done: RepairAction[] = [];
  for (const [allocator, pick] of [[ips, heldIPs], [nodePorts, heldNodePorts]] as const) {
    const actions = planRepair(await allocator.entries(), heldValues(services, pick, now), now, graceMs);
    for (const action of actions) {
      if (action.kind === 'release') await allocator.release(action.value, action.owner.uid);
      else {
        const holder = holders.get(action.owner.uid);
        if (!holder || !(await allocator.restore(action.value, action.owner, holder))) continue;
      }
      done.push(action);
    }
  }
  return done;
}
