// The `kubernetes` Service in `default`: the first address of the service range, port 443
// to the API server, and its EndpointSlice listing the API server's advertised address.
// Every API server process keeps it so (in-cluster clients find the API by it).
import { KubeObject, LABEL_SERVICE_NAME } from '@coxswain/api';

export const KUBERNETES_SERVICE = 'kubernetes';

export function kubernetesService(clusterIP: string, targetPort: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: KUBERNETES_SERVICE, namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP, clusterIPs: [clusterIP], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort }], sessionAffinity: 'None' },
  } as KubeObject;
}

export function kubernetesEndpointSlice(address: string, port: number): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: KUBERNETES_SERVICE, namespace: 'default', labels: { [LABEL_SERVICE_NAME]: KUBERNETES_SERVICE } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [address], conditions: { ready: true, serving: true, terminating: false } }],
    ports: [{ name: 'https', port, protocol: 'TCP' }],
  } as KubeObject;
}

/** True when the stored Service needs rewriting to point at this API server's port. */
export function serviceDrifted(stored: KubeObject, targetPort: number): boolean {
  const port = (stored as { spec?: { ports?: Array<{ port?: number; targetPort?: unknown }> } }).spec?.ports?.[0];
  return port?.port !== 443 || port?.targetPort !== targetPort;
}
