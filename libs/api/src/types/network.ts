// core/v1 Service and discovery.k8s.io/v1 EndpointSlice. Field rules that need more than one
// field (port names, nodePort vs type, headless) live in validation/network.ts.
import { AnyValue, Bool, Int, IntOrPortName, LabelMap, Nested, NestedList, OneOf, Opt, Req, Str, StrArray } from '../validation/decorators';
import { KindBase, ObjectReferenceFields } from './meta';

export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Label every EndpointSlice carries: the Service it belongs to. */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
/** Label naming the controller that manages an EndpointSlice. */
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
/** Kubernetes' value for slices its EndpointSlice controller manages (kube-proxy and CoreDNS read any). */
export const ENDPOINTSLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** `clusterIP: None` makes a Service headless: DNS answers with endpoint addresses. */
export const CLUSTER_IP_NONE = 'None';

export class ServicePort {
  @Opt(Str()) name?: string;
  @Opt(OneOf(PROTOCOLS)) protocol?: Protocol;
  @Opt(Str()) appProtocol?: string;
  /** Range checked with Kubernetes' wording in validation/network.ts. */
  @Req(Int()) port!: number;
  @Opt(IntOrPortName()) targetPort?: number | string;
  @Opt(Int()) nodePort?: number;
}

export class ClientIPConfig {
  @Opt(Int()) timeoutSeconds?: number;
}

export class SessionAffinityConfig {
  @Opt(Nested(() => ClientIPConfig)) clientIP?: ClientIPConfig;
}

export class ServiceSpec {
  @Opt(OneOf(SERVICE_TYPES)) type?: ServiceType;
  @Opt(LabelMap()) selector?: Record<string, string>;
  @Opt(NestedList(() => ServicePort)) ports?: ServicePort[];
  @Opt(Str()) clusterIP?: string;
  @Opt(StrArray()) clusterIPs?: string[];
  @Opt(StrArray()) ipFamilies?: string[];
  @Opt(OneOf(['SingleStack', 'PreferDualStack', 'RequireDualStack'])) ipFamilyPolicy?: string;
  @Opt(OneOf(['None', 'ClientIP'])) sessionAffinity?: 'None' | 'ClientIP';
  @Opt(Nested(() => SessionAffinityConfig)) sessionAffinityConfig?: SessionAffinityConfig;
  @Opt(StrArray()) externalIPs?: string[];
  @Opt(Str()) externalName?: string;
  @Opt(OneOf(['Cluster', 'Local'])) externalTrafficPolicy?: 'Cluster' | 'Local';
  @Opt(OneOf(['Cluster', 'Local'])) internalTrafficPolicy?: 'Cluster' | 'Local';
  @Opt(Bool()) publishNotReadyAddresses?: boolean;
  @Opt(Str()) loadBalancerIP?: string;
  @Opt(StrArray()) loadBalancerSourceRanges?: string[];
  @Opt(Str()) loadBalancerClass?: string;
  @Opt(Bool()) allocateLoadBalancerNodePorts?: boolean;
  @Opt(Int(0)) healthCheckNodePort?: number;
  @Opt(Str()) trafficDistribution?: string;
}

export interface ServiceStatus {
  loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> };
  conditions?: unknown[];
}

export class Service extends KindBase {
  @Opt(Nested(() => ServiceSpec)) spec?: ServiceSpec;
  @AnyValue() status?: ServiceStatus;
}

export class EndpointConditions {
  @Opt(Bool()) ready?: boolean;
  @Opt(Bool()) serving?: boolean;
  @Opt(Bool()) terminating?: boolean;
}

export class Endpoint {
  @Req(StrArray()) addresses!: string[];
  @Opt(Nested(() => EndpointConditions)) conditions?: EndpointConditions;
  @Opt(Str()) hostname?: string;
  @Opt(Nested(() => ObjectReferenceFields)) targetRef?: ObjectReferenceFields;
  @Opt(Str()) nodeName?: string;
  @Opt(Str()) zone?: string;
  @AnyValue() hints?: unknown;
  @AnyValue() deprecatedTopology?: Record<string, string>;
}

export class EndpointPort {
  @Opt(Str()) name?: string;
  @Opt(OneOf(PROTOCOLS)) protocol?: Protocol;
  @Opt(Int()) port?: number;
  @Opt(Str()) appProtocol?: string;
}

/** discovery.k8s.io/v1 EndpointSlice: fields at the top level, no spec. */
export class EndpointSlice extends KindBase {
  @Req(OneOf(['IPv4', 'IPv6', 'FQDN'])) addressType!: 'IPv4' | 'IPv6' | 'FQDN';
  @Opt(NestedList(() => Endpoint)) endpoints?: Endpoint[];
  @Opt(NestedList(() => EndpointPort)) ports?: EndpointPort[];
}

/** True when a Service has no virtual IP (DNS answers with endpoint addresses). */
export const isHeadless = (spec: { clusterIP?: string } | undefined): boolean => spec?.clusterIP === CLUSTER_IP_NONE;
