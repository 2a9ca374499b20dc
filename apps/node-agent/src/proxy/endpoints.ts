// Which endpoints of a Service receive traffic, with kube-proxy's rules: ready endpoints; when
// none is ready, the serving-and-terminating ones (so connections drain during a rollout instead
// of failing). Shared by the proxy planner and the DNS server. Pure.
import { EndpointSliceView, EndpointView, Protocol, SERVICE_NAME_LABEL, ServicePortView, ServiceView, serviceKey } from './shapes';

export interface Backend {
  ip: string;
  port: number;
  /** A pod or VMI on this node (traffic to it never leaves the node). */
  nodeName?: string;
}

/** EndpointSlices grouped by the `namespace/name` of the Service they belong to. */
export function slicesByService(slices: readonly EndpointSliceView[]): Map<string, EndpointSliceView[]> {
  const out = new Map<string, EndpointSliceView[]>();
  for (const slice of slices) {
    const name = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!name || slice.metadata.deletionTimestamp) continue;
    if (slice.addressType && slice.addressType !== 'IPv4') continue;
    const key = `${slice.metadata.namespace ?? 'default'}/${name}`;
    const list = out.get(key);
    if (list) list.push(slice);
    else out.set(key, [slice]);
  }
  return out;
}

// discovery.k8s.io/v1: a nil `ready` or `serving` means true, a nil `terminating` false.
export const isReady = (e: EndpointView) => e.conditions?.ready !== false;
export const isServing = (e: EndpointView) => (e.conditions?.serving ?? e.conditions?.ready) !== false;
export const isTerminating = (e: EndpointView) => e.conditions?.terminating === true;

const protocolOf = (p: { protocol?: Protocol }) => p.protocol ?? 'TCP';
const portName = (name: string | null | undefined) => name ?? '';

/**
 * The backends for one port of a Service, deduplicated and sorted by address. With `onNode`,
 * only the endpoints on that node (a Local traffic policy), with the same terminating fallback
 * among them (kube-proxy's CategorizeEndpoints).
 */
export function backendsFor(svcPort: ServicePortView, slices: readonly EndpointSliceView[], onNode?: string): Backend[] {
  const ready: Backend[] = [];
  const fallback: Backend[] = [];
  const seen = new Set<string>();
  for (const slice of slices) {
    const port = (slice.ports ?? []).find((p) => portName(p.name) === portName(svcPort.name) && protocolOf(p) === protocolOf(svcPort));
    if (!port?.port) continue;
    for (const endpoint of slice.endpoints ?? []) {
      const ip = endpoint.addresses?.[0];
      if (!ip || seen.has(`${ip}:${port.port}`) || (onNode !== undefined && endpoint.nodeName !== onNode)) continue;
      const backend = { ip, port: port.port, ...(endpoint.nodeName ? { nodeName: endpoint.nodeName } : {}) };
      if (isReady(endpoint) && !isTerminating(endpoint)) {
        seen.add(`${ip}:${port.port}`);
        ready.push(backend);
      } else if (isServing(endpoint) && isTerminating(endpoint)) {
        fallback.push(backend);
      }
    }
  }
  const chosen = ready.length ? ready : dedupe(fallback);
  return chosen.sort((a, b) => compareIp(a.ip, b.ip) || a.port - b.port);
}

function dedupe(list: Backend[]): Backend[] {
  const seen = new Set<string>();
  return list.filter((b) => !seen.has(`${b.ip}:${b.port}`) && seen.add(`${b.ip}:${b.port}`));
}

function compareIp(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

export const slicesOf = (svc: ServiceView, index: Map<string, EndpointSliceView[]>) => index.get(serviceKey(svc)) ?? [];
