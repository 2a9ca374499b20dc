// What a Service write asks of the allocators, as pure values: which ClusterIP and node
// ports to take, which to give back once the write succeeded, and which server-assigned
// values an update that omits them keeps (Kubernetes' patchAllocatedValues and
// dropTypeDependentFields).
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type Want = { kind: 'keep' } | { kind: 'any' } | { kind: 'specific'; value: string };

export interface AllocationPlan {
  clusterIP?: Want;
  /** By index in spec.ports. */
  nodePorts: Array<{ index: number; want: Want }>;
  releaseIPs: string[];
  releaseNodePorts: string[];
}

const typeOf = (svc: Obj | undefined): string => svc?.spec?.type ?? 'ClusterIP';
export const needsClusterIP = (svc: Obj | undefined): boolean => typeOf(svc) !== 'ExternalName';
export const needsNodePorts = (svc: Obj | undefined): boolean =>
  typeOf(svc) === 'NodePort' || (typeOf(svc) === 'LoadBalancer' && svc?.spec?.allocateLoadBalancerNodePorts !== false);
const ports = (svc: Obj | undefined): Obj[] => (Array.isArray(svc?.spec?.ports) ? svc!.spec.ports : []);
const set = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && v !== 0;

/** The ClusterIPs a stored Service holds (none for headless and ExternalName). */
export function heldIPs(svc: Obj | undefined): string[] {
  if (!needsClusterIP(svc)) return [];
  const ips: unknown[] = svc?.spec?.clusterIPs ?? (svc?.spec?.clusterIP ? [svc.spec.clusterIP] : []);
  return ips.filter((ip): ip is string => typeof ip === 'string' && ip !== '' && ip !== 'None');
}

/** The node ports a stored Service holds, once each (TCP and UDP may share one). */
export function heldNodePorts(svc: Obj | undefined): string[] {
  if (!needsNodePorts(svc)) return [];
  return [...new Set(ports(svc).filter((p) => set(p.nodePort)).map((p) => String(p.nodePort)))];
}

/** Update without the server-assigned values: keep them where the type still needs them. */
export function carryOverAllocations(previous: Obj, desired: Obj): Obj {
  const next = structuredClone(desired);
  if (typeof next.spec !== 'object' || next.spec === null) return next;
  const spec = next.spec;
  if (needsClusterIP(previous) && needsClusterIP(next) && !set(spec.clusterIP) && !(Array.isArray(spec.clusterIPs) && spec.clusterIPs.length)) {
    if (previous.spec?.clusterIP !== undefined) spec.clusterIP = previous.spec.clusterIP;
    if (previous.spec?.clusterIPs !== undefined) spec.clusterIPs = structuredClone(previous.spec.clusterIPs);
  }
  if (needsNodePorts(previous) && needsNodePorts(next)) {
    const used = new Set(ports(next).filter((p) => set(p.nodePort)).map((p) => p.nodePort));
    const byName = new Map(ports(previous).map((p) => [p.name ?? '', p.nodePort]));
    for (const port of ports(next)) {
      const old = byName.get(port?.name ?? '');
      if (port && !set(port.nodePort) && set(old) && !used.has(old)) port.nodePort = old;
    }
  }
  // Switching to a type that does not use a field the client left untouched clears it.
  if (needsNodePorts(previous) && !needsNodePorts(next)) {
    const before = ports(previous).map((p) => p.nodePort ?? 0).join(',');
    const after = ports(next).map((p) => p.nodePort ?? 0).join(',');
    if (before === after) for (const port of ports(next)) if (port) delete port.nodePort;
  }
  if (needsClusterIP(previous) && !needsClusterIP(next) && spec.clusterIP === previous.spec?.clusterIP) {
    for (const key of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) delete spec[key];
  }
  return next;
}

/** What to take for `next` (defaulted, validated) given what `previous` holds. */
export function planAllocation(previous: Obj | undefined, next: Obj): AllocationPlan {
  const oldIPs = heldIPs(previous);
  const oldPorts = heldNodePorts(previous);
  const plan: AllocationPlan = { nodePorts: [], releaseIPs: [], releaseNodePorts: [] };
  const clusterIP = next.spec?.clusterIP;
  if (needsClusterIP(next) && clusterIP !== 'None') {
    if (!set(clusterIP)) plan.clusterIP = { kind: 'any' };
    else plan.clusterIP = oldIPs.includes(clusterIP) ? { kind: 'keep' } : { kind: 'specific', value: clusterIP };
  }
  const keptIPs = plan.clusterIP?.kind === 'keep' ? [clusterIP] : [];
  plan.releaseIPs = oldIPs.filter((ip) => !keptIPs.includes(ip));
  const wantedPorts = new Set<string>();
  if (needsNodePorts(next)) {
    ports(next).forEach((port, index) => {
      if (!set(port?.nodePort)) return plan.nodePorts.push({ index, want: { kind: 'any' } });
      const value = String(port.nodePort);
      wantedPorts.add(value);
      plan.nodePorts.push({ index, want: oldPorts.includes(value) ? { kind: 'keep' } : { kind: 'specific', value } });
    });
  }
  plan.releaseNodePorts = oldPorts.filter((p) => !wantedPorts.has(p));
  return plan;
}
