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

/**
 * Creates kube-dns unless it exists. Before any user Service, so its address is free. On a
 * cluster started again over its old state (`npm run up` twice) it exists already, and the API
 * server, like Kubernetes', refuses its explicit ClusterIP (422, already allocated) before it
 * would say 409: look it up then.
 */
export async function ensureKubeDnsService(api: RunningApiServerHarness, clusterIP = CLUSTER_DNS_IP): Promise<void> {
  const call = (method: 'POST' | 'GET', path: string, body?: unknown) => request(`${api.url}/api/v1/namespaces/kube-system/services${path}`, {
    method,
    headers: { authorization: `Bearer ${api.tokens.admin}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: api.ca ? tlsDispatcher(api.ca) : undefined,
  });
  const res = await call('POST', '', kubeDnsService(clusterIP));
  const text = await res.body.text();
  if (res.statusCode === 201 || res.statusCode === 409) return;
  if (res.statusCode === 422) {
    const existing = await call('GET', '/kube-dns');
    const found = (await existing.body.json().catch(() => undefined)) as { spec?: { clusterIP?: string } } | undefined;
    if (existing.statusCode === 200 && found?.spec?.clusterIP === clusterIP) return;
  }
  throw new Error(`creating kube-system/kube-dns: ${res.statusCode} ${text}`);
}
