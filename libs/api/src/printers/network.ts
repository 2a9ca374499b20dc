// Service and EndpointSlice rows (Kubernetes' printService, printEndpointSlice).
import type { EndpointSlice, Service } from '../types/network';
import { AGE_COLUMN, column, NAME_COLUMN, Printer } from './columns';
import { timestampSince } from './duration';

const NONE = '<none>';
const UNSET = '<unset>';
/** Kubernetes lists three values, then "+ N more...". */
const MAX_LISTED = 3;

function listWithMore(values: string[], total: number): string {
  const shown = values.slice(0, MAX_LISTED).join(',');
  return total > MAX_LISTED ? `${shown} + ${total - MAX_LISTED} more...` : shown;
}

/** `80/TCP`, `80:30080/TCP` for node ports, comma-joined; `<none>` without ports. */
export function servicePorts(svc: Service): string {
  const ports = svc.spec?.ports ?? [];
  if (ports.length === 0) return NONE;
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

/** What kubectl shows as EXTERNAL-IP for each Service type. */
export function serviceExternalIP(svc: Service): string {
  const spec = svc.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : NONE;
    case 'LoadBalancer': {
      const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean);
      const all = [...ingress, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? NONE;
    default:
      return 'unknown';
  }
}

function selectorString(selector: Record<string, string> | undefined): string {
  const keys = Object.keys(selector ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${selector![k]}`).join(',') : NONE;
}

export const servicePrinter: Printer<Service> = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', 'The type of the service.'),
    column('Cluster-IP', 'string', 'The IP address of the service.'),
    column('External-IP', 'string', 'The external IP address of the service.'),
    column('Port(s)', 'string', 'The ports that the service exposes.'),
    AGE_COLUMN,
    column('Selector', 'string', 'The label selector of the service.', 1),
  ],
  row: (svc, nowMs) => ({
    cells: [
      svc.metadata?.name ?? '',
      svc.spec?.type ?? 'ClusterIP',
      svc.spec?.clusterIP || NONE,
      serviceExternalIP(svc),
      servicePorts(svc),
      timestampSince(svc.metadata?.creationTimestamp, nowMs),
      selectorString(svc.spec?.selector),
    ],
  }),
};

export function endpointSlicePorts(slice: EndpointSlice): string {
  const ports = slice.ports ?? [];
  if (ports.length === 0) return UNSET;
  return listWithMore(ports.map((p) => (p.port !== undefined ? String(p.port) : p.name || '*')), ports.length);
}

export function endpointSliceEndpoints(slice: EndpointSlice): string {
  const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
  if ((slice.endpoints ?? []).length === 0) return UNSET;
  return listWithMore(addresses, addresses.length);
}

export const endpointSlicePrinter: Printer<EndpointSlice> = {
  columns: [
    NAME_COLUMN,
    column('AddressType', 'string', 'The IP protocol for this slice'),
    column('Ports', 'string', 'The ports for this slice'),
    column('Endpoints', 'string', 'The endpoints for this slice'),
    AGE_COLUMN,
  ],
  row: (slice, nowMs) => ({
    cells: [slice.metadata?.name ?? '', slice.addressType ?? '', endpointSlicePorts(slice), endpointSliceEndpoints(slice), timestampSince(slice.metadata?.creationTimestamp, nowMs)],
  }),
};
