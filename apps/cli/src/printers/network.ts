// `coxctl get svc` and `get endpointslices` columns, as kubectl prints them.
import { Obj } from '../types';
import { age } from './age';
import type { KindPrinter } from './kinds';

const MAX_LISTED = 3;

function listWithMore(values: string[]): string {
  const shown = values.slice(0, MAX_LISTED).join(',');
  return values.length > MAX_LISTED ? `${shown} + ${values.length - MAX_LISTED} more...` : shown;
}

/** `80/TCP`, `80:30080/TCP` with a node port; `<none>` without ports. */
export function servicePorts(svc: Obj): string {
  const ports = (svc.spec?.ports ?? []) as Obj[];
  if (!ports.length) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

export function serviceExternalIP(svc: Obj): string {
  const spec = svc.spec ?? {};
  const external = (spec.externalIPs ?? []) as string[];
  switch (spec.type ?? 'ClusterIP') {
    case 'LoadBalancer': {
      const ingress = ((svc.status?.loadBalancer?.ingress ?? []) as Obj[]).map((i) => i.ip || i.hostname).filter(Boolean);
      return [...ingress, ...external].join(',') || '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '<none>';
    default:
      return external.length ? external.join(',') : '<none>';
  }
}

const selectorText = (selector: Record<string, string> | undefined): string =>
  Object.keys(selector ?? {}).length ? Object.keys(selector!).sort().map((k) => `${k}=${selector![k]}`).join(',') : '<none>';

export const services: KindPrinter = {
  columns: [{ header: 'TYPE' }, { header: 'CLUSTER-IP' }, { header: 'EXTERNAL-IP' }, { header: 'PORT(S)' }, { header: 'AGE' }, { header: 'SELECTOR', wide: true }],
  cells: (svc, now) => [svc.spec?.type ?? 'ClusterIP', svc.spec?.clusterIP || '<none>', serviceExternalIP(svc), servicePorts(svc), age(svc.metadata?.creationTimestamp, now), selectorText(svc.spec?.selector)],
};

export const endpointSlices: KindPrinter = {
  columns: [{ header: 'ADDRESSTYPE' }, { header: 'PORTS' }, { header: 'ENDPOINTS' }, { header: 'AGE' }],
  cells(slice, now) {
    const ports = (slice.ports ?? []) as Obj[];
    const endpoints = (slice.endpoints ?? []) as Obj[];
    return [
      slice.addressType ?? '',
      ports.length ? listWithMore(ports.map((p) => (p.port !== undefined ? String(p.port) : p.name || '*'))) : '<unset>',
      endpoints.length ? listWithMore(endpoints.flatMap((e) => (e.addresses ?? []) as string[])) : '<unset>',
      age(slice.metadata?.creationTimestamp, now),
    ];
  },
};
