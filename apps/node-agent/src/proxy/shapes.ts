// The parts of Kubernetes' v1 Service and discovery.k8s.io/v1 EndpointSlice the proxy and the
// DNS server read. Read-only structural views of the JSON the API serves, so this code does
// not depend on how libs/api models the kinds (any object with these fields fits).

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ServicePortView {
  name?: string;
  protocol?: Protocol;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}

export interface ServiceView {
  metadata: { name: string; namespace?: string; uid?: string; deletionTimestamp?: string };
  spec?: {
    type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
    clusterIP?: string;
    clusterIPs?: string[];
    ports?: ServicePortView[];
    selector?: Record<string, string>;
    sessionAffinity?: 'None' | 'ClientIP';
    sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
    externalName?: string;
    externalIPs?: string[];
    publishNotReadyAddresses?: boolean;
    internalTrafficPolicy?: 'Cluster' | 'Local';
    externalTrafficPolicy?: 'Cluster' | 'Local';
  };
}

export interface EndpointView {
  addresses: string[];
  conditions?: { ready?: boolean | null; serving?: boolean | null; terminating?: boolean | null };
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind?: string; name?: string; namespace?: string; uid?: string };
}

export interface EndpointPortView {
  name?: string | null;
  protocol?: Protocol;
  port?: number | null;
}

export interface EndpointSliceView {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; deletionTimestamp?: string };
  addressType?: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints?: EndpointView[] | null;
  ports?: EndpointPortView[] | null;
}

/** The label an EndpointSlice carries naming its Service (discovery.k8s.io/v1). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface PodView {
  metadata: { name: string; namespace?: string; deletionTimestamp?: string };
  status?: { podIP?: string; podIPs?: Array<{ ip: string }> };
}

export const serviceKey = (svc: { metadata: { name: string; namespace?: string } }) => `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name}`;

/** `None` (or no address at all) marks a headless Service: no virtual IP, DNS lists endpoints. */
export function isHeadless(svc: ServiceView): boolean {
  const ip = svc.spec?.clusterIP;
  return !ip || ip === 'None';
}
