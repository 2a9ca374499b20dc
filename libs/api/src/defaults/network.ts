// Service and EndpointSlice defaults as the Kubernetes API server returns them. Virtual IPs
// and node ports are not defaults: the API server's allocators assign them.
import { DEFAULT_CLIENT_IP_AFFINITY_SECONDS, externallyAccessible } from '../validation/network';
import { type Obj, isObj, setDefault } from './set-default';

export function defaultService(svc: Obj): void {
  const spec = svc.spec;
  if (!isObj(spec)) return;
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'ClientIP') {
    setDefault(spec, 'sessionAffinityConfig', {});
    if (isObj(spec.sessionAffinityConfig)) {
      setDefault(spec.sessionAffinityConfig, 'clientIP', {});
      if (isObj(spec.sessionAffinityConfig.clientIP)) setDefault(spec.sessionAffinityConfig.clientIP, 'timeoutSeconds', DEFAULT_CLIENT_IP_AFFINITY_SECONDS);
    }
  }
  if (Array.isArray(spec.ports)) {
    for (const port of spec.ports) {
      if (!isObj(port)) continue;
      setDefault(port, 'protocol', 'TCP');
      if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
    }
  }
  if (spec.type === 'ExternalName') return;
  // One address family here (IPv4), reported the way a single-stack Kubernetes does.
  if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '' && (!Array.isArray(spec.clusterIPs) || spec.clusterIPs.length === 0)) spec.clusterIPs = [spec.clusterIP];
  if (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0 && (spec.clusterIP === undefined || spec.clusterIP === '')) spec.clusterIP = spec.clusterIPs[0];
  setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
  setDefault(spec, 'ipFamilies', ['IPv4']);
  setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (externallyAccessible(spec)) setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  svc.status = isObj(svc.status) ? { loadBalancer: {}, ...svc.status } : { loadBalancer: {} };
}

export function defaultEndpointSlice(slice: Obj): void {
  if (!Array.isArray(slice.ports)) return;
  for (const port of slice.ports) {
    if (!isObj(port)) continue;
    setDefault(port, 'protocol', 'TCP');
    setDefault(port, 'name', '');
  }
}
