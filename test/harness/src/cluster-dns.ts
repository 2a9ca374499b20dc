// The kube-system/kube-dns Service, as clusters ship it: it holds the cluster DNS ClusterIP
// (the 10th address of the service range) so no other Service is ever given it. It has no
// selector: every node agent answers on that address itself (node-local DNS, see
// apps/node-agent/src/dns/cluster-dns.ts).
import { request } from 'undici';
import { RunningApiServerHarness, tlsDispatcher } from './apiserver';

export const CLUSTER_DNS_IP = '10.96.0.10';

export function kubeDnsService(clusterIP = CLUSTER_DNS_IP) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' } },
    spec: {
      type: 'ClusterIP',
      clusterIP,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      ],
    },
  };
}

/** Creates kube-dns unless it exists. Before any user Service, so its address is free. */
export async function ensureKubeDnsService(api: RunningApiServerHarness, clusterIP = CLUSTER_DNS_IP): Promise<void> {
  const res = await request(`${api.url}/api/v1/namespaces/kube-system/services`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.tokens.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(kubeDnsService(clusterIP)),
    dispatcher: api.ca ? tlsDispatcher(api.ca) : undefined,
  });
  const text = await res.body.text();
  if (res.statusCode !== 201 && res.statusCode !== 409) throw new Error(`creating kube-system/kube-dns: ${res.statusCode} ${text}`);
}
