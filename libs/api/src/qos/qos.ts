// A pod's quality-of-service class, computed as Kubernetes does (ComputePodQOS): only cpu and
// memory count, zero quantities count as unset, init containers count like the others.
import { cpuMillis, memoryBytes } from '../quantity/quantity';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

interface ContainerLike {
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
}

const AMOUNT: Record<string, (q: string | number) => number> = {
  cpu: (q) => cpuMillis(q),
  memory: (q) => memoryBytes(q),
};

function positive(list: Record<string, string | number> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, quantity] of Object.entries(list ?? {})) {
    const amount = AMOUNT[name];
    if (!amount) continue;
    let value: number;
    try {
      value = amount(quantity);
    } catch {
      continue; // validation reports malformed quantities
    }
    if (value > 0) out.set(name, value);
  }
  return out;
}

export function podQosClass(spec: { containers?: ContainerLike[]; initContainers?: ContainerLike[] } | undefined): QosClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    // Limits without requests request the limit (API defaulting), also on undefaulted input.
    for (const [name, v] of positive({ ...c.resources?.limits, ...c.resources?.requests })) requests.set(name, (requests.get(name) ?? 0) + v);
    const found = positive(c.resources?.limits);
    for (const [name, v] of found) limits.set(name, (limits.get(name) ?? 0) + v);
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed && [...requests].every(([name, v]) => limits.get(name) === v) && requests.size === limits.size) return 'Guaranteed';
  return 'Burstable';
}
