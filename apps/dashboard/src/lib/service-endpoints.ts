// A Service's backends as its EndpointSlices list them (Pods and VMIs alike), and the Service's
// own ports in kubectl's words. Pure.
import { Obj } from './objects';

export interface EndpointRow {
  address: string;
  /** `name 8080/TCP` per slice port. */
  ports: string[];
  /** Absent conditions read as Kubernetes defines them: ready/serving unknown → true, terminating → false. */
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  node?: string;
  /** What the address belongs to (Pod or VirtualMachineInstance). */
  target?: { kind: string; name: string; namespace?: string };
}

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** Every endpoint of the slices, one row per address, sorted by target then address. */
export function serviceEndpoints(slices: Obj[]): EndpointRow[] {
  const rows: EndpointRow[] = [];
  const seen = new Set<string>();
  for (const slice of slices) {
    const ports = (slice.ports ?? []).map((p: Obj) => `${p.name ? `${p.name} ` : ''}${p.port ?? '*'}/${p.protocol ?? 'TCP'}`);
    for (const e of (slice.endpoints ?? []) as Obj[]) {
      for (const address of (e.addresses ?? []) as string[]) {
        const key = `${address}|${ports.join(',')}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const c = e.conditions ?? {};
        rows.push({
          address,
          ports,
          ready: c.ready !== false,
          serving: c.serving ?? c.ready !== false,
          terminating: c.terminating === true,
          node: e.nodeName,
          target: e.targetRef?.kind && e.targetRef?.name ? { kind: e.targetRef.kind, name: e.targetRef.name, namespace: e.targetRef.namespace } : undefined,
        });
      }
    }
  }
  return rows.sort((a, b) => (a.target?.name ?? '').localeCompare(b.target?.name ?? '') || a.address.localeCompare(b.address, undefined, { numeric: true }));
}

/** `80:8080/TCP`, `http 80:http/TCP`, with `→ 30080` for a node port. */
export function servicePorts(svc: Obj): string[] {
  return ((svc.spec?.ports ?? []) as Obj[]).map((p) => {
    const target = p.targetPort !== undefined && String(p.targetPort) !== String(p.port) ? `:${p.targetPort}` : '';
    return `${p.name ? `${p.name} ` : ''}${p.port}${target}/${p.protocol ?? 'TCP'}${p.nodePort ? ` → node ${p.nodePort}` : ''}`;
  });
}
