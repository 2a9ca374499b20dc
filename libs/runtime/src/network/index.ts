export { candidateIps, contains, gatewayOf, intToIp, ipToInt, parseCidr, type Ipv4Cidr } from './cidr';
export { FileIpam, IpamExhaustedError, type IpAllocation, type IpAllocator } from './ipam';
export { deletionsFor, hostPortRules, podComment, type HostPortMapping } from './hostports';
export { podNames, uid8, type PodNames } from './names';
export {
  createTap, deleteTap, NETNS_DIR, PodNetwork, type PodNetworkOptions, type PodNetworkSetup, type SetupPodOptions,
} from './pod-network';
export { clusterRules, HostRouteTransport, planRoutes, PodRoutes, ROUTE_PROTO, type ClusterRuleNames, type ObservedRoute, type PeerRoute, type PeerTransport, type PodRoutesOptions, type RouteSyncResult } from './routes';
