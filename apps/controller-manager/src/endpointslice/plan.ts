// The EndpointSlices a Service should have, and the creates/updates/deletes that get the
// existing managed slices there with the fewest writes. Pure: `plan(service, endpoints,
// existing) → actions`.
import { Endpoint, EndpointPort, EndpointSlice, ENDPOINTSLICE_CONTROLLER_NAME, isHeadless, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, Service } from '@coxswain/api';
import { deepEqual, stableStringify } from '../framework/objects';
import { ResolvedEndpoint } from './endpoints';

/** Kubernetes' --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';

export interface SlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
}

interface DesiredSlice {
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

const sortPorts = (ports: EndpointPort[]): EndpointPort[] => [...ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || (a.port ?? 0) - (b.port ?? 0));
const byAddress = (a: Endpoint, b: Endpoint): number => (a.addresses[0] ?? '').localeCompare(b.addresses[0] ?? '', 'en', { numeric: true });

/** Endpoints grouped by their resolved port set, each group cut into slices of `max`. */
export function desiredSlices(endpoints: ResolvedEndpoint[], max = MAX_ENDPOINTS_PER_SLICE): DesiredSlice[] {
  const groups = new Map<string, DesiredSlice>();
  for (const { endpoint, ports } of endpoints) {
    const sorted = sortPorts(ports);
    const key = stableStringify(sorted);
    const group = groups.get(key) ?? { ports: sorted, endpoints: [] };
    group.endpoints.push(endpoint);
    groups.set(key, group);
  }
  const out: DesiredSlice[] = [];
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!;
    group.endpoints.sort(byAddress);
    for (let i = 0; i < group.endpoints.length; i += max) out.push({ ports: group.ports, endpoints: group.endpoints.slice(i, i + max) });
  }
  // A Service without endpoints keeps one empty slice, as Kubernetes does (a placeholder).
  return out.length ? out : [{ ports: [], endpoints: [] }];
}

export function sliceLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}), [LABEL_SERVICE_NAME]: svc.metadata.name!, [LABEL_MANAGED_BY]: ENDPOINTSLICE_CONTROLLER_NAME };
  if (isHeadless(svc.spec)) labels[LABEL_HEADLESS] = '';
  return labels;
}

function newSlice(svc: Service, desired: DesiredSlice): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata.name}-`,
      namespace: svc.metadata.namespace,
      labels: sliceLabels(svc),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name!, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    addressType: 'IPv4',
    endpoints: desired.endpoints,
    ports: desired.ports,
  } as EndpointSlice;
}

const portsKey = (ports: EndpointPort[] | undefined): string => stableStringify(sortPorts(ports ?? []));

/**
 * Reuses existing slices first for the same port set, then any leftover slice, and only
 * then creates; slices left over are deleted.
 */
export function planSlices(svc: Service, endpoints: ResolvedEndpoint[], existing: EndpointSlice[], max = MAX_ENDPOINTS_PER_SLICE): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const desired = desiredSlices(endpoints, max);
  const free = [...existing].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const unmatched: DesiredSlice[] = [];
  for (const want of desired) {
    const index = free.findIndex((s) => portsKey(s.ports) === portsKey(want.ports));
    if (index < 0) unmatched.push(want);
    else reuse(free.splice(index, 1)[0], want);
  }
  for (const want of unmatched) {
    const slice = free.shift();
    if (slice) reuse(slice, want);
    else plan.create.push(newSlice(svc, want));
  }
  plan.delete.push(...free);
  return plan;

  function reuse(slice: EndpointSlice, want: DesiredSlice): void {
    const labels = sliceLabels(svc);
    const same = deepEqual(slice.endpoints ?? [], want.endpoints) && deepEqual(sortPorts(slice.ports ?? []), want.ports) && deepEqual(slice.metadata.labels ?? {}, labels) && slice.addressType === 'IPv4';
    if (!same) plan.update.push({ ...slice, metadata: { ...slice.metadata, labels }, addressType: 'IPv4', endpoints: want.endpoints, ports: want.ports } as EndpointSlice);
  }
}

/** True for slices this controller manages for the Service named `name`. */
export const isManagedSliceOf = (slice: EndpointSlice, name: string): boolean =>
  slice.metadata.labels?.[LABEL_SERVICE_NAME] === name && slice.metadata.labels?.[LABEL_MANAGED_BY] === ENDPOINTSLICE_CONTROLLER_NAME;
